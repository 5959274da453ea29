"""Cron, every minute: fail the generated documents whose worker died, enqueue again those lost on
their way to the queue (see ``steering.renderings.recover_stalled_renderings``)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from partenariats.steering.renderings import recover_stalled_renderings


class Command(BaseCommand):
    help = "Relance ou clôt les documents générés interrompus (à lancer chaque minute par cron)."

    def handle(self, *args, **options):
        with transaction.atomic():
            recovered = recover_stalled_renderings(timezone.now())
        if recovered:
            self.stdout.write(f"{len(recovered)} document(s) repris : {', '.join(map(str, recovered))}.")
