from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "partenariats.indicators"
    verbose_name = "indicateurs"
