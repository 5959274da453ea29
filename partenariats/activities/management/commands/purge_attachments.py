"""``partenariats purge_attachments``: delete the activities' files whose retention date has passed
(run it daily from cron or a systemd timer; running it twice deletes nothing more)."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from partenariats.activities.attachments import purge_expired_attachments
from partenariats.conventions.management.commands.send_deadline_alerts import iso_date


class Command(BaseCommand):
    help = (
        "Supprime les pièces jointes des activités (fichier et fiche) dont la date de fin de conservation "
        "est passée : photos et feuilles d’émargement concernant des mineurs notamment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="jour à considérer comme aujourd’hui (AAAA-MM-JJ)")
        parser.add_argument("--dry-run", action="store_true", help="compte ce qui serait supprimé, sans rien supprimer")

    def handle(self, *args, **options) -> None:
        today = options["date"] or timezone.localdate()
        count = purge_expired_attachments(today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(
                f"Simulation au {today.isoformat()} : {count} pièce(s) jointe(s) à supprimer ; rien n’a été supprimé."
            )
        else:
            self.stdout.write(f"Pièces jointes au {today.isoformat()} : {count} supprimée(s).")
