"""The review page's data: the forms prefilled from a reading, and each field paired with the
passage it was read from, the reader's flag, its candidates and French reasons."""

from dataclasses import dataclass, field
from datetime import date

from partenariats.conventions.models import ConventionKind, PartySide, TermStart
from partenariats.intake.forms import (
    ALL_PARTIES,
    NEW,
    ActionFormSet,
    ArticleFormSet,
    CommitmentFormSet,
    ContactFormSet,
    ConventionReviewForm,
    ModalityFormSet,
    PartyFormSet,
    SignatoryFormSet,
    check_party_links,
    group_value,
    subject_parties,
)
from partenariats.intake.marks import Span, anchor_for
from partenariats.intake.matching import academy_of, directory_kind, match_organisations
from partenariats.territories.models import Academy

# The convention form's fields → the contract's key paths.
CONVENTION_PATHS = {
    "title": "title",
    "parent_description": "parent",
    "preamble": "preamble",
    "confidentiality_clause": "confidentiality_clause",
    "dispute_clause": "dispute_clause",
    "signature_place": "signature_place",
    "originals": "originals",
    "start_mode": "terms.start",
    "start_date": "terms.start",
    "duration_months": "terms.duration_months",
    "indefinite": "terms.indefinite",
    "tacit_renewal": "terms.tacit_renewal",
    "renewal_months": "terms.renewal_months",
    "provisional_extension_months": "terms.provisional_extension_months",
    "notice_months": "terms.notice_months",
    "notice_by_registered_letter": "terms.notice_by_registered_letter",
    "termination_effect": "terms.termination_effect",
    "termination_date": "terms.termination_date",
    "steering_committee_month": "steering_committee_month",
    "contact_exchange_month": "contact_exchange_month",
}
# Fields whose emptiness the reviewer must look at first (the text may well give them).
IMPORTANT = {
    "title",
    "academies",
    "start_mode",
    "signature_place",
    "originals",
    "duration_months",
    "tacit_renewal",
    "notice_months",
    "termination_effect",
}
ROW_PATHS = {
    "parties": {
        "name": "name",
        "acronym": "acronym",
        "siret": "siret",
        "address": "address",
        "kind": "kind",
        "representative": "representative",
        "representative_title": "representative_title",
    },
    "signatures": {"name": "name", "title": "title", "date": "date", "raw": "raw", "place": "place", "party": "party"},
    "commitments": {"text": "text", "party": "party", "article": "article"},
    "contacts": {"name": "name", "role": "role", "party": "party", "email": "email", "phone": "phone"},
    "actions": {"title": "title", "objective": "objective", "start": "start"},
}
IMPORTANT_ROW = {
    "parties": {"name", "representative"},
    "signatures": {"name", "date"},
    "commitments": {"party"},
    "actions": {"title"},
}
NOT_FOUND = "Non trouvé dans le texte : à compléter si le texte le donne."
# Fields prefilled with a default the text did not give: the reviewer confirms them first.
DEFAULTED = {"kind": "Type proposé par défaut (convention-cadre), le texte ne le dit pas : à confirmer."}


def _list(result: dict, key: str) -> list:
    value = result.get(key)
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _month(value):
    return value if isinstance(value, int) and 1 <= value <= 12 else None


def _date_text(value) -> str:
    """The contract's "YYYY-MM-DD" / "YYYY-MM" as the form writes it."""
    if not isinstance(value, str):
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return ""


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _index(value, size: int):
    return str(value) if isinstance(value, int) and 0 <= value < size else ""


# --- Initial values ------------------------------------------------------------------------------


