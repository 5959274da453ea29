"""Reading and checking a directory import file: schools (annuaire de l'éducation) or organisations.

Nothing here writes to the database: :func:`analyse` turns the bytes of an uploaded file into
an :class:`ImportReport` saying, row by row, what would be created, updated or skipped and
what is wrong (in French, with the file's line numbers). ``import_services`` commits it.
A file that cannot be read as a table raises :class:`ImportFileError` with a French message.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils import timezone

from partenariats.core.access import scope_of
from partenariats.core.tabular import Column, Row, Table, map_columns, missing_columns_error, read_table

# Re-exported: the directory's views, tasks and tests read them from here.
from partenariats.core.tabular import ImportFileError as ImportFileError
from partenariats.core.tabular import column_key as column_key
from partenariats.core.text import fold
from partenariats.directory.identifiers import (
    is_valid_siret,
    is_valid_uai,
    normalize_siret,
    normalize_uai,
    uai_check_letter,
)
from partenariats.directory.models import (
    CompanySize,
    Organisation,
    OrganisationKind,
    PriorityEducation,
    SchoolType,
    Sector,
)
from partenariats.territories.models import Academy

# Rows shown in the preview table; errors are all listed.
PREVIEW_ROWS = 50
# Chunk of identifiers per ``__in`` query, well under SQLite's parameter limit.
LOOKUP_CHUNK = 2000


class ImportKind(models.TextChoices):
    SCHOOLS = "schools", "Établissements scolaires (annuaire de l’éducation)"
    ORGANISATIONS = "organisations", "Organisations (entreprises, fédérations, chambres, associations…)"


class Action(models.TextChoices):
    CREATE = "create", "création"
    UPDATE = "update", "mise à jour"
    UNCHANGED = "unchanged", "inchangée"
    SKIP = "skip", "ignorée"
    ERROR = "error", "erreur"


# --- Columns ------------------------------------------------------------------------------------


SCHOOL_COLUMNS = (
    Column("uai", "Identifiant_de_l_etablissement", ("uai", "code_uai", "numero_uai"), required=True),
    Column("name", "Nom_etablissement", ("appellation_officielle",), required=True),
    Column("type", "Type_etablissement"),
    Column("nature", "Libelle_nature"),
    Column("status", "Statut_public_prive", ("secteur_public_prive",)),
    Column("address", "Adresse_1"),
    Column("address_extra", "Adresse_2"),
    Column("postal_code", "Code_postal"),
    Column("city", "Nom_commune"),
    Column("department", "Code_departement"),
    Column("academy_code", "Code_academie"),
    Column("academy_name", "Libelle_academie"),
    Column("priority", "Appartenance_Education_Prioritaire"),
    Column("pupils", "Nombre_d_eleves"),
    Column("email", "Mail"),
    Column("phone", "Telephone"),
    Column("state", "etat"),
)

# The organisation template: the headers of the downloadable file, in this order.
ORGANISATION_COLUMNS = (
    Column("name", "nom", ("raison_sociale", "denomination"), required=True),
    Column("kind", "type", required=True),
    Column("acronym", "sigle"),
    Column("siret", "siret"),
    Column("naf", "code_naf", ("naf", "code_ape", "ape")),
    Column("size", "taille"),
    Column("address", "adresse"),
    Column("postal_code", "code_postal", ("cp",)),
    Column("city", "commune", ("ville",)),
    Column("academy", "academie"),
    Column("website", "site_web", ("site", "site_internet", "url")),
    Column("email", "courriel", ("email", "e_mail", "mail")),
    Column("phone", "telephone", ("tel",)),
)
ORGANISATION_TEMPLATE_HEADERS = [column.header for column in ORGANISATION_COLUMNS]


# --- The report ---------------------------------------------------------------------------------


@dataclass
class RowResult:
    line: int
    action: str = Action.CREATE
    values: dict[str, Any] = field(default_factory=dict)  # Organisation field → value
    identifier: str = ""  # UAI or SIRET
    existing_pk: int | None = None
    academy_label: str = ""
    type_label: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def city(self) -> str:
        return self.values.get("city", "")

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    def error(self, message: str) -> None:
        self.errors.append(message)
        self.action = Action.ERROR


@dataclass
class ImportReport:
    kind: str
    rows: list[RowResult]
    file_format: str
    notices: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in Action.values}

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def error_messages(self) -> list[str]:
        """ "Ligne 7 : le code UAI « 0130001B » est invalide (lettre de contrôle attendue : F)", row by row."""
        return [f"Ligne {row.line} : {message}" for row in self.rows for message in row.errors]

    @property
    def preview_rows(self) -> list[RowResult]:
        return self.rows[:PREVIEW_ROWS]


def analyse(kind: str, data: bytes, user) -> ImportReport:
    """What importing ``data`` as ``kind`` on behalf of ``user`` would do, row by row."""
    table = read_table(data)
    parser: Callable[[Table, Any], ImportReport] = {
        ImportKind.SCHOOLS: _analyse_schools,
        ImportKind.ORGANISATIONS: _analyse_organisations,
    }[ImportKind(kind)]
    report = parser(table, user)
    report.notices = table.notices + report.notices
    return report


class _Academies:
    """Académies found by name or code, read once."""

    def __init__(self):
        self.all = Academy.objects.all()
        self.by_code = {academy.code: academy for academy in self.all}  # evaluates and caches the queryset
        self._by_name: dict[str, Academy | None] = {}

    def find(self, name: str = "", code: str = "") -> Academy | None:
        if name:
            if name not in self._by_name:
                self._by_name[name] = self.all.by_name(name)
            if self._by_name[name]:
                return self._by_name[name]
        if code:
            return self.by_code.get(code.zfill(2))
        return None


def _existing(field_name: str, values: list[str], user) -> tuple[dict[str, Organisation], set[int]]:
    """Organisations already holding these UAIs or SIRETs, and which of them the user may change."""
    found: dict[str, Organisation] = {}
    editable: set[int] = set()
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        lookup = {f"{field_name}__in": chunk}
        for organisation in Organisation.objects.filter(**lookup):
            found[getattr(organisation, field_name)] = organisation
        editable |= set(Organisation.objects.editable_by(user).filter(**lookup).values_list("pk", flat=True))
    return found, editable


def _compare_with(result: RowResult, current: Organisation, editable: set[int]) -> None:
    """The row updates ``current``, or leaves it be when the file says what the record already says."""
    result.existing_pk = current.pk
    if current.pk not in editable:
        result.error(f"la fiche existante « {current.name} » est hors de votre périmètre")
    if result.errors:
        return
    changed = any(getattr(current, name) != value for name, value in result.values.items())
    result.action = Action.UPDATE if changed else Action.UNCHANGED


def _check_lengths(row: RowResult) -> None:
    for name, value in row.values.items():
        max_length = getattr(Organisation._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            verbose = Organisation._meta.get_field(name).verbose_name
            row.error(f"le champ « {verbose} » dépasse {max_length} caractères")


def _department_code(raw: str, postal_code: str) -> str:
    """INSEE department code: "013" → "13", "02A" → "2A", "4" → "04"; from the postal code if absent."""
    code = raw.upper().replace(" ", "")
    if len(code) == 3 and code.startswith("0"):
        code = code[1:]
    if len(code) == 1 and code.isdigit():
        code = code.zfill(2)
    if not code and len(postal_code) == 5 and postal_code.isdigit() and not postal_code.startswith("20"):
        code = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
    return code


def _postal_code(raw: str) -> str:
    code = raw.replace(" ", "")
    # Spreadsheets drop the leading zero of "04400".
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def _phone(raw: str) -> str:
    # A spreadsheet turns "0491000001" into the number 491000001.
    return "0" + raw if raw.isdigit() and len(raw) == 9 else raw


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _in_scope(academy: Academy | None, scope) -> bool:
    return scope.is_platform_admin or (academy is not None and academy.pk in scope.writable_academy_ids)


# --- Schools ------------------------------------------------------------------------------------


def school_type(type_label: str, nature_label: str) -> str:
    """The school type from the annuaire's type and nature ("LYCEE PROFESSIONNEL" makes a lycée a LP)."""
    nature, kind = fold(nature_label), fold(type_label)
    for text in (nature, kind):
        if "apprenti" in text or text.startswith("cfa"):
            return SchoolType.CFA
        if "adapte" in text or text.startswith("erea"):
            return SchoolType.EREA
        if text.startswith("lycee"):
            if "professionnel" in text:
                return SchoolType.LYCEE_PRO
            if "polyvalent" in text:
                return SchoolType.LYCEE_POLY
            return SchoolType.LYCEE
        if text.startswith("college"):
            return SchoolType.COLLEGE
        if text.startswith("ecole"):
            return SchoolType.ECOLE
    return SchoolType.OTHER


