"""``manage.py generate_national``: the national-scale data set for load tests (see ``demo.national``)."""

import datetime
import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partenariats.demo.national import ISSUE_7, AlreadyGenerated, NationalSizes, generate_national
from partenariats.demo.national.reference import DEFAULT_BATCH_SIZE


class Command(BaseCommand):
    help = (
        "Génère un jeu de données à l’échelle nationale (déterministe à partir de la graine), une seule fois par base."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = NationalSizes()
        parser.add_argument("--seed", type=int, default=1, help="graine du hasard (défaut 1)")
        parser.add_argument(
            "--national",
            action="store_true",
            help=f"tailles nationales : {ISSUE_7.schools} établissements, {ISSUE_7.companies} entreprises, "
            f"{ISSUE_7.conventions} conventions, {ISSUE_7.people} personnes, {ISSUE_7.activities} activités",
        )
        for name, label in (
            ("schools", "établissements"),
            ("companies", "entreprises"),
            ("conventions", "conventions"),
            ("people", "personnes"),
            ("activities", "activités"),
            ("years", "années scolaires de plans et d’activités"),
        ):
            parser.add_argument(f"--{name}", type=int, help=f"{label} (défaut {getattr(defaults, name)})")
        parser.add_argument(
            "--partner-activities",
            type=int,
            help="activités du partenaire national mesuré (défaut : 15 %% des activités)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"lignes par insertion (défaut {DEFAULT_BATCH_SIZE})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processus qui tirent les activités (défaut : un par cœur ; mêmes données quel que soit leur nombre)",
        )
        parser.add_argument(
            "--today", help="date (AAAA-MM-JJ) des années scolaires et des statuts (défaut : aujourd’hui)"
        )

    def handle(self, *args, **options) -> None:
        sizes = (ISSUE_7 if options["national"] else NationalSizes()).with_changes(
            schools=options["schools"],
            companies=options["companies"],
            conventions=options["conventions"],
            people=options["people"],
            activities=options["activities"],
            years=options["years"],
            partner_activities=options["partner_activities"],
        )
        sized = (sizes.schools, sizes.companies, sizes.conventions, sizes.years)
        if min(*sized, options["batch_size"], options["workers"]) < 1:
            raise CommandError("Les tailles, --batch-size et --workers doivent être au moins 1.")
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as error:
            raise CommandError(f"Date invalide pour --today : {options['today']} (format AAAA-MM-JJ).") from error
        try:
            report = generate_national(
                sizes=sizes,
                seed=options["seed"],
                today=today,
                batch_size=options["batch_size"],
                workers=options["workers"],
                log=self.stdout.write,
            )
        except AlreadyGenerated as error:
            raise CommandError(str(error)) from error
        if report.already_there:
            self.stdout.write("Données nationales déjà générées avec cette graine et ces tailles : rien à créer.")
        else:
            self.stdout.write(f"Durée totale : {sum(report.seconds.values()):.1f} s.")
        if report.biggest is not None:
            self.stdout.write(
                f"Partenaire le plus actif : {report.biggest.name} — {report.biggest_activities} activités "
                f"(biggest_pk={report.biggest.pk})"
            )
        partner = report.partner
        self.stdout.write(
            f"Partenaire mesuré : {partner.name} — {report.partner_activities} activités "
            f"(partner_pk={partner.pk} year={report.latest_year})"
        )
