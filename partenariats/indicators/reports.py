"""The indicator pages' content as data: summary figures and tables (each with its chart),
built once and shown by the page, exported as CSV/XLSX and returned by the API, so that
the three always agree."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from partenariats.activities.models import Activity, Level, Metric, Plan
from partenariats.activities.targets import commitment_targets
from partenariats.charts import Chart, ChartKind, Series, format_number
from partenariats.conventions.models import Commitment, Convention, Party
from partenariats.core.school_year import SchoolYear
from partenariats.directory.models import Organisation, PriorityEducation
from partenariats.indicators import by_row, queries
from partenariats.indicators.queries import Summary, rate
from partenariats.territories.models import Academy, Basin

NO_ACTIVITY = "Aucune activité cette année"
PARTICIPATIONS_NOTE = "Il s’agit de participations : un élève venu à deux activités compte deux fois."
SEVERAL_CONVENTIONS_NOTE = (
    "Une activité qui compte pour plusieurs conventions figure sur chaque ligne, une seule fois dans les totaux."
)
COMMITMENT_TARGET_NOTE = (
    "La cible d’un engagement est celle fixée pour l’année, sinon la somme des cibles des actions qui le servent."
)
TOP_CONVENTIONS = 10
# Chart widths in inches: beside a table (half the page), or across the page.
NARROW = 5.0
WIDE = 7.5
TARGET_COLOR = "#CACAFB"
REALISED_COLOR = "#000091"
# The éducation prioritaire statuses, in order; None: the group's school is not known.
PRIORITY_COLUMNS = [
    *((value, label) for value, label in PriorityEducation.choices),
    (None, "Établissement non précisé"),
]
METRIC_LABELS = dict(Metric.choices)


def _plain(cell):
    if isinstance(cell, Decimal):
        return int(cell) if cell == cell.to_integral_value() else float(cell)
    return cell


def _display(cell) -> str:
    if cell is None or isinstance(cell, int | float):
        return format_number(cell)
    return str(cell)


# The rows a page shows of a table; its exports and the API hold them all. An académie's
# commitments without activity ran to 450 rows: a 0.5 MB page no one reads to the end.
ROWS_SHOWN = 100


@dataclass
class Table:
    """One table of a page: ``?export=<key>`` downloads it; ``flags`` puts a badge on a row."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    chart: Chart | None = None
    note: str = ""
    flags: list[str] = field(default_factory=list)
    # The chart beside the table (narrow tables), or above it across the page.
    beside: bool = True

    def __post_init__(self):
        # Hours are decimals: plain numbers for spreadsheets and JSON.
        self.rows = [[_plain(cell) for cell in row] for row in self.rows]

    @property
    def display_rows(self) -> list[tuple[str, list[str]]]:
        """(badge, cells as French text) per row shown on the page: the first ``ROWS_SHOWN``."""
        flags = self.flags or [""] * len(self.rows)
        shown = zip(flags[:ROWS_SHOWN], self.rows[:ROWS_SHOWN], strict=True)
        return [(flag, [_display(cell) for cell in row]) for flag, row in shown]

    @property
    def rows_shown(self) -> int:
        return min(len(self.rows), ROWS_SHOWN)

    @property
    def rows_not_shown(self) -> int:
        """How many rows only the exports (and the API) hold."""
        return max(len(self.rows) - ROWS_SHOWN, 0)

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "headers": self.headers, "rows": self.rows, "note": self.note}


@dataclass
class Report:
    title: str
    year: SchoolYear
    summary: Summary
    coverage: dict | None
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)

    @property
    def gaps(self) -> Table | None:
        return self.table("sans-activite")


def _target_chart(title: str, rows: list[list], label_of, target_index: int, realised_index: int) -> Chart | None:
    """Target vs realised for the rows that have a target."""
    with_target = [row for row in rows if row[target_index] is not None]
    if not with_target:
        return None
    return Chart(
        title=title,
        categories=[label_of(row) for row in with_target],
        series=[
            Series("Cible", [row[target_index] for row in with_target], color=TARGET_COLOR),
            Series("Réalisé", [row[realised_index] for row in with_target], color=REALISED_COLOR),
        ],
        kind=ChartKind.HBARS,
        category_header="Action et indicateur",
        width=WIDE,
    )


def _count_chart(title: str, header: str, rows: list[list], value_index: int = 1, width: float = NARROW) -> Chart:
    return Chart(
        title=title,
        categories=[str(row[0]) for row in rows],
        series=[Series("Activités", [row[value_index] for row in rows])],
        kind=ChartKind.HBARS,
        category_header=header,
        width=width,
    )


