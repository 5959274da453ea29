"""Forms of recording links: the coordinator's (send a link) and the volunteer's (record an
activity). They validate, nothing more."""

from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from partenariats.activities.links import (
    DEFAULT_VALIDITY_DAYS,
    MAX_VALIDITY_DAYS,
    convention_start,
    current_actions,
    partner_organisations,
    schools_for,
)
from partenariats.activities.models import Action, ActivityKind, Level, RecordingLink
from partenariats.conventions.forms import DateInput
from partenariats.conventions.models import Convention
from partenariats.core.school_year import SchoolYear
from partenariats.core.text import fold
from partenariats.directory.models import Organisation, Person


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.email else obj.full_name


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Action) -> str:
        return f"Action {obj.number} – {obj.title}"


class SendLinkForm(DsfrBaseForm):
    organisation = forms.ModelChoiceField(
        label="Organisation pour laquelle le bénévole intervient",
        queryset=Organisation.objects.none(),
        empty_label="Choisir une organisation",
        help_text="Un partenaire de la convention, ou un adhérent d’une fédération partenaire.",
        error_messages={
            "required": "Choisissez l’organisation pour laquelle le bénévole intervient.",
            "invalid_choice": "Cette organisation n’est pas partenaire de la convention.",
        },
    )
    email = forms.EmailField(
        label="Courriel du bénévole",
        max_length=254,
        help_text="Le lien y est envoyé ; il ne sert qu’une fois.",
        error_messages={"required": "Indiquez le courriel du bénévole.", "invalid": "Ce courriel n’est pas valide."},
    )
    person = PersonChoiceField(
        label="Bénévole déjà connu",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Personne en particulier",
        help_text="Une personne de l’annuaire qui travaille pour cette organisation : l’activité la citera.",
        error_messages={"invalid_choice": "Cette personne n’est pas dans la liste proposée."},
    )
    action = ActionChoiceField(
        label="Action du plan",
        queryset=Action.objects.none(),
        required=False,
        empty_label="Aucune action en particulier",
        error_messages={"invalid_choice": "Cette action n’est pas dans le plan de l’année."},
    )
    validity_days = forms.IntegerField(
        label="Durée de validité (jours)",
        initial=DEFAULT_VALIDITY_DAYS,
        min_value=1,
        max_value=MAX_VALIDITY_DAYS,
        help_text=f"{DEFAULT_VALIDITY_DAYS} jours par défaut, {MAX_VALIDITY_DAYS} au plus.",
        error_messages={
            "required": "Indiquez combien de jours le lien reste valable.",
            "invalid": "Indiquez un nombre entier de jours.",
            "min_value": "Un lien vaut au moins 1 jour.",
            "max_value": f"Un lien vaut au plus {MAX_VALIDITY_DAYS} jours.",
        },
    )
    message = forms.CharField(
        label="Message au bénévole",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ajouté au courriel et affiché en haut du formulaire.",
    )

    def __init__(self, *args, convention: Convention, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = partner_organisations(convention)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = (
            Person.objects.for_user(user)
            .filter(is_active=True, memberships__organisation__in=organisations.values("pk"))
            .distinct()
        )
        self.fields["action"].queryset = current_actions(convention, today)
        self.fields["action"].label = f"Action du plan {SchoolYear.of(today).label}"

    def clean(self):
        cleaned = super().clean()
        person, organisation = cleaned.get("person"), cleaned.get("organisation")
        if person and organisation and not person.memberships.filter(organisation=organisation).exists():
            self.add_error("person", "Cette personne ne travaille pas pour l’organisation choisie.")
        return cleaned


VOLUNTEER_KINDS = [
    (kind.value, kind.label)
    for kind in (
        ActivityKind.COMPANY_VISIT,
        ActivityKind.TALK_IN_SCHOOL,
        ActivityKind.OBSERVATION,
        ActivityKind.FORUM_STAND,
        ActivityKind.MENTORING,
        ActivityKind.EXAM_JURY,
        ActivityKind.OTHER,
    )
]

MAX_PUPILS = 2000
MAX_PROFESSIONALS = 500
MAX_HOURS = 1000


def _bounded(label: str, *, maximum: int, initial: int, what: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        initial=initial,
        error_messages={
            "required": f"Indiquez le nombre de {what} (0 s’il n’y en avait pas).",
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Ce nombre ne peut pas être négatif.",
            "max_value": f"Au plus {maximum} {what} pour une activité : vérifiez ce nombre.",
        },
    )


class RecordByLinkForm(DsfrBaseForm):
    starts_on = forms.DateField(
        label="Date de l’activité",
        widget=DateInput,
        help_text="Le premier jour, si elle en a duré plusieurs.",
        error_messages={"required": "Indiquez la date de l’activité.", "invalid": "Cette date n’est pas valide."},
    )
    kind = forms.ChoiceField(
        label="Type d’activité",
        choices=[("", "Choisir un type"), *VOLUNTEER_KINDS],
        error_messages={
            "required": "Choisissez le type d’activité.",
            "invalid_choice": "Choisissez un type d’activité de la liste.",
        },
    )
    title = forms.CharField(
        label="Intitulé",
        max_length=300,
        help_text="Par exemple « Visite de l’atelier de maintenance ».",
        error_messages={
            "required": "Donnez un intitulé à l’activité.",
            "max_length": "L’intitulé ne doit pas dépasser 300 caractères.",
        },
    )
    school = forms.CharField(
        label="Établissement",
        required=False,
        max_length=200,
        help_text="Son nom, sa commune ou son UAI (par exemple 0131234A).",
    )
    level = forms.ChoiceField(label="Niveau des élèves", choices=Level.choices, initial=Level.OTHER)
    class_name = forms.CharField(
        label="Classe",
        required=False,
        max_length=100,
        help_text="Par exemple « 3e B ».",
        error_messages={"max_length": "Le nom de la classe ne doit pas dépasser 100 caractères."},
    )
    pupils = _bounded("Nombre d’élèves", maximum=MAX_PUPILS, initial=0, what="élèves")
    professional_count = _bounded(
        "Nombre de professionnels intervenus", maximum=MAX_PROFESSIONALS, initial=1, what="professionnels"
    )
    hours = forms.DecimalField(
        label="Durée (heures)",
        min_value=0,
        max_value=MAX_HOURS,
        max_digits=5,
        decimal_places=1,
        initial=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Par exemple 2 ou 1,5.",
        error_messages={
            "required": "Indiquez la durée en heures (0 si vous ne savez pas).",
            "invalid": "Indiquez une durée en heures, par exemple 1,5.",
            "min_value": "La durée ne peut pas être négative.",
            "max_value": f"Au plus {MAX_HOURS} heures pour une activité : vérifiez ce nombre.",
            "max_decimal_places": "Une décimale au plus, par exemple 1,5.",
            "max_digits": f"Au plus {MAX_HOURS} heures pour une activité : vérifiez ce nombre.",
        },
    )
    prepared_with_pupils = forms.BooleanField(label="L’activité a été préparée avec les élèves", required=False)
    exploited_afterwards = forms.BooleanField(label="Elle a été exploitée ensuite en classe", required=False)
    evaluation = forms.CharField(
        label="Votre appréciation",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a bien marché, ce qui serait à améliorer.",
        error_messages={"max_length": "L’appréciation ne doit pas dépasser 3000 caractères."},
    )

    def __init__(self, *args, link: RecordingLink, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.start = convention_start(link.convention)
        self.schools = schools_for(link.convention)
        self.fields["starts_on"].widget.attrs["max"] = today.isoformat()
        if self.start:
            self.fields["starts_on"].widget.attrs["min"] = self.start.isoformat()

    def clean_starts_on(self) -> date:
        day = self.cleaned_data["starts_on"]
        if day > self.today:
            raise forms.ValidationError("La date ne peut pas être dans le futur : déclarez l’activité une fois faite.")
        if self.start and day < self.start:
            raise forms.ValidationError(
                f"La convention a pris effet le {self.start:%d/%m/%Y} : l’activité ne peut pas être antérieure."
            )
        return day

    def clean_school(self) -> Organisation | None:
        """One school of the convention's académies, found by its UAI, its exact name or a search."""
        query = self.cleaned_data["school"]
        if not query:
            return None
        found = list(self.schools.filter(uai=query.upper().replace(" ", ""))[:1])
        if not found:
            found = list(self.schools.search(query).order_by("name", "pk")[:50])
            exact = [school for school in found if fold(school.name) == fold(query)]
            found = exact if len(exact) == 1 else found
        if not found:
            raise forms.ValidationError(
                f"Aucun établissement de l’académie ne correspond à « {query} » : "
                "vérifiez l’orthographe ou indiquez son UAI."
            )
        if len(found) > 1:
            examples = " ; ".join(f"{s.name}, {s.city} : {s.uai}" for s in found[:5])
            more = " ; …" if len(found) > 5 else ""
            raise forms.ValidationError(
                f"Plusieurs établissements correspondent à « {query} » : indiquez son UAI ({examples}{more})."
            )
        return found[0]
