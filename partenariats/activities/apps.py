from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "partenariats.activities"
    verbose_name = "plans et activités"