def summary_table(summary: Summary, coverage: dict | None) -> Table:
    rows = [
        ["Activités réalisées", summary.activities],
        ["Participations d’élèves", summary.pupils],
        ["Activités préparées avec les élèves et exploitées ensuite (%)", summary.prepared_rate],
        ["Établissements touchés", summary.schools],
        ["Entreprises impliquées", summary.companies],
        ["Professionnels mobilisés", summary.professionals],
        ["Enseignants impliqués", summary.teachers],
        ["Classes", summary.classes],
        ["Heures", summary.hours],
    ]
    if coverage is not None:
        rows += [
            ["Établissements actifs du territoire", coverage["total"]],
            ["Établissements du territoire touchés", coverage["reached"]],
            ["Taux d’établissements du territoire touchés (%)", coverage["rate"]],
        ]
    return Table("synthese", "Chiffres clés", ["Indicateur", "Valeur"], rows, note=PARTICIPATIONS_NOTE)


def levels_table(activities: QuerySet[Activity]) -> Table:
    """Pupil participations by level and éducation prioritaire status, with a stacked chart."""
    cells: dict[str, dict] = {}
    for row in queries.pupils_by_level_and_priority(activities):
        cells.setdefault(row["level"], {})[row["school__priority_education"]] = row["pupils"]
    levels = [(value, label) for value, label in Level.choices if value in cells]
    columns = [(value, label) for value, label in PRIORITY_COLUMNS if any(value in c for c in cells.values())]
    rows = []
    for value, label in levels:
        values = [cells[value].get(column, 0) for column, _ in columns]
        rows.append([label, *values, sum(values)])
    chart = None
    if rows:
        chart = Chart(
            title="Participations d’élèves par niveau et éducation prioritaire",
            categories=[row[0] for row in rows],
            series=[Series(label, [row[1 + i] for row in rows]) for i, (_, label) in enumerate(columns)],
            kind=ChartKind.STACKED,
            category_header="Niveau",
            unit="Participations d’élèves",
            width=NARROW,
        )
    return Table(
        "niveaux",
        "Participations d’élèves par niveau et éducation prioritaire",
        ["Niveau", *(label for _, label in columns), "Total"],
        rows,
        chart=chart,
        note=PARTICIPATIONS_NOTE,
    )


def _grouped_table(key: str, title: str, header: str, grouped: list[dict], label) -> Table:
    """Activities and pupil participations per value of a column of the activities."""
    rows = [[label(r), r["activities"], r["pupils"]] for r in grouped]
    return Table(
        key,
        title,
        [header, "Activités", "Participations d’élèves"],
        rows,
        chart=_count_chart(title, header, rows) if rows else None,
    )


def kinds_table(groups: list[dict]) -> Table:
    labels = dict(Activity._meta.get_field("kind").choices)
    grouped = queries.breakdown(groups, "kind")
    return _grouped_table("types", "Activités par type", "Type d’activité", grouped, lambda r: labels[r["kind"]])


def programmes_table(groups: list[dict]) -> Table:
    grouped = queries.breakdown(groups, "programme", "programme__label")
    return _grouped_table(
        "dispositifs",
        "Activités par dispositif",
        "Dispositif",
        grouped,
        lambda r: r["programme__label"] or "Hors dispositif",
    )


def basins_table(groups: list[dict]) -> Table:
    grouped = queries.breakdown(groups, "basin", "basin__name")
    return _grouped_table(
        "bassins", "Activités par bassin", "Bassin", grouped, lambda r: r["basin__name"] or "Bassin non précisé"
    )


def conventions_table(user, activities: QuerySet[Activity], *, limit: int | None, title: str) -> Table:
    """The conventions (that ``user`` sees) the activities count toward, the most active first."""
    metrics = [Metric.EVENTS, Metric.PUPILS]
    visible = Convention.objects.filter(pk__in=Convention.objects.for_user(user).values("pk"))
    figures = by_row.realised_by_row(by_row.convention_pairs(activities, visible), metrics)
    titles = dict(Convention.objects.filter(pk__in=list(figures)).values_list("pk", "title"))
    ranked = sorted(figures, key=lambda pk: (-figures[pk][Metric.EVENTS], titles[pk].lower(), pk))
    table_rows = [[titles[pk], figures[pk][Metric.EVENTS], figures[pk][Metric.PUPILS]] for pk in ranked[:limit]]
    return Table(
        "conventions",
        title,
        ["Convention", "Activités", "Participations d’élèves"],
        table_rows,
        chart=_count_chart(title, "Convention", table_rows) if table_rows else None,
        note=SEVERAL_CONVENTIONS_NOTE,
    )