def _sector(raw: str) -> str:
    folded = fold(raw)
    if folded.startswith("priv"):
        return Sector.PRIVATE
    if folded.startswith("public"):
        return Sector.PUBLIC
    return ""


def _priority(raw: str) -> str:
    folded = fold(raw).replace(" ", "")
    if folded.startswith("rep+"):
        return PriorityEducation.REP_PLUS
    if folded.startswith("rep"):
        return PriorityEducation.REP
    return PriorityEducation.NONE


def _uai_error(raw: str) -> str:
    uai = normalize_uai(raw)
    if re.fullmatch(r"\d{7}[A-Z]", uai):
        return f"le code UAI « {raw} » est invalide (lettre de contrôle attendue : {uai_check_letter(uai[:7])})"
    return f"le code UAI « {raw} » est invalide (7 chiffres suivis d’une lettre attendus)"


def _analyse_schools(table: Table, user) -> ImportReport:
    positions, ignored = map_columns(table.headers, SCHOOL_COLUMNS)
    missing = [column.header for column in SCHOOL_COLUMNS if column.required and column.name not in positions]
    if "academy_name" not in positions and "academy_code" not in positions:
        missing.append("Libelle_academie ou Code_academie")
    if missing:
        expected = [column.header for column in SCHOOL_COLUMNS if column.required]
        raise missing_columns_error(missing, [*expected, "Libelle_academie ou Code_academie"], table.headers)

    scope = scope_of(user)
    academies = _Academies()
    rows = [(line, Row(cells, positions)) for line, cells in table.rows]
    existing, editable = _existing("uai", sorted({normalize_uai(row["uai"]) for _, row in rows} - {""}), user)
    seen: dict[str, int] = {}
    results = []
    for line, row in rows:
        result = RowResult(line=line)
        results.append(result)
        uai = normalize_uai(row["uai"])
        result.identifier = uai
        closed = fold(row["state"]).startswith("ferm")
        current = existing.get(uai)
        name = row["name"]
        result.values["name"] = name
        result.values["city"] = row["city"]
        if closed and current is None:
            result.action = Action.SKIP
            result.notes.append("établissement fermé : il n’est pas importé")
            continue

        if not uai:
            result.error("le code UAI est vide")
        elif not is_valid_uai(uai):
            result.error(_uai_error(row["uai"]))
        elif uai in seen:
            result.error(f"le code UAI « {uai} » figure déjà ligne {seen[uai]}")
        else:
            seen[uai] = line
        if not name:
            result.error("le nom de l’établissement est vide")

        academy = academies.find(name=row["academy_name"], code=row["academy_code"])
        if academy is None:
            given = row["academy_name"] or row["academy_code"]
            result.error(f"l’académie « {given} » est inconnue" if given else "l’académie n’est pas renseignée")
        else:
            result.academy_label = academy.name
            if not _in_scope(academy, scope):
                result.error(f"l’établissement relève de l’académie « {academy.name} » : hors de votre périmètre")

        pupils = row["pupils"].replace(" ", "")
        if pupils and not pupils.isdigit():
            result.error(f"le nombre d’élèves « {row['pupils']} » n’est pas un nombre entier")
        email = row["email"]
        if email and not _valid_email(email):
            result.notes.append(f"courriel « {email} » invalide : il n’est pas repris")
            email = ""

        kind = school_type(row["type"], row["nature"])
        postal_code = _postal_code(row["postal_code"])
        result.type_label = SchoolType(kind).label
        result.values.update(
            kind=OrganisationKind.SCHOOL,
            uai=uai,
            school_type=kind,
            sector=_sector(row["status"]),
            address=row["address"],
            address_extra=row["address_extra"],
            postal_code=postal_code,
            department_code=_department_code(row["department"], postal_code),
            academy_id=academy.pk if academy else None,
            priority_education=_priority(row["priority"]),
            pupil_count=int(pupils) if pupils.isdigit() else None,
            email=email,
            phone=_phone(row["phone"]),
        )
        _check_lengths(result)

        if current is not None:
            if closed and current.is_active:
                result.values.update(is_active=False, deactivated_on=timezone.localdate())
                result.notes.append("établissement fermé : sa fiche sera désactivée")
            _compare_with(result, current, editable)

    notices = ["Les établissements fermés (état « FERME ») ne sont pas importés ; déjà connus, ils sont désactivés."]
    return ImportReport(ImportKind.SCHOOLS, results, table.file_format, notices=notices, ignored_columns=ignored)


