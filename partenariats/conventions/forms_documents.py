"""The form to add a document to a convention (the checks of the content are in ``documents``)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from partenariats.conventions.documents import ACCEPTED, MAX_SIZE, content_type_of
from partenariats.conventions.models import Amendment, Convention, DocumentKind


class DocumentForm(DsfrBaseForm):
    title = forms.CharField(
        label="Titre",
        max_length=255,
        help_text="Un dépôt portant le même titre qu’un document existant en devient la version suivante.",
        error_messages={"required": "Donnez un titre au document."},
    )
    kind = forms.ChoiceField(
        label="Type de document",
        choices=DocumentKind.choices,
        error_messages={"required": "Choisissez le type de document."},
    )
    amendment = forms.ModelChoiceField(
        label="Avenant concerné", queryset=Amendment.objects.none(), required=False, empty_label="Aucun"
    )
    confidential = forms.BooleanField(
        label="Confidentiel",
        required=False,
        help_text="Visible seulement par le personnel des parties à la convention.",
    )
    file = forms.FileField(
        label="Fichier",
        help_text=f"{ACCEPTED}, {MAX_SIZE // (1024 * 1024)} Mo au plus. Le contenu du fichier est vérifié.",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg,.tif,.tiff"}),
        error_messages={
            "required": "Choisissez un fichier.",
            "empty": "Le fichier est vide.",
            "invalid": "Le fichier n’a pas été reçu : déposez-le de nouveau.",
        },
    )

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amendment"].queryset = convention.amendments.all()
        self.fields["file"].widget.group_class = "fr-upload-group"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SIZE:
            raise forms.ValidationError(f"Le fichier dépasse la taille maximale de {MAX_SIZE // (1024 * 1024)} Mo.")
        content = upload.read()
        upload.seek(0)
        self.content_type = content_type_of(content)
        self.content = content
        return upload
