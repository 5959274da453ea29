from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "partenariats.demo"
    verbose_name = "données de démonstration"
