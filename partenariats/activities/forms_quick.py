"""The quick form: what a teacher fills in two minutes — date, kind, their school and class, the
company, prepared and exploited, one line of evaluation, and the suggested convention (pre-ticked)."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.activities.forms_activities import (
    ContributionChoiceMixin,
    GroupForm,
    Rights,
    check_dates,
    contributions_field,
    date_field,
    partner_matches,
    school_field,
    search_widget,
    to_pk,
)
from partenariats.activities.models import Activity, ActivityKind
from partenariats.activities.services import ContributionOption, GroupInput
from partenariats.conventions.forms import organisation_label
from partenariats.directory.models import Organisation, OrganisationKind


class QuickActivityForm(ContributionChoiceMixin, DsfrBaseForm):
    """A teacher's two minutes: one group of pupils, one company, what it counts toward."""

    starts_on = date_field("Date")
    kind = forms.ChoiceField(label="Type d’activité", choices=ActivityKind.choices, initial=ActivityKind.COMPANY_VISIT)
    title = forms.CharField(
        label="Intitulé",
        required=False,
        max_length=300,
        help_text="Vide : le type d’activité et le nom de l’entreprise.",
    )
    school_search = GroupForm.base_fields["school_search"]
    school = GroupForm.base_fields["school"]
    level = GroupForm.base_fields["level"]
    class_name = GroupForm.base_fields["class_name"]
    pupils = GroupForm.base_fields["pupils"]
    company_search = forms.CharField(
        label="Rechercher l’entreprise",
        required=False,
        max_length=200,
        help_text="Nom, commune ou SIRET. Sans JavaScript, « Actualiser » filtre la liste.",
    )
    company = forms.ModelChoiceField(
        label="Entreprise ou organisation partenaire",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Cette organisation n’est pas proposée : cherchez-la de nouveau."},
    )
    prepared_with_pupils = forms.BooleanField(label="Préparée avec les élèves", required=False)
    exploited_afterwards = forms.BooleanField(label="Exploitée ensuite en classe", required=False)
    evaluation = forms.CharField(
        label="Évaluation en une ligne", required=False, max_length=300, help_text="Ce qu’en ont retenu les élèves."
    )
    contributions = contributions_field()

    def __init__(self, *args, user, rights: Rights, options: list[ContributionOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.rights = user, rights
        if not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())
        school_field(self, user, rights.fixed_schools, (), "school_search")
        self._company_field()
        self.set_options(options)
        if not self.is_bound and options:
            self.initial.setdefault("contributions", [options[0].key])
        self._bound_fields_cache.clear()  # DsfrBaseForm bound the fields before their choices were final

    def _company_field(self) -> None:
        field = self.fields["company"]
        forced = self.rights.own_partner if self.rights.places == "derived" else None
        if forced is not None:
            field.queryset = Organisation.objects.filter(pk=forced.pk)
            field.required, field.empty_label = True, None
            self.initial.setdefault("company", forced.pk)
            del self.fields["company_search"]
            return
        field.queryset = Organisation.objects.for_user(self.user).active().exclude(kind=OrganisationKind.SCHOOL)
        query = (self.data.get("company_search") or "").strip()[:200] if self.is_bound else ""
        selected = to_pk(self.data.get("company")) if self.is_bound else None
        shown = partner_matches(self.user, query)
        if selected and selected not in {o.pk for o in shown}:
            shown = list(field.queryset.filter(pk=selected)) + shown
        field.widget.choices = [("", "— Aucune ou choisir —"), *((o.pk, organisation_label(o)) for o in shown)]
        search_widget(
            self.fields["company_search"],
            url=f"{reverse('activities:select_options')}?field=company",
            target=f"#{self['company'].auto_id}",
            include=f"#{self['company'].auto_id}",
        )

    def clean(self):
        cleaned = super().clean()
        check_dates(self, cleaned.get("starts_on"), None)
        school = cleaned.get("school")
        # Recorded elsewhere than where one records, the activity would escape its author.
        places = self.rights.places
        if school is not None and places == "academy" and school.academy_id not in self.rights.academy_ids:
            self.add_error("school", "Cet établissement n’est pas dans votre académie : saisissez-y ses activités.")
        elif school is not None and places == "basin" and school.basin_id not in self.rights.basin_ids:
            self.add_error("school", "Cet établissement n’est pas dans votre bassin : saisissez-y ses activités.")
        return cleaned

    def activity(self) -> Activity:
        cleaned = self.cleaned_data
        kind = ActivityKind(cleaned["kind"])
        about = cleaned.get("company") or cleaned.get("school")
        title = cleaned.get("title") or (f"{kind.label} – {about}" if about else kind.label)
        return Activity(
            kind=kind,
            title=title[:300],
            starts_on=cleaned["starts_on"],
            class_count=1,
            prepared_with_pupils=cleaned["prepared_with_pupils"],
            exploited_afterwards=cleaned["exploited_afterwards"],
            evaluation=cleaned.get("evaluation", ""),
        )

    def group(self) -> GroupInput:
        cleaned = self.cleaned_data
        return GroupInput(
            pupils=cleaned["pupils"],
            school=cleaned["school"],
            level=cleaned["level"],
            class_name=cleaned.get("class_name", ""),
        )
