from django import forms
from django.conf import settings
from dsfr.forms import DsfrBaseForm

from partenariats.directory.importers import ImportKind


class ImportUploadForm(DsfrBaseForm):
    kind = forms.ChoiceField(
        label="Que contient le fichier ?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez ce que contient le fichier."},
    )
    file = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)",
        help_text="CSV séparé par des points-virgules ou des virgules, ou classeur Excel (sa première feuille).",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".csv,.txt,.xlsx"}),
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
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"Le fichier dépasse la taille maximale autorisée ({limit // (1024 * 1024)} Mo)."
            )
        return upload
