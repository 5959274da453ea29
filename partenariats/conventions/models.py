"""The convention registry: conventions, their parties and signatories, articles, commitments,
amendments, life events and documents.

The meaning of the term clauses on a given date is computed by the pure engine
``partenariats.terms``; ``Convention.terms_input()`` is the one place that turns a convention
into the engine's input.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partenariats.core.access import Scope, scope_of
from partenariats.core.models import TimeStampedModel
from partenariats.core.text import fold
from partenariats.directory.models import Organisation, Person
from partenariats.terms import STATUS_LABELS
from partenariats.territories.models import Academy


class ConventionKind(models.TextChoices):
    NATIONAL = "national", "Convention nationale"
    REGIONAL = "regional", "Convention de région académique"
    FRAMEWORK = "framework", "Convention cadre académique"
    LOCAL = "local", "Convention locale"
    APPLICATION = "application", "Convention d’application"


class TermStart(models.TextChoices):
    SIGNATURE = "signature", "À la dernière signature"
    FIXED_DATE = "fixed_date", "À une date fixée"


class TerminationEffect(models.TextChoices):
    NOT_STATED = "", "Non précisé"
    END_OF_NOTICE = "end_of_notice", "À la fin du préavis"
    END_OF_PERIOD = "end_of_period", "À la fin de la période en cours"
    NEXT_SCHOOL_YEAR_START = "next_school_year_start", "À la rentrée scolaire suivante"
    FIXED_DATE = "fixed_date", "À une date fixée"


class DatePrecision(models.TextChoices):
    DAY = "day", "Jour"
    MONTH = "month", "Mois seulement"
    UNKNOWN = "unknown", "Inconnue"


class ConventionStatus(models.TextChoices):
    """The terms engine's statuses, cached on the convention for filtering lists."""

    DRAFT = "draft", STATUS_LABELS["draft"]
    AWAITING_SIGNATURES = "awaiting_signatures", STATUS_LABELS["awaiting_signatures"]
    SIGNED_NOT_STARTED = "signed_not_started", STATUS_LABELS["signed_not_started"]
    ACTIVE = "active", STATUS_LABELS["active"]
    UNDER_NOTICE = "under_notice", STATUS_LABELS["under_notice"]
    PROVISIONAL_CONTINUATION = "provisional_continuation", STATUS_LABELS["provisional_continuation"]
    EXPIRED = "expired", STATUS_LABELS["expired"]
    TERMINATED = "terminated", STATUS_LABELS["terminated"]
    UNKNOWN = "unknown", STATUS_LABELS["unknown"]


# The DSFR badge of each status, wherever a convention's status is shown.
STATUS_BADGES = {
    "draft": "",
    "awaiting_signatures": "fr-badge--new",
    "signed_not_started": "fr-badge--info",
    "active": "fr-badge--success",
    "under_notice": "fr-badge--warning",
    "provisional_continuation": "fr-badge--warning",
    "expired": "fr-badge--error",
    "terminated": "fr-badge--error",
    "unknown": "",
}


