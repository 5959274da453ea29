"""Cron, every minute: re-queue convention imports whose worker died, fail those that keep dying,
forget the readings left unsaved for 30 days."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from partenariats.intake.services import forget_abandoned_jobs, recover_stalled_jobs


class Command(BaseCommand):
    help = "Relance les imports de conventions interrompus (à lancer chaque minute par cron)."

    def handle(self, *args, **options):
        requeued = recover_stalled_jobs(timezone.now())
        if requeued:
            self.stdout.write(f"{len(requeued)} import(s) relancé(s) : {', '.join(map(str, requeued))}.")
        forgotten = forget_abandoned_jobs(timezone.now())
        if forgotten:
            self.stdout.write(f"{forgotten} lecture(s) non enregistrée(s) depuis 30 jours supprimée(s).")
