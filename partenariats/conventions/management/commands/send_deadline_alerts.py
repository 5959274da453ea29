"""``partenariats send_deadline_alerts``: the daily digest of deadlines (run it from cron or a systemd timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from partenariats.conventions.alerts import send_deadline_alerts


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : {value!r} (attendu : AAAA-MM-JJ).") from error


class Command(BaseCommand):
    help = (
        "Met à jour le statut des conventions, puis envoie à chaque responsable et à chaque personne qui suit "
        "une convention le récapitulatif des échéances qui entrent dans un délai d’alerte. Relancée, "
        "elle n’envoie rien deux fois."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="jour à considérer comme aujourd’hui (AAAA-MM-JJ)")
        parser.add_argument("--dry-run", action="store_true", help="affiche ce qui serait envoyé, sans rien envoyer")

    def handle(self, *args, **options) -> None:
        today = options["date"] or timezone.localdate()
        report = send_deadline_alerts(today, dry_run=options["dry_run"])
        if options["dry_run"]:
            for user, alerts in report.pending.items():
                self.stdout.write(f"{user.email} :")
                for alert in sorted(alerts, key=lambda a: (a.deadline.due_on, a.deadline.priority)):
                    d = alert.deadline
                    self.stdout.write(f"  {d.due_on.isoformat()} ({alert.window_days} j) {d.title} — {d.convention}")
            self.stdout.write(
                f"Simulation au {today.isoformat()} : {report.alerts} échéance(s) à annoncer "
                f"dans {report.digests} courriel(s) ; rien n’a été envoyé."
            )
            return
        self.stdout.write(
            f"Échéances au {today.isoformat()} : statut de {report.refreshed} convention(s) mis à jour, "
            f"{report.alerts} échéance(s) annoncée(s) dans {report.digests} courriel(s)."
        )
