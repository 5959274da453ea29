"""The API: every app's router under one django-ninja instance at /api/.

Errors answer JSON with a French ``detail``; ``/api/openapi.json`` and ``/api/docs`` are public.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from partenariats.activities.api import router as activities_router
from partenariats.api.auth import TokenAuth
from partenariats.conventions.api import router as conventions_router
from partenariats.directory.api import router as directory_router
from partenariats.indicators.api import router as indicators_router
from partenariats.territories.api import router as territories_router

UNAUTHENTICATED = "Authentification requise : fournissez un jeton d’API valide (en-tête Authorization: Bearer …)."
NOT_FOUND = "Introuvable : cet enregistrement n’existe pas ou n’est pas dans votre périmètre."

api = NinjaAPI(
    title="Partenariats école–entreprise",
    version="1",
    description=(
        "API des territoires, de l’annuaire et des conventions, avec les mêmes droits que les pages. "
        "Authentification : `Authorization: Bearer <jeton>` (un jeton se crée depuis votre compte). "
        "Les listes sont paginées : `limit` (50 par défaut, 100 au plus) et `offset` ; "
        "la réponse donne `items` et `count`, le nombre total."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("/territories", territories_router)
api.add_router("/", directory_router)
api.add_router("/conventions", conventions_router)
api.add_router("/", activities_router)
api.add_router("/indicators", indicators_router)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)
