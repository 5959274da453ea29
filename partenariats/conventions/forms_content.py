"""Forms of a convention's content: its articles and its commitments. They validate, nothing more."""

from django import forms
from dsfr.forms import DsfrBaseForm

from partenariats.conventions.models import Article, Audience, Commitment, Convention, Programme


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Article) -> str:
        return str(obj) or f"Article sans numéro ni intitulé ({obj.pk})"


class ArticleForm(DsfrBaseForm, forms.ModelForm):
    parent = ArticleChoiceField(
        label="Article parent",
        queryset=Article.objects.none(),
        required=False,
        empty_label="Aucun (article de premier niveau)",
        help_text="Pour un sous-article (« 2.1 » sous « 2 »).",
    )

    class Meta:
        model = Article
        fields = ["number", "heading", "text", "parent"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        articles = convention.articles.all()
        if self.instance.pk:
            articles = articles.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = articles

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("number") and not cleaned.get("heading"):
            raise forms.ValidationError("Indiquez au moins le numéro ou l’intitulé de l’article.")
        return cleaned


class CommitmentForm(DsfrBaseForm, forms.ModelForm):
    party = forms.ModelChoiceField(
        label="Partie qui s’engage",
        queryset=None,
        error_messages={"required": "Choisissez la partie qui prend cet engagement."},
    )
    article = ArticleChoiceField(
        label="Article",
        queryset=Article.objects.none(),
        required=False,
        empty_label="Aucun article en particulier",
    )
    audiences = forms.ModelMultipleChoiceField(
        label="Publics visés", queryset=Audience.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Dispositifs",
        queryset=Programme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Un dispositif annuel (Mois de l’ESS…) ajoute son rendez-vous au calendrier de la convention.",
    )

    class Meta:
        model = Commitment
        fields = ["party", "article", "text", "audiences", "programmes", "confidential"]
        labels = {"text": "Engagement", "confidential": "Confidentiel"}
        help_texts = {
            "text": "Ce que la partie s’engage à faire, tel que le texte le dit.",
            "confidential": "Visible seulement des personnels des parties.",
        }
        error_messages = {"text": {"required": "Indiquez ce que la partie s’engage à faire."}}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, convention: Convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = convention.parties.select_related("organisation")
        self.fields["article"].queryset = convention.articles.all()