# --- A convention ---------------------------------------------------------------------


def _needed_metrics(targets: dict[int, dict[str, int]]) -> list[str]:
    """The activities, and every metric some row has a target for (no need to compute the others)."""
    wanted = {Metric.EVENTS, *(metric for row in targets.values() for metric in row)}
    return [metric for metric in queries.METRICS if metric in wanted]


def _metric_rows(targets: dict[str, int], done: dict) -> list[tuple[str, int | None, object]]:
    """(metric, target, realised) for each metric with a target, else the activities alone."""
    if not targets:
        return [(Metric.EVENTS, None, done[Metric.EVENTS])]
    return [(metric, targets[metric], done[metric]) for metric in queries.METRICS if metric in targets]


def actions_table(convention: Convention, year: int, activities: QuerySet[Activity], party_staff: bool) -> Table:
    plan = Plan.objects.filter(convention=convention, school_year=year).first()
    table_rows: list[list] = []
    if plan is not None:
        actions = plan.actions.all() if party_staff else plan.actions.filter(confidential=False)
        targets = queries.action_targets(actions)
        metrics = _needed_metrics(targets)
        figures = by_row.realised_by_row(by_row.action_pairs(activities, actions), metrics)
        for action in actions:
            done = by_row.realised(figures, action.pk, metrics)
            for metric, target, value in _metric_rows(targets.get(action.pk, {}), done):
                label = METRIC_LABELS[metric]
                table_rows.append([action.number, action.title, label, target, value, rate(value, target)])
    chart = _target_chart(
        "Cibles et réalisé par action",
        table_rows,
        lambda row: f"Action {row[0]} – {row[2]}",
        target_index=3,
        realised_index=4,
    )
    return Table(
        "actions",
        "Cibles et réalisé par action",
        ["N°", "Action", "Indicateur", "Cible", "Réalisé", "Taux de réalisation (%)"],
        table_rows,
        chart=chart,
        note="" if plan else "Aucun plan de partenariat pour cette année scolaire.",
        beside=False,
    )


def _axis_label(text: str, metric: str, limit: int = 48) -> str:
    """« Engagement… – Indicateur »: the text is cut, never the indicator that tells bars apart."""
    room = limit - len(metric) - 3
    text = " ".join(text.split())
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{text} – {metric}"


def _commitment_label(commitment: Commitment) -> str:
    text = " ".join(commitment.text.split())
    return text if len(text) <= 160 else text[:159] + "…"


def commitments_table(
    convention: Convention, year: int, activities: QuerySet[Activity], party_staff: bool
) -> tuple[Table, list[Commitment]]:
    """Targets and realised per commitment, and the commitments nothing counts toward this year."""
    commitments = convention.commitments.select_related("party__organisation", "article")
    if not party_staff:
        commitments = commitments.filter(confidential=False)
    targets: dict[int, dict[str, int]] = {}
    for (commitment_id, metric), value in commitment_targets(convention, year, public_only=not party_staff).items():
        targets.setdefault(commitment_id, {})[metric] = value
    metrics = _needed_metrics(targets)
    figures = by_row.realised_by_row(
        by_row.commitment_pairs(activities, commitments, public_only=not party_staff), metrics
    )
    table_rows, flags, idle = [], [], []
    for commitment in commitments:
        done = by_row.realised(figures, commitment.pk, metrics)
        if not done[Metric.EVENTS]:
            idle.append(commitment)
        party, label = commitment.party.organisation.name, _commitment_label(commitment)
        for metric, target, value in _metric_rows(targets.get(commitment.pk, {}), done):
            table_rows.append([party, label, METRIC_LABELS[metric], target, value, rate(value, target)])
            flags.append("" if done[Metric.EVENTS] else NO_ACTIVITY)
    chart = _target_chart(
        "Cibles et réalisé par engagement",
        table_rows,
        lambda row: _axis_label(row[1], row[2]),
        target_index=3,
        realised_index=4,
    )
    table = Table(
        "engagements",
        "Cibles et réalisé par engagement",
        ["Partie", "Engagement", "Indicateur", "Cible", "Réalisé", "Taux de réalisation (%)"],
        table_rows,
        chart=chart,
        flags=flags,
        note=COMMITMENT_TARGET_NOTE,
        beside=False,
    )
    return table, idle


