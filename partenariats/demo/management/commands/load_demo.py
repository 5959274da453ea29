"""``manage.py load_demo``: create the missing demo data, then print how to log in."""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partenariats.demo.builder import DEFAULT_SEED, DemoReport, DemoSizes, load_demo
from partenariats.demo.constants import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Charge les données de démonstration (déterministes ; une seconde exécution ne crée rien)."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = DemoSizes()
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="graine du hasard")
        parser.add_argument("--scale", type=float, default=1.0, help="facteur appliqué aux tailles par défaut")
        parser.add_argument("--schools", type=int, help=f"nombre d’établissements (défaut {defaults.schools})")
        parser.add_argument("--companies", type=int, help=f"nombre d’entreprises (défaut {defaults.companies})")
        parser.add_argument("--people", type=int, help=f"nombre de personnes (défaut {defaults.people})")
        parser.add_argument(
            "--activities",
            type=int,
            help="nombre d’activités sur trois années scolaires (défaut : 14 par établissement)",
        )
        parser.add_argument(
            "--today",
            help="date (AAAA-MM-JJ) à partir de laquelle les conventions sont datées et leur statut calculé "
            "(défaut : aujourd’hui)",
        )

    def handle(self, *args, **options) -> None:
        sizes = DemoSizes().scaled(options["scale"])
        sizes = DemoSizes(
            schools=options["schools"] if options["schools"] is not None else sizes.schools,
            companies=options["companies"] if options["companies"] is not None else sizes.companies,
            people=options["people"] if options["people"] is not None else sizes.people,
            activities=options["activities"] if options["activities"] is not None else sizes.activities,
        )
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(f"Date invalide pour --today : {options['today']} (format AAAA-MM-JJ).") from error
        report = load_demo(seed=options["seed"], sizes=sizes, today=today)
        self.stdout.write(self.summary(report))
        self.stdout.write(self.timing(report))
        self.stdout.write(self.accounts_table(report))

    @staticmethod
    def summary(report: DemoReport) -> str:
        created = {label: count for label, count in report.created.items() if count}
        if not created:
            return "Données de démonstration déjà présentes : rien à créer."
        return "Données de démonstration créées : " + ", ".join(f"{label} {n}" for label, n in created.items()) + "."

    @staticmethod
    def timing(report: DemoReport) -> str:
        steps = ", ".join(f"{label} {seconds:.1f} s" for label, seconds in report.seconds.items())
        return f"Durée : {sum(report.seconds.values()):.1f} s ({steps})."

    @staticmethod
    def accounts_table(report: DemoReport) -> str:
        header = ("Rôle", "Courriel", "Périmètre")
        rows = [header] + [(a.role, a.email, a.scope) for a in report.accounts]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = ["", f"Comptes de démonstration — mot de passe commun : {DEMO_PASSWORD}", ""]
        for number, row in enumerate(rows):
            lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if number == 0:
                lines.append("  ".join("-" * width for width in widths))
        return "\n".join(lines) + "\n"
