from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "partenariats.accounts"
    verbose_name = "comptes et accès"