def convention_initial(result: dict, writable: list[Academy], default_academy: Academy | None = None) -> dict:
    """The convention form's values from the reading; what the text does not give stays empty (the
    académie included: the user's own is not assumed, ``default_academy`` is not used for it)."""
    terms = result.get("terms") if isinstance(result.get("terms"), dict) else {}
    start = terms.get("start")
    fixed = _iso(start)
    academy = academy_of(_list(result, "parties"), writable)
    start_mode = TermStart.FIXED_DATE if fixed else TermStart.SIGNATURE if start == TermStart.SIGNATURE else None
    initial = {
        "title": _text(result.get("title")),
        "kind": ConventionKind.FRAMEWORK,
        "academies": [academy.pk] if academy else [],
        "parent_description": _text(result.get("parent")),
        "preamble": _text(result.get("preamble")),
        "confidentiality_clause": _text(result.get("confidentiality_clause")),
        "dispute_clause": _text(result.get("dispute_clause")),
        "signature_place": _text(result.get("signature_place")),
        "originals": result.get("originals") if isinstance(result.get("originals"), int) else None,
        "start_mode": start_mode,
        "start_date": fixed,
        "steering_committee_month": _month(result.get("steering_committee_month")),
        "contact_exchange_month": _month(result.get("contact_exchange_month")),
    }
    for name in ("duration_months", "renewal_months", "provisional_extension_months", "notice_months"):
        value = terms.get(name)
        initial[name] = value if isinstance(value, int) and not isinstance(value, bool) else None
    for name in ("indefinite", "tacit_renewal", "notice_by_registered_letter"):
        value = terms.get(name)
        initial[name] = value if isinstance(value, bool) else None
    initial["termination_effect"] = _text(terms.get("termination_effect"))
    initial["termination_date"] = _iso(terms.get("termination_date"))
    return initial


def party_initial(parties: list[dict], matches: list[list]) -> list[dict]:
    rows = []
    for party, found in zip(parties, matches, strict=True):
        best = found[0] if found and found[0].strong else None
        rows.append(
            {
                "keep": True,
                "name": _text(party.get("name")),
                "organisation": str(best.organisation.pk) if best else NEW,
                "kind": directory_kind(party),
                "acronym": _text(party.get("acronym")),
                "siret": _text(party.get("siret")),
                "address": _text(party.get("address")),
                "side": PartySide.EDUCATION if party.get("kind") == "education" else PartySide.PARTNER,
                "representative": _text(party.get("representative")),
                "representative_title": _text(party.get("representative_title")),
            }
        )
    return rows


def sections_initial(result: dict) -> list[dict]:
    """Each heading as an article: its own text runs from the end of its heading to its first
    sub-heading (or the end of its section)."""
    text = _text(result.get("text"))
    sections = _list(result, "sections")
    if not sections:
        return [
            {"keep": True, "number": "", "heading": _text(label), "text": ""} for label in result.get("articles") or []
        ]
    first_child: dict[int, int] = {}
    for section in sections:
        parent = section.get("parent")
        if isinstance(parent, int) and parent not in first_child and isinstance(section.get("start"), int):
            first_child[parent] = section["start"]
    rows = []
    for index, section in enumerate(sections):
        kind, number = section.get("kind"), _text(section.get("number"))
        label = _text(section.get("label"))
        if kind == "preamble":
            number, label = "", label or "Préambule"
        elif kind == "title":
            number = f"Titre {number}".strip()
        elif kind == "annex":
            number = f"Annexe {number}".strip()
        end, body_end = section.get("end"), section.get("body_end")
        own = ""
        if isinstance(end, int) and isinstance(body_end, int):
            own = text[end : min(first_child.get(index, body_end), body_end)].strip()
        parent = section.get("parent")
        rows.append(
            {
                "keep": True,
                "number": number[:20],
                "heading": label[:500],
                "text": own,
                "parent": parent if isinstance(parent, int) and 0 <= parent < index else None,
            }
        )
    return rows


