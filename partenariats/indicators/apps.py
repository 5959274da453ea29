from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "partenariats.indicators"
    verbose_name = "indicateurs"

    def ready(self):
        from partenariats.indicators import cache

        cache.connect()
