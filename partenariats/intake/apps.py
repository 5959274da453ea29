from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "partenariats.intake"
    verbose_name = "import de conventions"