def forms_for(job, user, writable: list[Academy], default_academy: Academy | None, data=None) -> dict:
    """The review's forms, prefilled from the job's reading (bound to ``data`` when posted)."""
    result = job.result or {}
    parties = _list(result, "parties")
    names = [_text(party.get("name")) for party in parties]
    size = len(parties)
    matches = [match_organisations(party, user) for party in parties]
    academies = Academy.objects.filter(pk__in=[a.pk for a in writable]).order_by("name")
    actions = _list(result, "actions")
    read_commitments = _list(result, "commitments")
    modalities = [
        {
            "keep": True,
            "action": index,
            "party": _index(modality.get("party"), size),
            "text": _text(modality.get("text")),
        }
        for index, action in enumerate(actions)
        for modality in (m if isinstance(m, dict) else {} for m in action.get("modalities") or [])
    ]
    forms = {
        "convention": ConventionReviewForm(
            data, academies=academies, initial=convention_initial(result, writable, default_academy)
        ),
        "parties": PartyFormSet(
            data,
            prefix="parties",
            initial=party_initial(parties, matches),
            matches=matches,
        ),
        "signatures": SignatoryFormSet(
            data,
            prefix="signatures",
            initial=[
                {
                    "keep": True,
                    "name": _text(s.get("name")),
                    "title": _text(s.get("title")),
                    "date": _date_text(s.get("date")),
                    "raw": _text(s.get("raw")),
                    "place": _text(s.get("place")),
                    "party": _index(s.get("party"), size),
                }
                for s in _list(result, "signatures")
            ],
            form_kwargs={"party_names": names},
        ),
        "articles": ArticleFormSet(data, prefix="articles", initial=sections_initial(result)),
        "commitments": CommitmentFormSet(
            data,
            prefix="commitments",
            initial=[
                {
                    "keep": True,
                    "text": _text(c.get("text")),
                    "party": _commitment_party(c, size),
                    "article": _text(c.get("article")),
                    "source": index,
                }
                for index, c in enumerate(read_commitments)
            ],
            form_kwargs={"party_names": names},
            subjects=read_commitments,
        ),
        "contacts": ContactFormSet(
            data,
            prefix="contacts",
            initial=[
                {
                    "keep": True,
                    "name": _text(c.get("name")),
                    "role": _text(c.get("role")),
                    "party": _index(c.get("party"), size),
                    "email": _text(c.get("email")),
                    "phone": _text(c.get("phone")),
                }
                for c in _list(result, "contacts")
            ],
            form_kwargs={"party_names": names},
        ),
        "actions": ActionFormSet(
            data,
            prefix="actions",
            initial=[
                {
                    "keep": True,
                    "title": _text(a.get("title")),
                    "objective": _text(a.get("objective")),
                    "start": _text(a.get("start")),
                }
                for a in actions
            ],
        ),
        "modalities": ModalityFormSet(
            data, prefix="modalities", initial=modalities, form_kwargs={"party_names": names}
        ),
    }
    return forms


def _commitment_party(commitment: dict, size: int) -> str:
    """The prefilled party of a read commitment: « Toutes les parties » only when its subject is all
    of them, the party or group of parties it names, else empty (the person chooses)."""
    if commitment.get("all") is True:
        return ALL_PARTIES
    return group_value(subject_parties(commitment, size))


def all_valid(forms: dict) -> bool:
    valid = all([form.is_valid() for form in forms.values()])  # every form, for every error message
    if not forms["parties"].is_valid():
        return False  # which parties are kept is not known yet
    return check_party_links(forms) and valid


# --- Pairing fields with their evidence --------------------------------------------------------


@dataclass
class Item:
    """A field of the review with what the reader says about it."""

    field: object  # a BoundField
    path: str
    anchor: str | None  # the mark's id, when the value's passage is known
    flag: str = ""
    candidates: list = field(default_factory=list)
    empty: bool = False
    important: bool = False

    @property
    def needs_attention(self) -> bool:
        return bool(self.flag or self.candidates or (self.empty and self.important))

    @property
    def reason(self) -> str:
        if self.flag:
            return self.flag
        if self.candidates:
            reasons = dict.fromkeys(_text(c.get("reason")) for c in self.candidates if _text(c.get("reason")))
            return " ; ".join(reasons) or "Incertain"
        return NOT_FOUND

    @property
    def target(self) -> str:
        return f"field-{self.field.html_name}"


