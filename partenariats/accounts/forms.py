from django import forms
from django.contrib.auth import forms as auth_forms
from dsfr.forms import DsfrBaseForm

from partenariats.accounts.models import ROLE_SCOPES, ApiToken, Role, User, UserStatus, regions_within
from partenariats.directory.models import Organisation, OrganisationKind
from partenariats.territories.models import AcademicRegion, Academy, Basin


class LoginForm(DsfrBaseForm, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"

    def clean_username(self) -> str:
        # Addresses are stored lower-case (UserManager); people type them as they like.
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Adresse électronique"

    def get_users(self, email):
        # Unlike Django's, this also serves invited people who never chose a password: the link
        # lets them choose one, as the invitation would have.
        return User.objects.filter(email__iexact=email.strip(), is_active=True)


class SetPasswordForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DsfrBaseForm, auth_forms.PasswordChangeForm):
    pass


class ApiTokenForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": "Nom du jeton"}
        help_texts = {"name": "Pour vous rappeler à quoi il sert, par exemple « Tableur de suivi »."}


class BasinChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.academy.name})"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} — {obj.city}" if obj.city else str(obj)


GRANTABLE_ROLES = [(value, label) for value, label in Role.choices if value != Role.PLATFORM_ADMIN]


class RoleForm(DsfrBaseForm):
    """A role and where it applies, chosen among the territories the manager looks after."""

    role = forms.ChoiceField(label="Rôle", choices=[("", "Choisir un rôle"), *GRANTABLE_ROLES])
    academy = forms.ModelChoiceField(
        label="Académie",
        queryset=Academy.objects.none(),
        required=False,
        empty_label="—",
        help_text="Pour le personnel académique et les observateur·rice·s.",
    )
    region = forms.ModelChoiceField(
        label="Région académique",
        queryset=AcademicRegion.objects.none(),
        required=False,
        empty_label="—",
        help_text="Pour le personnel académique et les observateur·rice·s, à la place d’une académie.",
    )
    basin = BasinChoiceField(
        label="Bassin de formation",
        queryset=Basin.objects.none(),
        required=False,
        empty_label="—",
        help_text="Pour les membres de CLEE.",
    )
    organisation = OrganisationChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text="Un établissement pour son personnel, une autre organisation pour le personnel d’un partenaire.",
    )
    manages_accounts = forms.BooleanField(
        label="Gère les comptes",
        required=False,
        help_text="Personnel académique seulement : peut inviter des personnes et gérer leurs rôles.",
    )

    def __init__(self, *args, manager: User, **kwargs):
        super().__init__(*args, **kwargs)
        scope = manager.scope
        academies = Academy.objects.all()
        regions = AcademicRegion.objects.all()
        basins = Basin.objects.select_related("academy")
        organisations = Organisation.objects.active()
        if not scope.is_platform_admin:
            managed = scope.managed_academy_ids
            academies = academies.filter(pk__in=managed)
            regions = regions_within(managed)
            basins = basins.filter(academy__in=managed)
            organisations = organisations.filter(academy__in=managed)
        self.fields["academy"].queryset = academies
        self.fields["region"].queryset = regions
        if not scope.is_platform_admin and not regions.exists():
            # Managing part of a région académique does not allow granting the whole of it.
            del self.fields["region"]
        self.fields["basin"].queryset = basins
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if not role:
            return cleaned
        wanted = [name for name in ROLE_SCOPES[role] if name in self.fields]
        given = [name for name in ("academy", "region", "basin", "organisation") if cleaned.get(name)]
        chosen = [name for name in given if name in wanted]
        if len(chosen) != 1:
            labels = " ou ".join(str(self.fields[name].label).lower() for name in wanted)
            self.add_error(wanted[0], f"Ce rôle demande un périmètre, un seul : {labels}.")
        for name in given:
            if name not in wanted:
                self.add_error(name, "Ce périmètre ne convient pas au rôle choisi : laissez ce champ vide.")
        organisation = cleaned.get("organisation")
        if organisation and role == Role.SCHOOL_STAFF and organisation.kind != OrganisationKind.SCHOOL:
            self.add_error("organisation", "Le personnel d’établissement se rattache à un établissement scolaire.")
        if organisation and role == Role.PARTNER_STAFF and organisation.kind == OrganisationKind.SCHOOL:
            self.add_error("organisation", "Le personnel d’un partenaire se rattache à une organisation non scolaire.")
        if cleaned.get("manages_accounts") and role != Role.ACADEMY_STAFF:
            self.add_error("manages_accounts", "Seul le personnel académique peut gérer les comptes.")
        return cleaned

    def role_kwargs(self) -> dict:
        """What the services need to create the assignment."""
        return {
            name: self.cleaned_data.get(name)
            for name in ("role", "academy", "region", "basin", "organisation", "manages_accounts")
        }


class InvitationForm(RoleForm):
    email = forms.EmailField(label="Adresse électronique")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    field_order = ["email", "first_name", "last_name", "role"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class UserFilterForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher", required=False, help_text="Nom, prénom ou adresse électronique")
    role = forms.ChoiceField(label="Rôle", required=False, choices=[("", "Tous les rôles"), *Role.choices])
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous les statuts"), *UserStatus.choices])
