from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "partenariats.steering"
    verbose_name = "comité de pilotage et bilans"

    def ready(self):
        from partenariats.conventions.deadlines import register_settler
        from partenariats.steering.meetings import settle_committee_deadlines

        register_settler(settle_committee_deadlines)