class Evidence:
    """The reading's evidence and candidates, by key path, and which marks exist."""

    def __init__(self, result: dict):
        self.evidence = result.get("evidence") if isinstance(result.get("evidence"), dict) else {}
        self.candidates = result.get("candidates") if isinstance(result.get("candidates"), dict) else {}
        self.used: set[str] = set()

    def spans(self, result: dict) -> list[Span]:
        spans = [
            Span(item["start"], item["end"], anchor_for(path))
            for path, item in self.evidence.items()
            if isinstance(item, dict) and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
        ]
        for index, section in enumerate(_list(result, "sections")):
            if isinstance(section.get("start"), int) and isinstance(section.get("end"), int):
                spans.append(Span(section["start"], section["end"], f"src-section-{index}"))
        return spans

    def item(self, bound, path: str, *, important: bool = False, anchor: str | None = None, default: str = "") -> Item:
        """``default``: the reason to check a value prefilled by default, while it is the form's initial one."""
        self.used.add(path)
        found = self.evidence.get(path) if isinstance(self.evidence.get(path), dict) else None
        candidates = [c for c in self.candidates.get(path) or [] if isinstance(c, dict)]
        value = bound.value()
        flag = _text(found.get("flag")) if found else ""
        if default and not found:
            flag = flag or default
        return Item(
            field=bound,
            path=path,
            anchor=anchor or (anchor_for(path) if found and isinstance(found.get("start"), int) else None),
            flag=flag,
            candidates=candidates,
            empty=value in (None, "", []),
            important=important,
        )

    def leftovers(self) -> list[tuple[str, list]]:
        """Candidates the page shows under no field (``signature_date``…)."""
        return [
            (path, [c for c in candidates if isinstance(c, dict)])
            for path, candidates in self.candidates.items()
            if path not in self.used and isinstance(candidates, list)
        ]


PATH_LABELS = {"signature_date": "Date de signature (la plus tardive)"}


def page_layout(forms: dict, result: dict) -> tuple[dict, Evidence]:
    """The right column: the convention's field groups, then each list's rows, every field paired
    with its evidence; ``Evidence.used`` then tells which candidates no field shows."""
    evidence = Evidence(result)
    convention = forms["convention"]
    layout: dict = {
        "groups": [
            {
                "id": key,
                "legend": legend,
                "items": [
                    evidence.item(
                        convention[name],
                        CONVENTION_PATHS.get(name, name),
                        important=name in IMPORTANT,
                        default=DEFAULTED.get(name, ""),
                    )
                    for name in names
                ],
            }
            for key, legend, names in ConventionReviewForm.GROUPS
        ]
    }
    for key in ("parties", "signatures", "commitments", "contacts", "actions"):
        rows = []
        for index, form in enumerate(forms[key].forms):
            position = index
            if key == "commitments" and isinstance(form.initial.get("source"), int):
                position = form.initial["source"]
            items = [
                evidence.item(form[name], f"{key}.{position}.{path}", important=name in IMPORTANT_ROW.get(key, set()))
                for name, path in ROW_PATHS[key].items()
                if name in form.fields
            ]
            others = [form[name] for name in form.fields if name not in ROW_PATHS[key] and name != "keep"]
            rows.append({"form": form, "items": items, "others": others, "index": index, "number": index + 1})
        layout[key] = rows
    has_sections = bool(_list(result, "sections"))
    layout["articles"] = [
        {"form": form, "anchor": f"src-section-{index}" if has_sections else None, "number": index + 1}
        for index, form in enumerate(forms["articles"].forms)
    ]
    modalities: dict[int | None, list] = {}
    for form in forms["modalities"].forms:
        action = _int(form.data.get(form.add_prefix("action"))) if form.is_bound else form.initial.get("action")
        modalities.setdefault(action, []).append(form)
    for row in layout["actions"]:
        row["modalities"] = modalities.get(row["index"], [])
    return layout, evidence


def attention(layout: dict) -> list[dict]:
    """The fields to check first: flagged, uncertain, or important and left empty; in page order."""
    found = []
    for group in layout["groups"]:
        found += [{"item": item, "where": group["legend"]} for item in group["items"] if item.needs_attention]
    labels = {
        "parties": "Partie",
        "signatures": "Signataire",
        "commitments": "Engagement",
        "contacts": "Contact",
        "actions": "Action",
    }
    for key, label in labels.items():
        for row in layout[key]:
            found += [
                {"item": item, "where": f"{label} {row['number']}"} for item in row["items"] if item.needs_attention
            ]
    return found


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() else None
