"""The API: every app's router under one django-ninja instance at /api/."""

from ninja import NinjaAPI

from partenariats.api.auth import TokenAuth

api = NinjaAPI(
    title="Partenariats école–entreprise",
    version="1",
    description="API des conventions de partenariat. Authentification : `Authorization: Bearer <jeton>`.",
    auth=TokenAuth(),
    urls_namespace="api",
)