class Audience(models.Model):
    """A public the convention or a commitment aims at (collégiens, apprentis, enseignants…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=100)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public visé"
        verbose_name_plural = "publics visés"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class Programme(models.Model):
    """A dispositif through which commitments are carried out (Parcours Avenir, PFMP…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=100)
    month = models.PositiveSmallIntegerField(
        "mois de l’année", null=True, blank=True, help_text="Pour un événement annuel (Mois de l’ESS : 11)."
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "dispositif"
        verbose_name_plural = "dispositifs"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


def federation_members(federation_ids):
    """The member organisations of these federations, as a subquery the database joins: a national
    federation has tens of thousands of members, too many to pass as a list of ids."""
    return Organisation.members.through.objects.filter(from_organisation__in=federation_ids).values("to_organisation")


class ConventionQuerySet(models.QuerySet):
    def for_user(self, user, *, members: bool = True) -> "ConventionQuerySet":
        """Staff of an académie among the parties (or of its région académique), the parties'
        own staff and a federation's staff for its members (``members=False``: not those, which
        number thousands for a national federation); national conventions are read by all
        académie-side staff."""
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self.filter(archived_at__isnull=True)
        if not scope.has_role:
            return self.none()
        visible = Q(pk__in=[])
        if scope.academy_ids:
            academies = Convention.academies.through.objects.filter(academy__in=scope.academy_ids)
            visible |= Q(pk__in=academies.values("convention")) | Q(kind=ConventionKind.NATIONAL)
        if scope.organisation_ids:
            visible |= Q(pk__in=Party.objects.filter(organisation__in=scope.organisation_ids).values("convention"))
        if scope.federation_ids and members:
            member_ids = federation_members(scope.federation_ids)
            visible |= Q(pk__in=Party.objects.filter(organisation__in=member_ids).values("convention"))
        # Each condition is a ``pk IN (subquery)``, no join: the database never sees a federation's
        # members as a list. ``distinct`` stays for callers that chain a filter across a relation.
        return self.filter(visible, archived_at__isnull=True).distinct()

    def editable_by(self, user) -> "ConventionQuerySet":
        """Académie staff of an académie among the parties; platform admins."""
        scope = scope_of(user)
        if scope.is_platform_admin:
            return self.filter(archived_at__isnull=True)
        if scope.read_only or not scope.writable_academy_ids:
            return self.none()
        return self.filter(academies__in=scope.writable_academy_ids, archived_at__isnull=True).distinct()

    def search(self, query: str) -> "ConventionQuerySet":
        """Accent- and case-insensitive: every word in the title, reference, parties or articles."""
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Convention(TimeStampedModel):
    title = models.CharField("intitulé", max_length=500)
    reference = models.CharField("référence", max_length=100, blank=True)
    kind = models.CharField("type", max_length=20, choices=ConventionKind.choices, default=ConventionKind.FRAMEWORK)
    parent = models.ForeignKey(
        "self",
        verbose_name="convention de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="La convention cadre d’une convention locale, la convention nationale d’une convention académique.",
    )
    parent_description = models.CharField(
        "convention d’origine (texte)",
        max_length=500,
        blank=True,
        help_text="Quand la convention d’origine n’est pas dans le registre, telle que le texte la nomme.",
    )
    academies = models.ManyToManyField(
        Academy, verbose_name="académies parties", blank=True, related_name="conventions"
    )
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="responsables à l’académie",
        blank=True,
        related_name="owned_conventions",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="personnes qui suivent", blank=True, related_name="followed_conventions"
    )
    preamble = models.TextField("préambule", blank=True)
    confidentiality_clause = models.TextField("clause de confidentialité", blank=True)
    dispute_clause = models.TextField("règlement des litiges", blank=True)
    signature_place = models.CharField("lieu de signature", max_length=150, blank=True)
    originals = models.PositiveSmallIntegerField("nombre d’originaux", null=True, blank=True)

    # Terms, as the text states them (null: the text does not say).
    start_mode = models.CharField(
        "point de départ", max_length=12, choices=TermStart.choices, default=TermStart.SIGNATURE
    )
    start_date = models.DateField("date de début fixée", null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    indefinite = models.BooleanField("durée indéterminée", null=True, blank=True)
    tacit_renewal = models.BooleanField("reconduction tacite", null=True, blank=True)
    renewal_months = models.PositiveSmallIntegerField("durée de chaque reconduction (mois)", null=True, blank=True)
    provisional_extension_months = models.PositiveSmallIntegerField(
        "maintien provisoire pendant la renégociation (mois)", null=True, blank=True
    )
    notice_months = models.PositiveSmallIntegerField("préavis (mois)", null=True, blank=True)
    notice_by_registered_letter = models.BooleanField("préavis par lettre recommandée", null=True, blank=True)
    termination_effect = models.CharField(
        "effet de la résiliation", max_length=25, choices=TerminationEffect.choices, blank=True
    )
    termination_date = models.DateField("date de fin fixée", null=True, blank=True)

    # Recurring obligations
    steering_committee_month = models.PositiveSmallIntegerField(
        "mois du comité de pilotage", null=True, blank=True, help_text="Vide : à la date anniversaire."
    )
    contact_exchange_month = models.PositiveSmallIntegerField(
        "mois de l’échange des listes de contacts", null=True, blank=True
    )
    alert_days = models.JSONField(
        "alertes (jours avant l’échéance)", default=list, blank=True, help_text="Par défaut : 30 et 90 jours."
    )

    # What the terms engine said on ``status_computed_on`` (refreshed on every change and daily).
    status = models.CharField(
        "statut", max_length=25, choices=ConventionStatus.choices, default=ConventionStatus.DRAFT, db_index=True
    )
    status_computed_on = models.DateField("statut calculé le", null=True, blank=True)
    period_start = models.DateField("début de la période en cours", null=True, blank=True)
    period_end = models.DateField("fin de la période en cours", null=True, blank=True)
    notice_deadline = models.DateField("date limite de dénonciation", null=True, blank=True)
    effective_end = models.DateField("fin effective", null=True, blank=True)
    provisional_until = models.DateField("maintien provisoire jusqu’au", null=True, blank=True)
    ends_on = models.DateField("se termine le", null=True, blank=True, db_index=True)

    version = models.PositiveIntegerField("version", default=1)
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[academies])
    objects = ConventionQuerySet.as_manager()

    DEFAULT_ALERT_DAYS = (30, 90)
    # What ``terms_input`` reads: prefetch it to compute the terms of many conventions in a fixed
    # number of queries (``Convention.objects.prefetch_related(*Convention.TERMS_PREFETCH)``).
    TERMS_PREFETCH = (
        "signatories",
        "academies",
        "parties__organisation",
        "events",
        "amendments",
        "commitments__programmes",
    )

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = [Lower("title"), "pk"]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conventions:convention_detail", args=[self.pk])

    @property
    def alert_windows(self) -> tuple[int, ...]:
        return tuple(self.alert_days) or self.DEFAULT_ALERT_DAYS

    @property
    def is_signed(self) -> bool:
        return self.signatories.exclude(signed_on=None).exists()

    def is_party_staff(self, user) -> bool:
        """Staff of a party: they alone see the convention's confidential items."""
        scope: Scope = scope_of(user)
        if scope.is_platform_admin:
            return True
        if set(self.academies.values_list("pk", flat=True)) & scope.academy_ids:
            return True
        return self.parties.filter(organisation__in=scope.organisation_ids).exists()

    def build_search_text(self) -> str:
        parts = [self.title, self.reference]
        if self.pk:
            parts += [str(p.organisation) for p in self.parties.select_related("organisation")]
            parts += [f"{a.heading} {a.text}" for a in self.articles.all()]
        return fold(" ".join(parts))

    def signature_date(self) -> tuple[date | None, str]:
        """The latest known signature date and its precision (the term counts from it)."""
        dated = [s for s in self.signatories.all() if s.signed_on]
        if not dated:
            return None, DatePrecision.UNKNOWN
        latest = max(dated, key=lambda s: s.signed_on)
        return latest.signed_on, latest.date_precision

    def terms_dict(self) -> dict:
        """The term clauses in the shape of the reader's ``terms`` key."""
        return {
            "start": self.start_date.isoformat()
            if self.start_mode == TermStart.FIXED_DATE and self.start_date
            else "signature",
            "duration_months": self.duration_months,
            "indefinite": self.indefinite,
            "tacit_renewal": self.tacit_renewal,
            "renewal_months": self.renewal_months,
            "provisional_extension_months": self.provisional_extension_months,
            "notice_months": self.notice_months,
            "notice_by_registered_letter": self.notice_by_registered_letter,
            "termination_effect": self.termination_effect or None,
            "termination_date": self.termination_date.isoformat() if self.termination_date else None,
        }

    def terms_input(self) -> dict:
        """This convention as the terms engine's input (``partenariats.terms.compute``)."""
        signatures = []
        for signatory in self.signatories.all():
            signatures.append({"name": signatory.name, "date": signatory.engine_date()})
        academies = list(self.academies.all())
        # Related objects are read through ``.all()`` so that a ``TERMS_PREFETCH`` prefetch serves them.
        parties = list(self.parties.all())
        prefetch_related_objects(parties, "organisation")
        commitments = list(self.commitments.all())
        prefetch_related_objects(commitments, "programmes")
        # Only non-confidential commitments: the timeline is shown to every reader of the convention.
        programmes = sorted(
            {
                programme
                for commitment in commitments
                if not commitment.confidential
                for programme in commitment.programmes.all()
                if programme.month
            },
            key=lambda programme: (programme.position, programme.label, programme.pk),
        )
        data: dict = {
            "title": self.title,
            "terms": self.terms_dict(),
            "signatures": signatures,
            "parties": [{"name": party.organisation.name, "kind": party.engine_kind()} for party in parties],
            "events": [event.engine_event() for event in self.events.all()]
            + [amendment.engine_event() for amendment in self.amendments.all() if amendment.effective_on],
            "obligations": {
                "steering_committee": True,
                **(
                    {"steering_committee_month": self.steering_committee_month} if self.steering_committee_month else {}
                ),
                **({"contact_exchange_month": self.contact_exchange_month} if self.contact_exchange_month else {}),
            },
            "named_events": [{"name": programme.label, "month": programme.month} for programme in programmes],
        }
        if academies:
            data["zone"] = academies[0].holiday_zone
        return data


