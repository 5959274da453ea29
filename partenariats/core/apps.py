from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partenariats.core"
    verbose_name = "socle"

    def ready(self):
        from partenariats.core import cache

        cache.connect()
