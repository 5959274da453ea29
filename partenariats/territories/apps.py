from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "partenariats.territories"
    verbose_name = "territoires"
