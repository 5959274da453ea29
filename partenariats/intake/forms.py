"""Forms of the import: the upload, and the review of a reading (one form for the convention,
one formset per list: parties, signatories, articles, commitments, contacts, actions and their
modalities). They validate and say in French what is wrong; ``review_data`` turns them into
what ``services.save_reviewed`` saves."""

import re
from datetime import date

from django import forms
from django.conf import settings
from django.forms import BaseFormSet, formset_factory
from django.forms.utils import ErrorDict
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineCheckboxSelectMultiple, InlineRadioSelect

from partenariats.conventions.forms import MONTH_CHOICES, TermsForm, optional_date
from partenariats.conventions.models import ConventionKind, DatePrecision, PartySide, TermStart
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.directory.validators import validate_siret
from partenariats.intake.services import (
    ActionReview,
    ArticleReview,
    CommitmentReview,
    ContactReview,
    PartyReview,
    ReviewData,
    SignatoryReview,
)
from partenariats.territories.models import Academy

MAX_ROWS = 500  # rows a list may hold: beyond, the request is not a review
NEW = "new"
ALL_PARTIES = "all"
ACCEPT = ".pdf,.docx,.txt,.md,.png,.jpg,.jpeg,.tif,.tiff"


class UploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Convention à importer",
        help_text="PDF (texte ou scanné), DOCX, TXT, MD, PNG, JPEG ou TIFF ; 20 Mo et 100 pages au plus.",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ACCEPT}),
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n’a pas été reçu : déposez-le de nouveau.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.group_class = "fr-upload-group"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = min(settings.IMPORT_MAX_BYTES, 20 * 1024 * 1024)
        if upload.size > limit:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale autorisée ({limit // (1024 * 1024)} Mo)."
            )
        return upload


# --- The review ---------------------------------------------------------------------------------


class ReviewForm(DsfrBaseForm):
    """A row of a list: ``keep`` unticked, the row is left out and not validated."""

    keep = forms.BooleanField(label="Garder", required=False, initial=True)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not getattr(self, "cleaned_data", {}).get("keep"):
            self._errors = ErrorDict()
            self.cleaned_data = {"keep": False}

    @property
    def kept(self) -> bool:
        return bool(self.cleaned_data.get("keep"))


class ConventionReviewForm(TermsForm):
    title = forms.CharField(label="Intitulé", max_length=500)
    kind = forms.ChoiceField(label="Type", choices=ConventionKind.choices, initial=ConventionKind.FRAMEWORK)
    academies = forms.ModelMultipleChoiceField(
        label="Académies parties",
        queryset=Academy.objects.none(),
        widget=InlineCheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une académie partie."},
    )
    parent_description = forms.CharField(
        label="Convention d’origine (telle que le texte la nomme)", max_length=500, required=False
    )
    preamble = forms.CharField(label="Préambule", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    confidentiality_clause = forms.CharField(
        label="Clause de confidentialité", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    dispute_clause = forms.CharField(
        label="Règlement des litiges", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    signature_place = forms.CharField(label="Lieu de signature", max_length=150, required=False)
    originals = forms.IntegerField(
        label="Nombre d’originaux",
        required=False,
        min_value=1,
        max_value=100,
        error_messages={"min_value": "Au moins un original.", "max_value": "Au plus 100 originaux."},
    )
    start_mode = forms.ChoiceField(
        label="Point de départ de la durée", choices=TermStart.choices, widget=InlineRadioSelect
    )
    start_date = optional_date("Date de début fixée", "Seulement pour le point de départ « À une date fixée ».")
    steering_committee_month = forms.TypedChoiceField(
        label="Mois du comité de pilotage", choices=MONTH_CHOICES, coerce=int, empty_value=None, required=False
    )
    contact_exchange_month = forms.TypedChoiceField(
        label="Mois de l’échange des listes de contacts",
        choices=MONTH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    GROUPS = (
        ("convention", "Convention", ("title", "kind", "academies", "parent_description", "preamble")),
        (
            "clauses",
            "Clauses et signature",
            ("confidentiality_clause", "dispute_clause", "signature_place", "originals"),
        ),
        (
            "terms",
            "Durée et reconduction",
            ("start_mode", "start_date", *TermsForm.TERM_FIELDS, "steering_committee_month", "contact_exchange_month"),
        ),
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academies"].queryset = academies

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start_mode") == TermStart.FIXED_DATE and not cleaned.get("start_date"):
            self.add_error("start_date", "Indiquez la date de début fixée, ou choisissez « À la dernière signature ».")
        self.clean_terms(cleaned, cleaned.get("start_date"))
        return cleaned

    def convention_values(self) -> dict:
        cleaned = self.cleaned_data
        values = {
            name: cleaned.get(name)
            for name in (
                "title",
                "kind",
                "parent_description",
                "preamble",
                "confidentiality_clause",
                "dispute_clause",
                "signature_place",
                "originals",
                "start_mode",
                "start_date",
                *TermsForm.TERM_FIELDS,
                "steering_committee_month",
                "contact_exchange_month",
            )
        }
        for text in ("parent_description", "preamble", "confidentiality_clause", "dispute_clause", "signature_place"):
            values[text] = values[text] or ""
        values["termination_effect"] = values["termination_effect"] or ""
        if values["start_mode"] != TermStart.FIXED_DATE:
            values["start_date"] = None
        return values


class PartyReviewForm(ReviewForm):
    name = forms.CharField(label="Nom de l’organisation", max_length=255)
    organisation = forms.ChoiceField(label="Organisation dans l’annuaire")
    kind = forms.ChoiceField(
        label="Type (pour une organisation à créer)",
        choices=[("", "— Choisir —"), *OrganisationKind.choices],
        required=False,
    )
    acronym = forms.CharField(label="Sigle", max_length=50, required=False)
    siret = forms.CharField(label="SIRET", max_length=20, required=False, validators=[validate_siret])
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    side = forms.ChoiceField(label="Côté", choices=PartySide.choices, widget=InlineRadioSelect)
    representative = forms.CharField(label="Représentée par", max_length=200, required=False)
    representative_title = forms.CharField(label="Qualité du représentant", max_length=500, required=False)

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {str(match.organisation.pk): match.organisation for match in matches}
        self.fields["organisation"].choices = [
            (NEW, "Créer l’organisation (avec le nom, le type et l’adresse ci-dessous)"),
            *((str(match.organisation.pk), _organisation_label(match.organisation)) for match in matches),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("organisation") == NEW and not cleaned.get("kind"):
            self.add_error("kind", "Choisissez le type de l’organisation à créer, ou une organisation de l’annuaire.")
        return cleaned

    def review(self) -> PartyReview:
        cleaned = self.cleaned_data
        chosen: Organisation | None = self.matches.get(cleaned["organisation"])
        return PartyReview(
            name=cleaned["name"],
            organisation=chosen,
            kind=cleaned.get("kind") or "",
            acronym=cleaned.get("acronym") or "",
            siret=re.sub(r"\D", "", cleaned.get("siret") or ""),
            address=cleaned.get("address") or "",
            side=cleaned["side"],
            representative=cleaned.get("representative") or "",
            representative_title=cleaned.get("representative_title") or "",
        )


def _organisation_label(organisation: Organisation) -> str:
    place = f", {organisation.city}" if organisation.city else ""
    siret = f", SIRET {organisation.siret}" if organisation.siret else ""
    return f"{organisation}{place}{siret} ({organisation.get_kind_display().lower()})"


DATE_DAY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{2})(?:-(\d{2}))?\s*$")
DATE_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{4})\s*$")


def parse_signature_date(value: str) -> tuple[date | None, str | None]:
    """« 18/03/2021 » or « 2021-03-18 » → (date, "day"); « 03/2021 » or « 2021-03 » → (1st of the month,
    "month"); "" → (None, None); ``ValueError`` for anything else or a date that does not exist."""
    if not value or not value.strip():
        return None, None
    if match := DATE_DAY.match(value):
        return date(int(match[3]), int(match[2]), int(match[1])), DatePrecision.DAY
    if match := DATE_ISO.match(value):
        if match[3]:
            return date(int(match[1]), int(match[2]), int(match[3])), DatePrecision.DAY
        return date(int(match[1]), int(match[2]), 1), DatePrecision.MONTH
    if match := DATE_MONTH.match(value):
        return date(int(match[2]), int(match[1]), 1), DatePrecision.MONTH
    raise ValueError(value)


def party_choices(names: list[str], *, none_label: str | None = None, all_label: str | None = None) -> list:
    choices = []
    if all_label:
        choices.append((ALL_PARTIES, all_label))
    if none_label:
        choices.append(("", none_label))
    return choices + [(str(index), name or f"Partie {index + 1}") for index, name in enumerate(names)]


class SignatoryReviewForm(ReviewForm):
    name = forms.CharField(label="Nom", max_length=200)
    title = forms.CharField(label="Qualité", max_length=500, required=False)
    date = forms.CharField(
        label="Date de signature",
        max_length=20,
        required=False,
        help_text="jj/mm/aaaa, ou mm/aaaa si le texte ne donne que le mois.",
    )
    raw = forms.CharField(label="Date telle qu’écrite", max_length=100, required=False)
    place = forms.CharField(label="Lieu", max_length=150, required=False)
    party = forms.ChoiceField(label="Signe pour", required=False)

    def __init__(self, *args, party_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = party_choices(list(party_names), none_label="Aucune partie (cosignataire)")

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["signed_on"], cleaned["precision"] = parse_signature_date(cleaned.get("date") or "")
        except ValueError:
            self.add_error("date", "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa, ou mm/aaaa).")
        return cleaned

    def review(self) -> SignatoryReview:
        cleaned = self.cleaned_data
        # A signature whose date is blank or illegible: signed, the date unknown.
        precision = cleaned.get("precision") or DatePrecision.UNKNOWN
        return SignatoryReview(
            name=cleaned["name"],
            title=cleaned.get("title") or "",
            signed_on=cleaned.get("signed_on"),
            precision=precision,
            raw=cleaned.get("raw") or "",
            place=cleaned.get("place") or "",
            party=int(cleaned["party"]) if cleaned.get("party") else None,
        )


class ArticleReviewForm(ReviewForm):
    number = forms.CharField(label="Numéro", max_length=20, required=False)
    heading = forms.CharField(label="Intitulé", max_length=500, required=False)
    text = forms.CharField(label="Texte", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("keep") and not (cleaned.get("number") or cleaned.get("heading")):
            self.add_error("heading", "Donnez un numéro ou un intitulé à l’article, ou décochez « Garder ».")
        return cleaned


class CommitmentReviewForm(ReviewForm):
    """« Toutes les parties » is offered only when the text's subject is all of them; a subject
    naming several parties is offered as that group; an unknown one is left for the person."""

    text = forms.CharField(label="Engagement", widget=forms.Textarea(attrs={"rows": 3}))
    party = forms.ChoiceField(
        label="Partie qui s’engage",
        error_messages={"required": "Choisissez la partie qui s’engage, ou décochez « Garder »."},
    )
    article = forms.CharField(label="Article", max_length=20, required=False)
    source = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, party_names=(), subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(party_names)
        subject = subject or {}
        choices = [("", "— Choisir la partie —")]
        if subject.get("all"):
            choices.append((ALL_PARTIES, "Toutes les parties (un engagement pour chacune)"))
        group = subject_parties(subject, len(names))
        if len(group) >= 2 and not subject.get("all"):
            label = " et ".join(names[index] or f"Partie {index + 1}" for index in group)
            choices.append((group_value(group), f"{label} (un engagement pour chacune)"))
        self.fields["party"].choices = choices + party_choices(names)

    def party_indexes(self) -> list[int] | str:
        """The chosen parties' indexes in the form's party list, or ``ALL_PARTIES``."""
        value = self.cleaned_data["party"]
        return ALL_PARTIES if value == ALL_PARTIES else [int(index) for index in value.split(",")]


def subject_parties(subject: dict, size: int) -> list[int]:
    """The valid, distinct party indexes a read commitment's subject names (``parties``, else ``party``)."""
    indexes = subject.get("parties")
    if not isinstance(indexes, list) or not indexes:
        indexes = [subject.get("party")]
    found: list[int] = []
    for index in indexes:
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < size and index not in found:
            found.append(index)
    return found


def group_value(indexes: list[int]) -> str:
    return ",".join(str(index) for index in indexes)


class ContactReviewForm(ReviewForm):
    name = forms.CharField(label="Nom", max_length=200)
    role = forms.CharField(label="Fonction", max_length=255, required=False)
    party = forms.ChoiceField(label="Organisation", required=False)
    email = forms.EmailField(label="Courriel", required=False)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, party_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = party_choices(list(party_names), none_label="Aucune des parties")


class ActionReviewForm(ReviewForm):
    title = forms.CharField(label="Intitulé", max_length=300)
    objective = forms.CharField(label="Objectif", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start = forms.CharField(label="Calendrier (tel que rédigé)", max_length=200, required=False)


class ModalityReviewForm(ReviewForm):
    action = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    party = forms.ChoiceField(label="Partie")
    text = forms.CharField(label="Modalités", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, party_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = party_choices(list(party_names))


class BasePartyFormSet(BaseFormSet):
    """Each party's form offers the organisations that party matches; at least two are kept."""

    def __init__(self, *args, matches=(), **kwargs):
        self.matches = list(matches)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["matches"] = self.matches[index] if index is not None and index < len(self.matches) else []
        return kwargs

    def clean(self):
        super().clean()
        if self.is_bound and sum(1 for form in self.forms if form.cleaned_data.get("keep")) < 2:
            raise forms.ValidationError(
                "Une convention lie au moins deux parties : gardez-en au moins deux (cochez « Garder »).",
                code="too_few_parties",
            )

    def kept_indexes(self) -> dict[int, int]:
        """Each kept party's row → its position among the kept parties."""
        kept = [index for index, form in enumerate(self.forms) if form.cleaned_data.get("keep")]
        return {index: position for position, index in enumerate(kept)}


class BaseCommitmentFormSet(BaseFormSet):
    """Each commitment's form offers the parties its read subject names."""

    def __init__(self, *args, subjects=(), **kwargs):
        self.subjects = list(subjects)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["subject"] = self.subjects[index] if index is not None and index < len(self.subjects) else {}
        return kwargs


def _formset(form, formset=BaseFormSet):
    return formset_factory(form, formset=formset, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS)


PartyFormSet = _formset(PartyReviewForm, BasePartyFormSet)
SignatoryFormSet = _formset(SignatoryReviewForm)
ArticleFormSet = _formset(ArticleReviewForm)
CommitmentFormSet = _formset(CommitmentReviewForm, BaseCommitmentFormSet)
ContactFormSet = _formset(ContactReviewForm)
ActionFormSet = _formset(ActionReviewForm)
ModalityFormSet = _formset(ModalityReviewForm)


def review_data(forms_: dict, result: dict) -> ReviewData:
    """What the valid review forms say, as ``save_reviewed`` takes it."""
    convention = forms_["convention"]
    parties = [form.review() for form in forms_["parties"].forms if form.kept]
    kept = forms_["parties"].kept_indexes()
    signatories = []
    for form in forms_["signatures"].forms:
        if form.kept:
            signatory = form.review()
            signatory.party = kept[signatory.party] if signatory.party is not None else None
            signatories.append(signatory)
    # Articles: an unticked one is left out, its sub-articles go under its nearest kept ancestor.
    articles: list[ArticleReview] = []
    rows = forms_["articles"].forms
    parents = [_raw_int(form, "parent") if form.is_bound else form.initial.get("parent") for form in rows]
    new_index: dict[int, int] = {}
    for index, form in enumerate(rows):
        if not form.kept:
            continue
        parent = parents[index]
        if parent is not None and not 0 <= parent < index:
            parent = None
        # Parents come before their children: each step goes up to a smaller index, so the walk ends.
        while parent is not None and parent not in new_index:
            above = parents[parent]
            parent = above if above is not None and 0 <= above < parent else None
        new_index[index] = len(articles)
        articles.append(
            ArticleReview(
                number=form.cleaned_data.get("number") or "",
                heading=form.cleaned_data.get("heading") or "",
                text=form.cleaned_data.get("text") or "",
                parent=new_index[parent] if parent is not None else None,
            )
        )
    read_commitments = result.get("commitments") or []
    commitments = []
    for form in forms_["commitments"].forms:
        if not form.kept:
            continue
        cleaned = form.cleaned_data
        source = cleaned.get("source")
        read = read_commitments[source] if source is not None and source < len(read_commitments) else {}
        read = read if isinstance(read, dict) else {}
        chosen = form.party_indexes()
        commitments.append(
            CommitmentReview(
                text=cleaned["text"],
                parties=list(range(len(parties))) if chosen == ALL_PARTIES else [kept[index] for index in chosen],
                article=cleaned.get("article") or "",
                audiences=[str(a) for a in read.get("audiences") or [] if a],
                programmes=[str(p) for p in read.get("programmes") or [] if p],
            )
        )
    contacts = [
        ContactReview(
            name=form.cleaned_data["name"],
            role=form.cleaned_data.get("role") or "",
            party=kept[int(form.cleaned_data["party"])] if form.cleaned_data.get("party") else None,
            email=form.cleaned_data.get("email") or "",
            phone=form.cleaned_data.get("phone") or "",
        )
        for form in forms_["contacts"].forms
        if form.kept
    ]
    modalities: dict[int, list[tuple[int, str]]] = {}
    for form in forms_["modalities"].forms:
        if form.kept:
            modalities.setdefault(form.cleaned_data["action"], []).append(
                (kept[int(form.cleaned_data["party"])], form.cleaned_data["text"])
            )
    actions = [
        ActionReview(
            title=form.cleaned_data["title"],
            objective=form.cleaned_data.get("objective") or "",
            start=form.cleaned_data.get("start") or "",
            modalities=modalities.get(index, []),
        )
        for index, form in enumerate(forms_["actions"].forms)
        if form.kept
    ]
    return ReviewData(
        convention=convention.convention_values(),
        academies=list(convention.cleaned_data["academies"]),
        parties=parties,
        signatories=signatories,
        articles=articles,
        commitments=commitments,
        contacts=contacts,
        actions=actions,
        attach_document=attaches_document(result),
    )


PARTY_GONE = "Cette partie n’est pas (ou plus) parmi les parties gardées : choisissez-en une autre."


def check_party_links(forms_: dict) -> bool:
    """Whether every kept row's party is a kept party of the form; a French error on each that is not
    (a party unticked, or a tampered request naming a party that was never posted)."""
    kept = forms_["parties"].kept_indexes()
    valid = True
    for key in ("signatures", "commitments", "contacts", "modalities"):
        for form in forms_[key].forms:
            if not form.kept:
                continue
            value = form.cleaned_data.get("party")
            if not value or value == ALL_PARTIES:
                continue
            if any(int(index) not in kept for index in value.split(",")):
                form.add_error("party", PARTY_GONE)
                valid = False
    return valid


def attaches_document(result: dict) -> bool:
    """Whether the uploaded file becomes the convention's signed document: the registry keeps PDF,
    DOCX and scans, not plain text (the text itself is in the articles)."""
    source = result.get("source") if isinstance(result.get("source"), dict) else {}
    return source.get("kind") in ("pdf", "docx", "image")


def _raw_int(form, name: str) -> int | None:
    value = form.data.get(form.add_prefix(name), "")
    return int(value) if str(value).isdigit() else None