def gaps_table(commitments: Iterable[Commitment], *, with_convention: bool) -> Table:
    table_rows = []
    for commitment in commitments:
        row = [
            commitment.party.organisation.name,
            str(commitment.article) if commitment.article else "",
            _commitment_label(commitment),
        ]
        table_rows.append([commitment.convention.title, *row] if with_convention else row)
    headers = ["Partie", "Article", "Engagement"]
    return Table(
        "sans-activite",
        "Engagements sans activité cette année",
        ["Convention", *headers] if with_convention else headers,
        table_rows,
        flags=[NO_ACTIVITY] * len(table_rows),
    )


def parties_table(convention: Convention, activities: QuerySet[Activity], party_staff: bool) -> Table:
    metrics = [Metric.EVENTS, Metric.PUPILS, Metric.SCHOOLS, Metric.COMPANIES, Metric.PROFESSIONALS]
    parties = Party.objects.filter(convention=convention).select_related("organisation")
    figures = by_row.realised_by_row(by_row.party_pairs(activities, parties, public_only=not party_staff), metrics)
    table_rows = []
    for party in parties:
        done = by_row.realised(figures, party.pk, metrics)
        table_rows.append([party.organisation.name, party.get_side_display(), *(done[metric] for metric in metrics)])
    return Table(
        "parties",
        "Activités par partie",
        ["Partie", "Côté", "Activités", "Participations d’élèves", "Établissements", "Entreprises", "Professionnels"],
        table_rows,
        chart=_count_chart("Activités par partie", "Partie", table_rows, value_index=2, width=WIDE)
        if table_rows
        else None,
        note="Les activités qui comptent pour les engagements de chaque partie.",
        beside=False,
    )


def convention_report(convention: Convention, user, year: SchoolYear) -> Report:
    party_staff = convention.is_party_staff(user)
    activities = queries.convention_activities(convention, year.start_year, party_staff=party_staff)
    groups = queries.grouped_totals(activities, "programme", "programme__label")
    summary = queries.summarise(activities, groups)
    coverage = queries.schools_coverage(activities, Organisation.objects.filter(academy__in=convention.academies.all()))
    commitments, idle = commitments_table(convention, year.start_year, activities, party_staff)
    return Report(
        title=f"Indicateurs – {convention.title}",
        year=year,
        summary=summary,
        coverage=coverage,
        tables=[
            summary_table(summary, coverage),
            actions_table(convention, year.start_year, activities, party_staff),
            commitments,
            gaps_table(idle, with_convention=False),
            parties_table(convention, activities, party_staff),
            programmes_table(groups),
            levels_table(activities),
        ],
    )


# --- An organisation, a territory ---------------------------------------------------------


def organisation_report(organisation: Organisation, user, year: SchoolYear) -> Report:
    activities = queries.organisation_activities(organisation, year.start_year, user)
    groups = queries.grouped_totals(activities, "kind")
    summary = queries.summarise(activities, groups)
    return Report(
        title=f"Indicateurs – {organisation.name}",
        year=year,
        summary=summary,
        coverage=None,
        tables=[
            summary_table(summary, None),
            conventions_table(user, activities, limit=None, title="Activités par convention"),
            kinds_table(groups),
            levels_table(activities),
        ],
    )


def territory_report(user, year: SchoolYear, *, academy: Academy | None = None, basin: Basin | None = None) -> Report:
    """An académie's or a bassin's indicators: the activities that took place there."""
    activities = queries.territory_activities(year.start_year, academy=academy, basin=basin)
    home = basin.academy if basin is not None else academy
    schools = (
        Organisation.objects.filter(basin=basin) if basin is not None else Organisation.objects.filter(academy=academy)
    )
    groups = queries.grouped_totals(activities, "kind", "programme", "programme__label", "basin", "basin__name")
    summary = queries.summarise(activities, groups)
    coverage = queries.schools_coverage(activities, schools)
    running = Convention.objects.filter(academies=home, status__in=queries.RUNNING_STATUSES, archived_at__isnull=True)
    gaps = by_row.commitments_without_activity(queries.readable_commitments(user, running), activities)
    tables = [
        summary_table(summary, coverage),
        kinds_table(groups),
        programmes_table(groups),
    ]
    if basin is None:
        tables.append(basins_table(groups))
    tables += [
        levels_table(activities),
        conventions_table(user, activities, limit=TOP_CONVENTIONS, title="Conventions les plus actives"),
        gaps_table(gaps.order_by("convention__title", "convention", "position", "pk"), with_convention=True),
    ]
    name = basin.name if basin is not None else str(academy)
    return Report(title=f"Indicateurs – {name}", year=year, summary=summary, coverage=coverage, tables=tables)
