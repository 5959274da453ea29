"""Reading and checking an activity import file: one activity a row.

Nothing here writes to the database: :func:`analyse` turns the bytes of an uploaded file into
an :class:`ActivityImportReport` saying, row by row, what would be recorded and what is wrong
(in French, with the file's line numbers), with the same scope rules as the recording form
(``recording``). ``import_services`` commits it. A file that cannot be read as a table, or lacks
a required column, raises :class:`ImportFileError` with a French message.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from partenariats.activities import recording
from partenariats.activities.forms_activities import MAX_PUPILS, recording_rights
from partenariats.activities.import_values import (
    CellError,
    activity_kind,
    level,
    parse_count,
    parse_day,
    parse_hours,
    parse_yes_no,
)
from partenariats.activities.models import Action, Activity, ActivityKind, Level, Plan
from partenariats.conventions.models import Convention, Party
from partenariats.core.school_year import SchoolYear
from partenariats.core.tabular import (
    Column,
    ImportFileError,
    Row,
    map_columns,
    missing_columns_error,
    read_table,
)
from partenariats.core.text import fold
from partenariats.directory.identifiers import is_valid_siret, is_valid_uai, normalize_siret, normalize_uai
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.territories.models import Academy, Basin

# Rows shown in the preview table; errors are all listed.
PREVIEW_ROWS = 200
# Names per ``OR`` query, and identifiers per ``__in`` query.
LOOKUP_CHUNK = 200

COLUMNS = (
    Column("date", "date", ("date_de_debut", "date_debut", "debut"), required=True),
    Column("end", "date de fin", ("date_fin", "fin")),
    Column("kind", "type", ("type_d_activite", "type_activite"), required=True),
    Column("title", "intitulé", ("titre", "libelle", "intitule_de_l_activite"), required=True),
    Column("place", "lieu"),
    Column(
        "school",
        "UAI de l’établissement",
        ("uai", "code_uai", "etablissement", "uai_etablissement", "nom_de_l_etablissement", "uai_ou_nom"),
    ),
    Column("level", "niveau"),
    Column("class_name", "classe"),
    Column("classes", "nombre de classes", ("nb_classes",)),
    Column("pupils", "élèves", ("eleves", "nombre_d_eleves", "nb_eleves", "participations_d_eleves")),
    Column("teachers", "enseignants", ("nombre_d_enseignants", "nb_enseignants")),
    Column("professionals", "professionnels", ("nombre_de_professionnels", "nb_professionnels")),
    Column("hours", "heures", ("duree", "duree_heures", "nombre_d_heures")),
    Column(
        "partner",
        "SIRET ou nom du partenaire",
        ("siret", "partenaire", "nom_du_partenaire", "siret_du_partenaire", "entreprise", "siret_nom_du_partenaire"),
    ),
    Column("prepared", "préparée", ("preparee_avec_les_eleves", "preparation")),
    Column("exploited", "exploitée", ("exploitee_en_classe", "exploitation")),
    Column("evaluation", "évaluation", ("evaluation_qualitative", "bilan")),
    Column("convention", "convention", ("reference_de_la_convention", "reference")),
    Column("action", "action", ("numero_d_action", "n_action", "action_du_plan")),
    Column("confidential", "confidentielle", ("confidentiel",)),
)
TEMPLATE_HEADERS = [column.header for column in COLUMNS]
REQUIRED_HEADERS = [column.header for column in COLUMNS if column.required]


@dataclass
class ActivityRow:
    """One line of the file: the activity it describes, or what is wrong with it."""

    line: int
    fields: dict[str, Any] = field(default_factory=dict)  # Activity field → value
    school: Organisation | None = None
    level: str = Level.OTHER.value
    class_name: str = ""
    pupils: int = 0
    partners: list[Organisation] = field(default_factory=list)
    convention_id: int | None = None
    convention_label: str = ""
    action_id: int | None = None
    action_number: int | None = None
    academy: Academy | None = None
    basin: Basin | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors.append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind_label(self) -> str:
        kind = self.fields.get("kind")
        return ActivityKind(kind).label if kind else ""

    @property
    def has_group(self) -> bool:
        return self.school is not None or self.pupils > 0


@dataclass
class ActivityImportReport:
    rows: list[ActivityRow]
    file_format: str
    notices: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    @property
    def error_messages(self) -> list[str]:
        """ "Ligne 7 : la date « 31/02/2026 » n’existe pas", row by row."""
        return [f"Ligne {row.line} : {message}" for row in self.rows for message in row.errors]

    @property
    def preview_rows(self) -> list[ActivityRow]:
        return self.rows[:PREVIEW_ROWS]


def analyse(data: bytes, user) -> ActivityImportReport:
    """What importing ``data`` on behalf of ``user`` would record, row by row."""
    table = read_table(data)
    positions, ignored = map_columns(table.headers, COLUMNS)
    missing = [column.header for column in COLUMNS if column.required and column.name not in positions]
    if missing:
        error = missing_columns_error(missing, REQUIRED_HEADERS, table.headers)
        optional = ", ".join(column.header for column in COLUMNS if not column.required)
        raise ImportFileError(f"{error} Colonnes facultatives : {optional}.")
    rows = [(line, Row(cells, positions)) for line, cells in table.rows]
    lookups = _Lookups(user, [row for _, row in rows])
    results = [_analyse_row(line, row, user, lookups) for line, row in rows]
    _note_duplicates(results, user)
    return ActivityImportReport(results, table.file_format, notices=table.notices, ignored_columns=ignored)


def _read(result: ActivityRow, reader: Callable[[], Any], default: Any = None) -> Any:
    try:
        return reader()
    except CellError as exc:
        result.error(str(exc))
        return default


def _analyse_row(line: int, row: Row, user, lookups: "_Lookups") -> ActivityRow:
    result = ActivityRow(line=line)
    values = result.fields
    values["title"] = row["title"]
    if not row["title"]:
        result.error("l’intitulé est vide")
    values["kind"] = _read(result, lambda: activity_kind(row["kind"]))
    latest = timezone.localdate() + timedelta(days=365)
    if row["date"]:
        values["starts_on"] = _read(result, lambda: parse_day(row["date"], latest=latest))
    else:
        result.error("la date est vide")
    if row["end"]:
        values["ends_on"] = _read(result, lambda: parse_day(row["end"], "la date de fin", latest=latest))
        if values.get("starts_on") and values["ends_on"] and values["ends_on"] < values["starts_on"]:
            result.error(f"la date de fin « {row['end']} » précède la date « {row['date']} »")
    values["place"] = row["place"]
    values["evaluation"] = row["evaluation"]
    values["class_count"] = _read(result, lambda: parse_count(row["classes"], "de classes", MAX_PUPILS), 0)
    values["teacher_count"] = _read(result, lambda: parse_count(row["teachers"], "d’enseignants", MAX_PUPILS), 0)
    values["professional_count"] = _read(
        result, lambda: parse_count(row["professionals"], "de professionnels", MAX_PUPILS), 0
    )
    values["hours"] = _read(result, lambda: parse_hours(row["hours"]), Decimal(0))
    values["prepared_with_pupils"] = _read(result, lambda: parse_yes_no(row["prepared"], "préparée"), False)
    values["exploited_afterwards"] = _read(result, lambda: parse_yes_no(row["exploited"], "exploitée"), False)
    values["confidential"] = _read(result, lambda: parse_yes_no(row["confidential"], "confidentielle"), False)
    result.pupils = _read(result, lambda: parse_count(row["pupils"], "d’élèves", MAX_PUPILS), 0)
    result.level = _read(result, lambda: level(row["level"]), Level.OTHER.value)
    result.class_name = row["class_name"]
    if result.class_name and not row["classes"]:
        values["class_count"] = 1
    _check_lengths(result)

    school = lookups.school(row["school"], result)
    partner = lookups.partner(row["partner"], result)
    # An unknown school or partner is already an error: the scope is checked on what was found.
    if (school or not row["school"]) and (partner or not row["partner"]):
        placement = recording.place(lookups.rights, [school] if school else [], [partner] if partner else [])
        if placement.refusal:
            result.error(placement.refusal)
        result.school = placement.schools[0] if placement.schools else None
        result.partners, result.academy, result.basin = placement.partners, placement.academy, placement.basin
        result.notes += placement.notes
    if row["convention"]:
        lookups.contribution(row["convention"], row["action"], values.get("starts_on"), result)
        lookups.check_involvement(result)
    elif row["action"]:
        result.error("une action est indiquée sans sa convention")
    return result


def _check_lengths(result: ActivityRow) -> None:
    for name in ("title", "place"):
        max_length = Activity._meta.get_field(name).max_length
        if len(result.fields[name]) > max_length:
            verbose = Activity._meta.get_field(name).verbose_name
            result.error(f"le champ « {verbose} » dépasse {max_length} caractères")
    if len(result.class_name) > 100:
        result.error("le nom de la classe dépasse 100 caractères")


def _note_duplicates(results: list[ActivityRow], user) -> None:
    """Warn of a row that repeats another, or an activity already recorded (a file imported twice)."""
    keys = {(r.fields.get("starts_on"), r.fields["title"]) for r in results if r.fields.get("starts_on")}
    dates = {day for day, _ in keys}
    titles = {title for _, title in keys}
    recorded = set()
    if keys and len(dates) <= 1000 and len(titles) <= 1000:
        recorded = set(
            Activity.objects.for_user(user)
            .filter(starts_on__in=dates, title__in=titles)
            .values_list("starts_on", "title")
        )
    seen: dict[tuple, int] = {}
    for result in results:
        key = (result.fields.get("starts_on"), result.fields["title"], result.school and result.school.pk)
        if key[0] is None:
            continue
        if key in seen:
            result.notes.append(f"même date, même intitulé et même établissement que la ligne {seen[key]}")
        seen.setdefault(key, result.line)
        if key[:2] in recorded:
            result.notes.append("une activité de même date et de même intitulé est déjà enregistrée")


_UAI = re.compile(r"\d{7}[A-Z]")


class _Lookups:
    """Schools, partners, conventions and actions the file names, each read once."""

    def __init__(self, user, rows: list[Row]):
        self.user = user
        self.rights = recording_rights(user)
        school_cells = {row["school"] for row in rows} - {""}
        partner_cells = {row["partner"] for row in rows} - {""}
        uais = {normalize_uai(cell) for cell in school_cells}
        sirets = {normalize_siret(cell) for cell in partner_cells}
        # Closed schools and merged-away duplicates are not offered in the forms either.
        located = Organisation.objects.filter(is_active=True, merged_into__isnull=True).select_related(
            "academy", "basin"
        )
        schools = located.filter(kind=OrganisationKind.SCHOOL)
        partners = located.exclude(kind=OrganisationKind.SCHOOL)
        self.schools_by_uai = _by_identifier(schools, "uai", {u for u in uais if _UAI.fullmatch(u)})
        self.partners_by_siret = _by_identifier(partners, "siret", {s for s in sirets if s.isdigit() and len(s) == 14})
        self.schools_by_name = _by_name(schools, {c for c in school_cells if not _UAI.fullmatch(normalize_uai(c))})
        self.partners_by_name = _by_name(partners, {c for c in partner_cells if not normalize_siret(c).isdigit()})
        conventions = Convention.objects.for_user(user).values_list("pk", "title", "reference")
        self.conventions: dict[str, set[tuple[int, str]]] = {}
        if any(row["convention"] for row in rows):
            for pk, title, reference in conventions:
                for key in {fold(title), fold(reference)} - {""}:
                    self.conventions.setdefault(key, set()).add((pk, reference or title))
        self._actions: dict[tuple[int, int], dict[int, tuple[int, bool]]] | None = None
        self._party_ids: set[int] | None = None
        self._involved: dict[int, set[int]] | None = None

    def school(self, cell: str, result: ActivityRow) -> Organisation | None:
        if not cell:
            return None
        uai = normalize_uai(cell)
        if _UAI.fullmatch(uai):
            if not is_valid_uai(uai):
                result.error(f"le code UAI « {cell} » est invalide (lettre de contrôle erronée)")
                return None
            school = self.schools_by_uai.get(uai)
            if school is None:
                result.error(f"l’UAI « {cell} » ne correspond à aucun établissement de l’annuaire")
            return school
        return _one_by_name(
            self.schools_by_name.get(fold(cell), []),
            result,
            none=f"aucun établissement de l’annuaire ne s’appelle « {cell} »",
            many=f"plusieurs établissements s’appellent « {cell} » : indiquez l’UAI",
        )

    def partner(self, cell: str, result: ActivityRow) -> Organisation | None:
        if not cell:
            return None
        siret = normalize_siret(cell)
        if siret.isdigit():
            if len(siret) == 9:
                result.error(f"« {cell} » est un SIREN (9 chiffres) : indiquez le SIRET (14 chiffres) ou le nom")
            elif len(siret) != 14 or not is_valid_siret(siret):
                result.error(f"le SIRET « {cell} » est invalide (14 chiffres et clé de contrôle attendus)")
            elif (partner := self.partners_by_siret.get(siret)) is None:
                result.error(f"le SIRET « {cell} » ne correspond à aucune organisation de l’annuaire")
            else:
                return partner
            return None
        return _one_by_name(
            self.partners_by_name.get(fold(cell), []),
            result,
            none=f"aucune organisation de l’annuaire ne s’appelle « {cell} »",
            many=f"plusieurs organisations s’appellent « {cell} » : indiquez le SIRET",
        )

    def contribution(self, cell: str, action_cell: str, day: date | None, result: ActivityRow) -> None:
        """The convention (by reference or title, among those the user sees) and the action of
        its plan for the activity's year (by number)."""
        found = self.conventions.get(fold(cell), set())
        if not found:
            result.error(f"la convention « {cell} » est inconnue ou hors de votre périmètre")
            return
        if len(found) > 1:
            result.error(f"plusieurs conventions répondent à « {cell} » : indiquez sa référence")
            return
        (result.convention_id, result.convention_label) = next(iter(found))
        if not action_cell or day is None:
            return
        try:
            number = int(action_cell.removeprefix("n°").removeprefix("N°").strip())
        except ValueError:
            result.error(f"le numéro d’action « {action_cell} » n’est pas un nombre entier")
            return
        year = SchoolYear.of(day)
        plan = self.actions.get((result.convention_id, year.start_year))
        if plan is None:
            result.error(f"la convention « {cell} » n’a pas de plan pour l’année {year.label}")
            return
        action = plan.get(number)
        if action is None or (action[1] and result.convention_id not in self.party_ids):
            result.error(f"l’action n° {number} n’existe pas dans le plan {year.label} de la convention « {cell} »")
            return
        result.action_id, result.action_number = action[0], number

    @property
    def actions(self) -> dict[tuple[int, int], dict[int, tuple[int, bool]]]:
        """(convention, year) → action number → (action id, confidential), for the plans of the
        conventions the file names."""
        if self._actions is None:
            pks = {pk for found in self.conventions.values() for pk, _ in found}
            plans = Plan.objects.filter(convention__in=pks).values_list("convention", "school_year")
            self._actions = {plan: {} for plan in plans}
            for pk, number, confidential, convention, year in Action.objects.filter(
                plan__convention__in=pks
            ).values_list("pk", "number", "confidential", "plan__convention", "plan__school_year"):
                self._actions[(convention, year)][number] = (pk, confidential)
        return self._actions

    def check_involvement(self, result: ActivityRow) -> None:
        """An activity counts toward a convention the importing person's organisation or académie
        is a party to, or one its school or partner is a party to (or a member of a federation
        that is): reading a convention (a federation's staff read their members') is not enough."""
        if result.convention_id is None or result.errors or result.convention_id in self.party_ids:
            return
        involved = {o.pk for o in [result.school, *result.partners] if o is not None}
        if not involved & self.involved_organisations.get(result.convention_id, set()):
            result.error(
                f"ni l’établissement ni le partenaire de la ligne ne sont parties à la convention "
                f"« {result.convention_label} » : elle ne peut pas compter pour elle"
            )

    @property
    def involved_organisations(self) -> dict[int, set[int]]:
        """Convention → the organisations that are parties to it, and the members of those parties."""
        if self._involved is None:
            pks = {pk for found in self.conventions.values() for pk, _ in found}
            self._involved = {}
            parties = Party.objects.filter(convention__in=pks)
            for convention, organisation in parties.values_list("convention", "organisation"):
                self._involved.setdefault(convention, set()).add(organisation)
            for convention, member in parties.filter(organisation__members__isnull=False).values_list(
                "convention", "organisation__members"
            ):
                self._involved.setdefault(convention, set()).add(member)
        return self._involved

    @property
    def party_ids(self) -> set[int]:
        if self._party_ids is None:
            self._party_ids = set(recording.party_convention_ids(self.user).values_list("pk", flat=True))
        return self._party_ids


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[start : start + LOOKUP_CHUNK] for start in range(0, len(ordered), LOOKUP_CHUNK)]


def _by_identifier(queryset, field_name: str, values: set[str]) -> dict[str, Organisation]:
    found = {}
    for chunk in _chunks(values):
        for organisation in queryset.filter(**{f"{field_name}__in": chunk}):
            found[getattr(organisation, field_name)] = organisation
    return found


def _by_name(queryset, names: set[str]) -> dict[str, list[Organisation]]:
    """Organisations whose name, folded, is one of ``names`` folded."""
    wanted = {fold(name) for name in names} - {""}
    found: dict[str, list[Organisation]] = {}
    for chunk in _chunks(wanted):
        condition = Q()
        for name in chunk:
            condition |= Q(search_text__startswith=name)
        for organisation in queryset.filter(condition, is_active=True):
            key = fold(organisation.name)
            if key in wanted:
                found.setdefault(key, []).append(organisation)
    return found


def _one_by_name(candidates: list[Organisation], result: ActivityRow, *, none: str, many: str) -> Organisation | None:
    if len(candidates) == 1:
        return candidates[0]
    result.error(many if candidates else none)
    return None
