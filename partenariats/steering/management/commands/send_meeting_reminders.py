"""Cron, daily: remind the committee members of the meetings convened within the week (see
``steering.reminders``). Idempotent: a meeting is reminded once (again if it is moved)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from partenariats.steering.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Envoie le rappel des comités de pilotage convoqués dans les 7 jours (à lancer chaque jour par cron)."

    def handle(self, *args, **options):
        reminded = send_due_reminders(timezone.now())
        if reminded:
            self.stdout.write(f"{len(reminded)} réunion(s) rappelée(s) : {', '.join(map(str, reminded))}.")
