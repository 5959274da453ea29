"""Forms of the committee and its meetings. They validate, nothing more: the writes are in ``meetings``."""

from datetime import datetime

from django import forms
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from partenariats.activities.models import Plan
from partenariats.conventions.forms import optional_date
from partenariats.conventions.models import Convention, Party
from partenariats.directory.models import Organisation, Person
from partenariats.steering.forms_common import version_field
from partenariats.steering.invitations import PARIS
from partenariats.steering.meetings import MeetingError, Schedule, parse_agenda
from partenariats.steering.models import AttendanceStatus, CorrectiveStatus, Meeting, MemberRole

HOST_MATCHES_SHOWN = 5
VIDEO_LINK_MAX = Meeting._meta.get_field("video_link").max_length


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Party) -> str:
        return str(obj.organisation)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.last_name.upper()} {obj.first_name}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"Adopte le plan {obj.year.label} ({obj.get_status_display().lower()})"


def party_field(convention: Convention, label: str, help_text: str = "") -> PartyChoiceField:
    return PartyChoiceField(
        label=label,
        queryset=convention.parties.select_related("organisation").order_by("position", "pk"),
        required=False,
        empty_label="—",
        help_text=help_text,
    )


class MemberForm(DsfrBaseForm):
    person = PersonChoiceField(
        label="Personne",
        queryset=Person.objects.none(),
        help_text="Parmi les contacts de l’annuaire que vous pouvez consulter.",
        error_messages={
            "invalid_choice": "Choisissez une personne de l’annuaire.",
            "required": "Choisissez une personne.",
        },
    )
    party = None  # set per convention
    role = forms.ChoiceField(label="Rôle", choices=MemberRole.choices)
    title = forms.CharField(label="Fonction", max_length=255, required=False, help_text="Par exemple « DAFPIC ».")

    def __init__(self, *args, convention: Convention, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.for_user(user).filter(is_active=True)
        self.fields["party"] = party_field(convention, "Partie représentée", "Vide pour un expert invité.")
        self.order_fields(["person", "party", "role", "title"])


class MeetingCreateForm(DsfrBaseForm):
    extraordinary = forms.BooleanField(
        label="Comité extraordinaire",
        required=False,
        help_text="Hors du cycle annuel : indiquez la date avant laquelle le réunir.",
    )
    due_on = forms.DateField(
        label="À tenir avant le",
        widget=DateInput,
        error_messages={
            "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
            "required": "Indiquez la date.",
        },
    )

    def __init__(self, *args, open_dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_dates = list(open_dates)

    def clean(self):
        data = super().clean()
        due_on = data.get("due_on")
        if due_on and not data.get("extraordinary") and due_on not in self.open_dates:
            self.add_error(
                "due_on",
                "Cette date n’est pas une échéance annuelle du comité de pilotage encore ouverte : "
                "choisissez l’échéance proposée ou créez un comité extraordinaire.",
            )
        return data


class MeetingScheduleForm(DsfrBaseForm):
    day = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={
            "invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa).",
            "required": "Indiquez la date.",
        },
    )
    start_time = forms.TimeField(
        label="Heure de début",
        widget=TimeInput,
        error_messages={"invalid": "Heure mal écrite (hh:mm).", "required": "Indiquez l’heure de début."},
    )
    end_time = forms.TimeField(
        label="Heure de fin",
        widget=TimeInput,
        error_messages={"invalid": "Heure mal écrite (hh:mm).", "required": "Indiquez l’heure de fin."},
    )
    place = forms.CharField(label="Lieu", max_length=255, required=False, help_text="Adresse, salle.")
    host = forms.ModelChoiceField(
        label="Organisation qui accueille",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text="Une partie ou un adhérent d’une fédération partie.",
    )
    host_search = forms.CharField(
        label="Ou une autre organisation de l’annuaire",
        max_length=100,
        required=False,
        help_text="Son nom, son sigle, son SIRET ou son UAI.",
    )
    video_link = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        assume_scheme="https",
        max_length=VIDEO_LINK_MAX,
        error_messages={
            "invalid": "Indiquez une adresse web complète (https://…).",
            "max_length": (
                f"Ce lien compte plus de {VIDEO_LINK_MAX} caractères : raccourcissez-le "
                "(lien court de la réunion) ou indiquez-le dans l’ordre du jour."
            ),
        },
    )
    agenda = forms.CharField(
        label="Ordre du jour",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Un point par ligne, « titre : précision ».",
    )
    version = version_field()

    def __init__(self, *args, convention: Convention, user, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        parties = convention.parties.values("organisation")
        suggestions = Q(pk__in=parties) | Q(federations__in=parties)
        if meeting.host_id:
            suggestions |= Q(pk=meeting.host_id)
        self.fields["host"].queryset = (
            Organisation.objects.for_user(user).filter(suggestions).distinct().order_by("name", "pk")
        )

    def clean_agenda(self):
        try:
            return parse_agenda(self.cleaned_data["agenda"])
        except MeetingError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        query = (data.get("host_search") or "").strip()
        if query:
            found = list(Organisation.objects.for_user(self.user).active().search(query)[: HOST_MATCHES_SHOWN + 1])
            if not found:
                self.add_error("host_search", "Aucune organisation de l’annuaire ne correspond.")
            elif len(found) > 1:
                names = ", ".join(str(o) for o in found[:HOST_MATCHES_SHOWN])
                self.add_error("host_search", f"Plusieurs organisations correspondent ({names}…) : précisez.")
            else:
                data["host"] = found[0]
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end and end <= start:
            self.add_error("end_time", "La fin de la réunion doit être après son début.")
        return data

    def schedule(self) -> Schedule:
        data = self.cleaned_data
        return Schedule(
            starts_at=datetime.combine(data["day"], data["start_time"], tzinfo=PARIS),
            ends_at=datetime.combine(data["day"], data["end_time"], tzinfo=PARIS),
            place=data.get("place", ""),
            host=data.get("host"),
            video_link=data.get("video_link", ""),
            agenda=data.get("agenda") or [],
        )


class AttendanceForm(DsfrBaseForm):
    status = forms.ChoiceField(label="Présence", choices=AttendanceStatus.choices)
    represented_by = forms.CharField(label="Représenté·e par", max_length=200, required=False)


class GuestForm(DsfrBaseForm):
    name = forms.CharField(label="Nom de l’invité·e", max_length=200, required=False)
    organisation_name = forms.CharField(label="Organisation", max_length=255, required=False)
    status = forms.ChoiceField(
        label="Présence",
        choices=[(AttendanceStatus.PRESENT, "Présent·e"), (AttendanceStatus.EXCUSED, "Excusé·e")],
        required=False,
    )


GuestFormSet = forms.formset_factory(GuestForm, extra=2, max_num=50, absolute_max=50)


class MinutesForm(DsfrBaseForm):
    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=100_000,
        help_text=(
            "La version publique retire les adresses, les téléphones et les noms connus de la plateforme "
            "(membres du comité, représentants, signataires, invités) : pour les autres personnes, "
            "écrivez leur fonction plutôt que leur nom."
        ),
    )
    inventory = forms.CharField(
        label="État des lieux",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50_000,
        help_text="Ce que les parties faisaient déjà ensemble avant la convention.",
    )
    mark_held = forms.BooleanField(label="Marquer la réunion comme tenue", required=False)
    version = version_field()


