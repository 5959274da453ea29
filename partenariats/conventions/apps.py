from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "partenariats.conventions"
    verbose_name = "conventions"
