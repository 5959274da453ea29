from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "partenariats.dashboard"
    verbose_name = "tableau de bord"
