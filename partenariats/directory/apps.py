from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "partenariats.directory"
    verbose_name = "annuaire"
