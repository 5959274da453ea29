from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partenariats.core"
    verbose_name = "socle"