# --- Organisations ------------------------------------------------------------------------------

_KIND_WORDS = {
    "entreprise": OrganisationKind.COMPANY,
    "societe": OrganisationKind.COMPANY,
    "federation": OrganisationKind.EMPLOYER_ORG,
    "organisation patronale": OrganisationKind.EMPLOYER_ORG,
    "syndicat professionnel": OrganisationKind.EMPLOYER_ORG,
    "branche professionnelle": OrganisationKind.EMPLOYER_ORG,
    "chambre": OrganisationKind.CHAMBER,
    "cci": OrganisationKind.CHAMBER,
    "cma": OrganisationKind.CHAMBER,
    "association": OrganisationKind.ASSOCIATION,
    "organisme public": OrganisationKind.PUBLIC_BODY,
    "public": OrganisationKind.PUBLIC_BODY,
    "collectivite": OrganisationKind.PUBLIC_BODY,
}
IMPORTABLE_KINDS = [
    OrganisationKind.COMPANY,
    OrganisationKind.EMPLOYER_ORG,
    OrganisationKind.CHAMBER,
    OrganisationKind.ASSOCIATION,
    OrganisationKind.PUBLIC_BODY,
]
KIND_HELP = "entreprise, fédération, chambre consulaire, association, organisme public"

_SIZE_WORDS = {
    "micro": CompanySize.MICRO,
    "microentreprise": CompanySize.MICRO,
    "tpe": CompanySize.MICRO,
    "pme": CompanySize.SME,
    "eti": CompanySize.MID,
    "ge": CompanySize.LARGE,
    "grande": CompanySize.LARGE,
    "grande entreprise": CompanySize.LARGE,
}
SIZE_HELP = "micro, PME, ETI, GE (ou vide)"