class DecisionForm(DsfrBaseForm):
    text = forms.CharField(
        label="Décision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        error_messages={"required": "Écrivez la décision."},
    )
    adopted_plan = PlanChoiceField(
        label="Adoption d’un plan de partenariat", queryset=Plan.objects.none(), required=False, empty_label="—"
    )
    confidential = forms.BooleanField(
        label="Confidentielle", required=False, help_text="Réservée aux parties : absente de la version publique."
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adopted_plan"].queryset = Plan.objects.filter(convention=convention).order_by("-school_year")


class DecisionCorrectionForm(DsfrBaseForm):
    """The text and confidentiality of a decision already recorded (its number and plan stay)."""

    text = forms.CharField(
        label="Décision",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        error_messages={"required": "Écrivez la décision."},
    )
    confidential = forms.BooleanField(
        label="Confidentielle", required=False, help_text="Réservée aux parties : absente de la version publique."
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CorrectiveForm(DsfrBaseForm):
    title = forms.CharField(label="Action corrective", max_length=300, error_messages={"required": "Nommez l’action."})
    detail = forms.CharField(
        label="Précisions", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5_000
    )
    owner_name = forms.CharField(label="Responsable (personne ou service)", max_length=200, required=False)
    due_on = optional_date("Échéance")
    status = forms.ChoiceField(label="État", choices=CorrectiveStatus.choices, initial=CorrectiveStatus.OPEN)
    confidential = forms.BooleanField(
        label="Confidentielle", required=False, help_text="Réservée aux parties : absente de la version publique."
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_party"] = party_field(convention, "Partie responsable")
        self.order_fields(["title", "detail", "owner_party", "owner_name", "due_on", "status", "confidential"])


class CorrectiveReviewForm(DsfrBaseForm):
    status = forms.ChoiceField(label="État", choices=CorrectiveStatus.choices)
    review_note = forms.CharField(
        label="Point d’avancement", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5_000
    )
    meeting = forms.IntegerField(widget=forms.HiddenInput, required=False)
