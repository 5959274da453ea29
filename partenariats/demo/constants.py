"""The demo accounts' e-mails and password, importable without Django (the benchmarks read them)."""

# Satisfies the CNIL validator: 12+ characters of four kinds.
DEMO_PASSWORD = "Demo-Partenariats-2026!"  # noqa: S105 -- public on purpose: demo data only
DEMO_EMAIL_DOMAIN = "demo.example.invalid"
# The change reason of every history record the demo creates.
CHANGE_REASON = "Données de démonstration"


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"


PLATFORM_ADMIN_EMAIL = demo_email("admin")
ACADEMY_ADMIN_EMAIL = demo_email("admin-aix")
ACADEMY_STAFF_EMAIL = demo_email("academie-aix")
ACADEMY_STAFF_NICE_EMAIL = demo_email("academie-nice")
REGION_STAFF_EMAIL = demo_email("region")
CLEE_MEMBER_EMAIL = demo_email("clee")
SCHOOL_STAFF_EMAIL = demo_email("etablissement")
FEDERATION_STAFF_EMAIL = demo_email("federation")
COMPANY_STAFF_EMAIL = demo_email("entreprise")
OBSERVER_EMAIL = demo_email("observateur")