def organisation_kind(raw: str) -> str | None:
    folded = fold(raw)
    for kind in IMPORTABLE_KINDS:
        if folded in (kind.value, fold(kind.label)):
            return kind
    for word, kind in _KIND_WORDS.items():
        if folded == word or folded.startswith(word + " "):
            return kind
    return None


def company_size(raw: str) -> str | None:
    folded = fold(raw)
    if not folded:
        return CompanySize.UNKNOWN
    for size in CompanySize:
        if size and (folded == size.value or folded == fold(size.label)):
            return size
    return _SIZE_WORDS.get(folded.split(" (")[0])


def _naf_code(raw: str) -> str | None:
    match = re.fullmatch(r"(\d{2})\.?(\d{2})([A-Z])", raw.upper().replace(" ", ""))
    return f"{match[1]}.{match[2]}{match[3]}" if match else None


def _website(raw: str) -> str | None:
    url = raw if re.match(r"^https?://", raw, re.IGNORECASE) else f"https://{raw}"
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return None
    return url


def _analyse_organisations(table: Table, user) -> ImportReport:
    positions, ignored = map_columns(table.headers, ORGANISATION_COLUMNS)
    required = [column.header for column in ORGANISATION_COLUMNS if column.required]
    missing = [column.header for column in ORGANISATION_COLUMNS if column.required and column.name not in positions]
    if missing:
        raise missing_columns_error(missing, required, table.headers)

    scope = scope_of(user)
    academies = _Academies()
    own_academies = [academy for academy in academies.all if academy.pk in scope.writable_academy_ids]
    rows = [(line, Row(cells, positions)) for line, cells in table.rows]
    sirets = sorted({normalize_siret(row["siret"]) for _, row in rows} - {""})
    existing, editable = _existing("siret", sirets, user)
    seen: dict[str, int] = {}
    results = []
    for line, row in rows:
        result = RowResult(line=line)
        results.append(result)
        values = result.values
        values["name"] = row["name"]
        if not row["name"]:
            result.error("le nom est vide")

        kind = organisation_kind(row["kind"])
        if row["kind"] and fold(row["kind"]).startswith(("etablissement", "ecole", "college", "lycee")):
            result.error("les établissements scolaires s’importent avec le modèle « annuaire de l’éducation »")
        elif kind is None:
            result.error(f"le type « {row['kind']} » est inconnu (valeurs possibles : {KIND_HELP})")
        else:
            values["kind"] = kind
            result.type_label = OrganisationKind(kind).label

        siret = normalize_siret(row["siret"])
        result.identifier = siret
        if siret:
            if re.fullmatch(r"\d{9}", siret):
                result.error(f"« {row['siret']} » est un SIREN (9 chiffres) : indiquez le SIRET (14 chiffres)")
            elif not is_valid_siret(siret):
                result.error(f"le SIRET « {row['siret']} » est invalide (14 chiffres et clé de contrôle attendus)")
            elif siret in seen:
                result.error(f"le SIRET « {siret} » figure déjà ligne {seen[siret]}")
            else:
                seen[siret] = line
                values["siret"] = siret
        else:
            result.notes.append("sans SIRET, une nouvelle fiche est créée à chaque import")

        if row["naf"]:
            naf = _naf_code(row["naf"])
            if naf is None:
                result.error(f"le code NAF « {row['naf']} » est invalide (format attendu : 62.01Z)")
            values["naf_code"] = naf or ""
        size = company_size(row["size"])
        if size is None:
            result.error(f"la taille « {row['size']} » est inconnue (valeurs possibles : {SIZE_HELP})")
        elif size:
            values["size"] = size
        if row["website"]:
            website = _website(row["website"])
            if website is None:
                result.error(f"le site web « {row['website']} » n’est pas une adresse valide")
            values["website"] = website or ""
        if row["email"] and not _valid_email(row["email"]):
            result.error(f"le courriel « {row['email']} » n’est pas une adresse valide")

        academy = None
        if row["academy"]:
            academy = academies.find(name=row["academy"], code=row["academy"])
            if academy is None:
                result.error(f"l’académie « {row['academy']} » est inconnue")
            elif not _in_scope(academy, scope):
                result.error(f"l’académie « {academy.name} » est hors de votre périmètre")
        elif not scope.is_platform_admin:
            if len(own_academies) == 1:
                academy = own_academies[0]
            else:
                result.error("l’académie n’est pas renseignée (vous intervenez dans plusieurs académies)")
        if academy is not None:
            values["academy_id"] = academy.pk
            result.academy_label = academy.name

        postal_code = _postal_code(row["postal_code"])
        for name, value in (
            ("acronym", row["acronym"]),
            ("address", row["address"]),
            ("postal_code", postal_code),
            ("city", row["city"]),
            ("department_code", _department_code("", postal_code)),
            ("email", row["email"]),
            ("phone", _phone(row["phone"])),
        ):
            # On an update, an empty cell leaves the recorded value as it is.
            if value:
                values[name] = value
        _check_lengths(result)

        current = existing.get(siret) if siret else None
        if current is not None:
            _compare_with(result, current, editable)
    return ImportReport(ImportKind.ORGANISATIONS, results, table.file_format, ignored_columns=ignored)
