"""Forms of the review (bilan): a new review, a narrative section, the highlights.
They validate, nothing more: the writes are in ``reviews``."""

from django import forms
from dsfr.forms import DsfrBaseForm

from partenariats.activities.models import Activity
from partenariats.steering.forms_common import version_field
from partenariats.steering.models import ReviewSection
from partenariats.steering.sentences import french_date

MAX_TEXT = 20_000
MAX_COMMENT = 2_000


class ReviewCreateForm(DsfrBaseForm):
    school_year = forms.TypedChoiceField(
        label="Année scolaire",
        coerce=int,
        error_messages={
            "invalid_choice": "Choisissez une année scolaire proposée : une année avec un plan ou des activités, "
            "sans bilan.",
            "required": "Choisissez l’année scolaire du bilan.",
        },
    )

    def __init__(self, *args, years: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [(year.start_year, year.label) for year in years]


class SectionForm(DsfrBaseForm):
    text = forms.CharField(
        label="Texte",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Texte simple ; laissez une ligne vide entre deux paragraphes. Les adresses électroniques, "
        "les numéros de téléphone et les noms des membres sont retirés de la version publique.",
        error_messages={"max_length": "Ce texte est trop long (%(limit_value)d caractères au plus)."},
    )
    public = forms.BooleanField(
        label="Dans la version publique",
        required=False,
        help_text="Décochez pour réserver ce texte aux parties.",
    )
    version = version_field()

    def __init__(self, *args, section: ReviewSection, version: int, **kwargs):
        kwargs["initial"] = {"text": section.text, "public": section.public, "version": version}
        super().__init__(*args, **kwargs)
        self.fields["text"].label = section.title


class HighlightsForm(DsfrBaseForm):
    """One checkbox and one comment per activity counted this year."""

    version = version_field()

    def __init__(self, *args, activities: list[Activity], chosen: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = activities
        self.rows = []
        for activity in activities:
            pick, comment = f"activity_{activity.pk}", f"comment_{activity.pk}"
            date = french_date(activity.starts_on)
            self.fields[pick] = forms.BooleanField(
                label=f"{activity.title} ({activity.get_kind_display()}, {date})",
                required=False,
                initial=activity.pk in chosen,
            )
            self.fields[comment] = forms.CharField(
                label=f"Commentaire sur « {activity.title} »",
                required=False,
                max_length=MAX_COMMENT,
                initial=chosen.get(activity.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "Ce commentaire est trop long (%(limit_value)d caractères au plus)."},
            )
            self.rows.append((self[pick], self[comment]))

    def chosen(self) -> list[tuple[Activity, str]]:
        return [
            (activity, self.cleaned_data.get(f"comment_{activity.pk}", ""))
            for activity in self.activities
            if self.cleaned_data.get(f"activity_{activity.pk}")
        ]