class PartySide(models.TextChoices):
    EDUCATION = "education", "Éducation nationale"
    PARTNER = "partner", "Partenaire"


class Party(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="parties"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="convention_parties"
    )
    side = models.CharField("côté", max_length=10, choices=PartySide.choices)
    representative = models.ForeignKey(
        Person, verbose_name="représentée par", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    representative_name = models.CharField("nom du représentant (tel qu’imprimé)", max_length=200, blank=True)
    representative_title = models.CharField("qualité du représentant (telle qu’imprimée)", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "partie"
        verbose_name_plural = "parties"
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["convention", "organisation"], name="party_unique_organisation")]

    def __str__(self):
        return str(self.organisation)

    def engine_kind(self) -> str:
        """The reader's party kinds (``education``, ``employer_org``…) from the organisation's kind."""
        kind = self.organisation.kind
        if kind in ("academy_service", "school"):
            return "education"
        return kind if kind in ("employer_org", "chamber", "company", "association", "public_body") else "other"


class SignatureLine(models.Model):
    """A line of a signature block, as printed: who signed, in which capacity, when and where."""

    name = models.CharField("nom (tel qu’imprimé)", max_length=200)
    title = models.CharField("qualité (telle qu’imprimée)", max_length=500, blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    date_precision = models.CharField(
        "précision de la date", max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    raw_date = models.CharField("date telle qu’écrite", max_length=100, blank=True)
    place = models.CharField("lieu", max_length=150, blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def engine_date(self) -> str | None:
        """The date as the engine and the API read it: YYYY-MM-DD, YYYY-MM for a month only, None if unknown."""
        if not self.signed_on or self.date_precision == DatePrecision.UNKNOWN:
            return None
        if self.date_precision == DatePrecision.MONTH:
            return self.signed_on.strftime("%Y-%m")
        return self.signed_on.isoformat()


class Signatory(SignatureLine):
    """One signature in the block: a party's representative, or a co-signer who is not a party."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="signatories"
    )
    party = models.ForeignKey(
        Party, verbose_name="partie", on_delete=models.SET_NULL, null=True, blank=True, related_name="signatories"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        ordering = ["position", "pk"]


class Article(models.Model):
    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="articles"
    )
    parent = models.ForeignKey(
        "self", verbose_name="article parent", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    number = models.CharField(
        "numéro", max_length=20, blank=True, help_text="« 1 », « 2.11 », « Préambule », « Annexe 1 »…"
    )
    heading = models.CharField("intitulé", max_length=500, blank=True)
    text = models.TextField("texte", blank=True)
    position = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "article"
        verbose_name_plural = "articles"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"Article {self.number} – {self.heading}" if self.number else self.heading


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user, convention: Convention) -> "CommitmentQuerySet":
        """Confidential commitments stay with the parties' staff."""
        qs = self.filter(convention=convention)
        return qs if convention.is_party_staff(user) else qs.filter(confidential=False)


class Commitment(models.Model):
    """What one party undertakes (« s’engage à… »), under an article, for some publics."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="commitments"
    )
    party = models.ForeignKey(Party, verbose_name="partie", on_delete=models.CASCADE, related_name="commitments")
    article = models.ForeignKey(
        Article, verbose_name="article", on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments"
    )
    text = models.TextField("engagement")
    audiences = models.ManyToManyField(Audience, verbose_name="publics visés", blank=True, related_name="commitments")
    programmes = models.ManyToManyField(Programme, verbose_name="dispositifs", blank=True, related_name="commitments")
    confidential = models.BooleanField("confidentiel", default=False)
    position = models.PositiveIntegerField("ordre", default=0)

    history = HistoricalRecords(m2m_fields=[audiences, programmes])
    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement"
        verbose_name_plural = "engagements"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:80]


class AmendmentKind(models.TextChoices):
    ARTICLES = "articles", "Modification d’articles"
    PARTIES = "parties", "Ajout ou retrait d’une partie"
    TERMS = "terms", "Modification de la durée ou des conditions de fin"
    FINANCIAL = "financial", "Dispositions financières"
    OTHER = "other", "Autre"


class Amendment(TimeStampedModel):
    """An avenant: signed by the parties, it changes the convention from its effective date."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField("numéro")
    kind = models.CharField("type", max_length=12, choices=AmendmentKind.choices)
    title = models.CharField("objet", max_length=500)
    summary = models.TextField("résumé des modifications", blank=True)
    signed_on = models.DateField("signé le", null=True, blank=True)
    effective_on = models.DateField("en vigueur le", null=True, blank=True)
    terms_changes = models.JSONField(
        "conditions modifiées", default=dict, blank=True, help_text="Seules les clés des conditions qui changent."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avenant"
        verbose_name_plural = "avenants"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="amendment_unique_number")]

    def __str__(self):
        return f"Avenant n° {self.number} – {self.title}"

    def engine_event(self) -> dict:
        return {"kind": "amended", "date": self.effective_on.isoformat(), "terms": self.terms_changes or {}}

    def latest_signature(self) -> date | None:
        """The latest known date among the amendment's own signatures (None when none is dated)."""
        return latest_signed_on(self.signatories.all())


def latest_signed_on(signatories) -> date | None:
    """The latest known date of these signatures, saved or not; a date of unknown precision does not count."""
    dates = [s.signed_on for s in signatories if s.signed_on and s.date_precision != DatePrecision.UNKNOWN]
    return max(dates, default=None)


class AmendmentSignatory(SignatureLine):
    """One signature of an amendment. Kept apart from ``Signatory`` on purpose: the convention's
    signatures set its start date, an amendment's never do."""

    amendment = models.ForeignKey(
        Amendment, verbose_name="avenant", on_delete=models.CASCADE, related_name="signatories"
    )
    party = models.ForeignKey(
        Party, verbose_name="partie", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "signataire d’avenant"
        verbose_name_plural = "signataires d’avenant"
        ordering = ["position", "pk"]


class EventKind(models.TextChoices):
    RENEWED = "renewed", "Renouvelée"
    RENEGOTIATION_OPENED = "renegotiation_opened", "Renégociation ouverte"
    NOTICE_GIVEN = "notice_given", "Dénonciation reçue (préavis)"
    TERMINATED = "terminated", "Résiliée"


class NoticeForm(models.TextChoices):
    REGISTERED_LETTER = "registered_letter", "Lettre recommandée avec accusé de réception"
    LETTER = "letter", "Courrier simple"
    EMAIL = "email", "Courriel"
    HAND = "hand", "Remise en main propre"
    OTHER = "other", "Autre"


class ConventionEvent(models.Model):
    """A dated fact of the convention's life, as the terms engine reads it."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("événement", max_length=25, choices=EventKind.choices)
    date = models.DateField("date", help_text="Pour une dénonciation : la date de réception.")
    by_party = models.ForeignKey(
        Party, verbose_name="à l’initiative de", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    form = models.CharField("forme", max_length=20, choices=NoticeForm.choices, blank=True)
    months = models.PositiveSmallIntegerField("durée du renouvellement (mois)", null=True, blank=True)
    note = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="enregistré par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "événement"
        verbose_name_plural = "événements"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} le {self.date:%d/%m/%Y}"

    def engine_event(self) -> dict:
        event = {"kind": self.kind, "date": self.date.isoformat()}
        if self.kind == EventKind.NOTICE_GIVEN and self.by_party_id:
            event["by"] = str(self.by_party)
        if self.kind == EventKind.RENEWED and self.months:
            event["months"] = self.months
        return event


class DocumentKind(models.TextChoices):
    SIGNED = "signed", "Exemplaire signé"
    DRAFT = "draft", "Projet"
    AMENDMENT = "amendment", "Avenant signé"
    ANNEX = "annex", "Annexe"
    CORRESPONDENCE = "correspondence", "Courrier"
    OTHER = "other", "Autre"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user, convention: Convention) -> "DocumentQuerySet":
        qs = self.filter(convention=convention)
        return qs if convention.is_party_staff(user) else qs.filter(confidential=False)


def document_path(instance: "Document", filename: str) -> str:
    # The stored name never reuses the uploaded one (it may be hostile); the title keeps it.
    return f"conventions/{instance.convention_id}/{instance.sha256[:16]}"


class Document(models.Model):
    """A file of the convention, stored through Django's storage API, served only by a view that checks access."""

    convention = models.ForeignKey(
        Convention, verbose_name="convention", on_delete=models.CASCADE, related_name="documents"
    )
    amendment = models.ForeignKey(
        Amendment, verbose_name="avenant", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField("type", max_length=15, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=255)
    original_name = models.CharField("nom du fichier déposé", max_length=255)
    file = models.FileField("fichier", upload_to=document_path, max_length=255)
    content_type = models.CharField("type de contenu", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    version = models.PositiveSmallIntegerField("version", default=1)
    confidential = models.BooleanField("confidentiel", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="déposé par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-uploaded_at", "pk"]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @staticmethod
    def digest(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()


class AlertDelivery(models.Model):
    """One deadline announced to one person: the unique constraint makes the daily run idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("échéance", max_length=30)
    due_on = models.DateField("date d’échéance")
    window_days = models.PositiveSmallIntegerField("délai d’alerte (jours)")
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True)

    class Meta:
        verbose_name = "alerte envoyée"
        verbose_name_plural = "alertes envoyées"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "convention", "kind", "due_on", "window_days"], name="alert_sent_once"
            )
        ]


class CalendarFeedQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarFeed(models.Model):
    """A personal ICS feed of deadlines; the secret is in its URL, only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_used_at = models.DateTimeField("dernière lecture", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = "flux d’agenda"
        verbose_name_plural = "flux d’agenda"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
