"""Forms of the yearly plans: a new plan, an action, the commitments' explicit targets.
They validate, nothing more: the writes are in ``services``."""

from datetime import date

from django import forms
from dsfr.forms import DsfrBaseForm

from partenariats.activities.models import Action, Metric, Plan
from partenariats.conventions.forms import optional_date
from partenariats.conventions.models import Article, Audience, Commitment, Convention, Party, Programme
from partenariats.core.school_year import SchoolYear

YEARS_BEFORE, YEARS_AFTER = 1, 2  # school years offered around the current one
MAX_TARGET = 10_000_000


def target_field(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_TARGET,
        help_text=help_text,
        error_messages={
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Une cible ne peut pas être négative.",
            "max_value": "Cette cible est trop grande.",
        },
    )


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"Reprendre les actions du plan {obj.year.label}"


class PlanCreateForm(DsfrBaseForm):
    school_year = forms.TypedChoiceField(
        label="Année scolaire", coerce=int, error_messages={"invalid_choice": "Choisissez une année scolaire proposée."}
    )
    carry_from = PlanChoiceField(
        label="Point de départ",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="Partir d’un plan vide",
        help_text="Les actions reprises gardent leur axe, leurs engagements, les modalités des parties, leurs "
        "publics, dispositifs et pilotes ; leurs cibles et les activités réalisées ne sont pas reprises.",
    )

    def __init__(self, *args, convention: Convention, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        plans = list(convention.plans.order_by("-school_year"))
        current = SchoolYear.of(today).start_year
        offered = set(range(current - YEARS_BEFORE, current + YEARS_AFTER + 1))
        if plans:
            offered.add(plans[0].school_year + 1)
        self.fields["school_year"].choices = [(y, SchoolYear(y).label) for y in sorted(offered)]
        self.fields["carry_from"].queryset = convention.plans.order_by("-school_year")
        if plans:
            self.fields["school_year"].initial = plans[0].school_year + 1
            self.fields["carry_from"].initial = plans[0].pk
        else:
            self.fields["school_year"].initial = current

    def clean_school_year(self) -> int:
        year = self.cleaned_data["school_year"]
        if self.convention.plans.filter(school_year=year).exists():
            raise forms.ValidationError(f"Cette convention a déjà un plan pour l’année {SchoolYear(year).label}.")
        return year


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Article) -> str:
        return str(obj) or f"Article sans numéro ni intitulé ({obj.pk})"


class CommitmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Commitment) -> str:
        return f"{obj.party.organisation} : {obj}"


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Party) -> str:
        return str(obj.organisation)


class ActionForm(DsfrBaseForm, forms.ModelForm):
    """An action of a plan, with one text per party (what it does) and one target per metric."""

    article = ArticleChoiceField(
        label="Axe (article de la convention mis en œuvre)",
        queryset=Article.objects.none(),
        required=False,
        empty_label="Aucun article en particulier",
    )
    commitments = CommitmentChoiceField(
        label="Engagements servis",
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les activités comptées pour cette action comptent aussi pour ces engagements.",
    )
    audiences = forms.ModelMultipleChoiceField(
        label="Publics visés", queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Dispositifs", queryset=Programme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_on = optional_date(
        "Date de début", "Laissée vide, elle est déduite du calendrier rédigé quand il est compris."
    )
    ends_on = optional_date("Date de fin")
    owner_party = PartyChoiceField(
        label="Partie pilote", queryset=Party.objects.none(), required=False, empty_label="Non précisée"
    )
    version = version_field()

    class Meta:
        model = Action
        fields = [
            "title",
            "article",
            "commitments",
            "objective",
            "audiences",
            "programmes",
            "start_wording",
            "starts_on",
            "ends_on",
            "owner_party",
            "owner_name",
            "confidential",
        ]
        labels = {"confidential": "Action confidentielle"}
        help_texts = {"confidential": "Visible seulement des personnels des parties."}
        error_messages = {"title": {"required": "Donnez un intitulé à l’action."}}
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan: Plan, parties: list[Party], **kwargs):
        super().__init__(*args, **kwargs)
        convention = plan.convention
        self.fields["article"].queryset = convention.articles.all()
        self.fields["commitments"].queryset = convention.commitments.select_related("party__organisation").order_by(
            "party__position", "party_id", "position", "pk"
        )
        self.fields["owner_party"].queryset = convention.parties.select_related("organisation")
        self.initial.setdefault("version", plan.version)
        self.parties = parties
        modalities = {m.party_id: m.text for m in self.instance.modalities.all()} if self.instance.pk else {}
        targets = {t.metric: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for party in parties:
            name = f"modality_{party.pk}"
            self.fields[name] = forms.CharField(
                label=f"Ce que fait {party.organisation}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.initial.setdefault(name, modalities.get(party.pk, ""))
        for metric in Metric:
            self.fields[f"target_{metric.value}"] = target_field(metric.label)
            self.initial.setdefault(f"target_{metric.value}", targets.get(metric.value))

    def modality_fields(self):
        return [self[f"modality_{party.pk}"] for party in self.parties]

    def target_fields(self):
        return [self[f"target_{metric.value}"] for metric in Metric]

    def main_fields(self):
        return [self[name] for name in ("title", "article", "commitments", "objective", "audiences", "programmes")]

    def period_fields(self):
        return [self[name] for name in ("start_wording", "starts_on", "ends_on")]

    def owner_fields(self):
        return [self[name] for name in ("owner_party", "owner_name", "confidential")]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La date de fin précède la date de début.")
        if ends_on and not starts_on:
            self.add_error("starts_on", "Indiquez aussi la date de début.")
        if "start_wording" in self.changed_data and not {"starts_on", "ends_on"} & set(self.changed_data):
            # A new wording with the dates left as they were: the dates follow the wording.
            cleaned["starts_on"] = cleaned["ends_on"] = None
            self.instance.starts_on = self.instance.ends_on = None
        return cleaned

    @property
    def modalities(self) -> dict[int, str]:
        return {party.pk: self.cleaned_data[f"modality_{party.pk}"] for party in self.parties}

    @property
    def targets(self) -> dict[str, int | None]:
        return {metric.value: self.cleaned_data[f"target_{metric.value}"] for metric in Metric}


class CommitmentTargetsForm(DsfrBaseForm):
    """One field per commitment and metric: the year's explicit target, blank for the actions' sum."""

    version = version_field()

    def __init__(self, *args, plan: Plan, commitments: list[Commitment], explicit: dict, summed: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", plan.version)
        self.rows = []
        for commitment in commitments:
            row = []
            for metric in Metric:
                name = f"target_{commitment.pk}_{metric.value}"
                summed_value = summed.get((commitment.pk, metric.value))
                hint = f"Somme des actions : {summed_value}" if summed_value else "Aucune action ne vise cet indicateur"
                self.fields[name] = target_field(metric.label, hint)
                self.initial.setdefault(name, explicit.get((commitment.pk, metric.value)))
                row.append(self[name])
            self.rows.append((commitment, row))

    @property
    def values(self) -> dict[tuple[int, str], int | None]:
        """The targets changed in the form."""
        changed = set(self.changed_data)
        return {
            (commitment.pk, metric.value): self.cleaned_data[name]
            for commitment, _ in self.rows
            for metric in Metric
            if (name := f"target_{commitment.pk}_{metric.value}") in changed
        }
