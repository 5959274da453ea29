"""The form to attach a file to an activity (the checks of the content are in ``attachments``)."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from partenariats.activities.attachments import ACCEPTED, MAX_SIZE, attachment_content_type
from partenariats.activities.models import AttachmentKind
from partenariats.conventions.forms import DateInput


class AttachmentForm(DsfrBaseForm):
    title = forms.CharField(label="Titre", max_length=255, error_messages={"required": "Donnez un titre au fichier."})
    kind = forms.ChoiceField(
        label="Type de pièce", choices=AttachmentKind.choices, error_messages={"required": "Choisissez le type."}
    )
    file = forms.FileField(
        label="Fichier",
        help_text=f"{ACCEPTED}, {MAX_SIZE // (1024 * 1024)} Mo au plus. Le contenu du fichier est vérifié.",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n’a pas été reçu : déposez-le de nouveau.",
        },
    )
    concerns_minors = forms.BooleanField(
        label="Concerne des mineurs",
        required=False,
        help_text="Photo ou feuille d’émargement d’élèves mineurs : visible seulement des parties à l’activité, "
        "supprimée à la date de fin de conservation.",
    )
    consent_obtained = forms.BooleanField(
        label="Les autorisations des responsables légaux ont été recueillies",
        required=False,
        help_text="Obligatoire pour un fichier concernant des mineurs (droit à l’image, données personnelles).",
    )
    retain_until = forms.DateField(
        label="À conserver jusqu’au",
        required=False,
        widget=DateInput,
        help_text="Par défaut, le 31 août de l’année scolaire suivante. Le fichier est alors supprimé.",
        error_messages={"invalid": "Cette date n’existe pas ou est mal écrite (jj/mm/aaaa)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.group_class = "fr-upload-group"
        self.content = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(f"Le fichier dépasse la taille maximale de {MAX_SIZE // (1024 * 1024)} Mo.")
        content = upload.read()
        upload.seek(0)
        attachment_content_type(content, upload.name)
        self.content = content
        return upload

    def clean(self):
        cleaned = super().clean()
        retain_until = cleaned.get("retain_until")
        if retain_until is not None and retain_until <= timezone.localdate():
            self.add_error("retain_until", "La date de fin de conservation doit être à venir.")
        if cleaned.get("concerns_minors"):
            if not cleaned.get("consent_obtained"):
                self.add_error(
                    "consent_obtained",
                    "Sans les autorisations des responsables légaux, un fichier concernant des mineurs ne peut pas "
                    "être déposé.",
                )
            if retain_until is None and "retain_until" not in self.errors:
                self.add_error("retain_until", "Indiquez jusqu’à quand conserver un fichier concernant des mineurs.")
        return cleaned
