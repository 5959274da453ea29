from django.contrib.auth.forms import AuthenticationForm
from dsfr.forms import DsfrBaseForm


class LoginForm(DsfrBaseForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Adresse électronique"
