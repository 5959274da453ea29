"""The API: every app's router under one django-ninja instance at /api/.

Errors answer JSON with a French ``detail``; ``/api/openapi.json`` and ``/api/docs`` are public.
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from partenariats.activities.api import router as activities_router
from partenariats.api.auth import TokenAuth
from partenariats.conventions.api import router as conventions_router
from partenariats.directory.api import router as directory_router
from partenariats.indicators.api import router as indicators_router
from partenariats.territories.api import router as territories_router

UNAUTHENTICATED = "Authentification requise : fournissez un jeton d’API valide (en-tête Authorization: Bearer …)."
NOT_FOUND = "Introuvable : cet enregistrement n’existe pas ou n’est pas dans votre périmètre."

UNREADABLE_BODY = (
    "Corps de la requête illisible : envoyez un objet JSON valide (en-tête Content-Type: application/json)."
)
# django-ninja's own English message for a body it cannot parse.
NINJA_UNREADABLE_BODY = "Cannot parse request body"
INVALID_REQUEST = "Requête invalide : {count} erreur{plural}. Corrigez les paramètres signalés puis renvoyez-la."
# French wording of pydantic's error types (``type`` of each error); any other type: VALUE_INVALID.
VALUE_INVALID = "valeur invalide"
ERROR_WORDING = {
    "missing": "obligatoire",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "bool_parsing": "true ou false attendu",
    "bool_type": "true ou false attendu",
    "string_type": "texte attendu",
    "string_too_long": "texte trop long",
    "string_too_short": "texte trop court",
    "date_parsing": "date AAAA-MM-JJ attendue",
    "date_from_datetime_parsing": "date AAAA-MM-JJ attendue",
    "date_type": "date AAAA-MM-JJ attendue",
    "datetime_parsing": "date et heure attendues (AAAA-MM-JJTHH:MM)",
    "enum": "valeur non reconnue",
    "literal_error": "valeur non reconnue",
    "list_type": "liste attendue",
    "dict_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "json_invalid": "JSON illisible",
    "greater_than_equal": "valeur trop petite",
    "greater_than": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "less_than": "valeur trop grande",
    "too_long": "trop d’éléments",
    "extra_forbidden": "champ inconnu",
}
WHERE = {"query": "paramètre", "path": "chemin", "body": "corps", "header": "en-tête", "cookie": "cookie"}


def _french_error(error: dict) -> str:
    """One validation error as a French line: where (« corps › title »), then what is expected."""
    location = [str(part) for part in error.get("loc", ())]
    if location and location[0] in WHERE:
        location[0] = WHERE[location[0]]
    where = " › ".join(location) or "requête"
    wording = ERROR_WORDING.get(error.get("type", ""), VALUE_INVALID)
    context = error.get("ctx") or {}
    if error.get("type") in ("enum", "literal_error") and context.get("expected"):
        wording += f" (attendu : {str(context['expected'])[:200]})"
    for bound, words in (("ge", "au moins"), ("gt", "plus de"), ("le", "au plus"), ("lt", "moins de")):
        if bound in context:
            wording += f" ({words} {context[bound]})"
    return f"{where} : {wording}"


class PartenariatsAPI(NinjaAPI):
    """The project's API, whose OpenAPI document states the answers every operation may give:
    401 without a valid token, 404 for a record out of scope, 400 for a body that is not JSON,
    422 for invalid input."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                _document_common_answers(operation)
        return schema


def _problem(description: str, *, with_errors: bool) -> dict:
    properties: dict[str, Any] = {"detail": {"type": "string", "description": "Ce qui ne va pas, en français."}}
    if with_errors:
        properties["errors"] = {"type": "array", "items": {"type": "string"}}
    body = {"type": "object", "properties": properties, "required": ["detail"]}
    return {"description": description, "content": {"application/json": {"schema": body}}}


def _document_common_answers(operation: dict) -> None:
    responses = operation.setdefault("responses", {})
    if operation.get("security"):
        responses.setdefault("401", _problem("Jeton absent, révoqué ou invalide", with_errors=False))
    if any(parameter.get("in") == "path" for parameter in operation.get("parameters", ())):
        responses.setdefault("404", _problem("Hors de votre périmètre ou inexistant", with_errors=False))
    if "requestBody" in operation:
        responses.setdefault("400", _problem("Corps de la requête illisible", with_errors=False))
    responses.setdefault("422", _problem("Requête invalide", with_errors=True))


api = PartenariatsAPI(
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


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not fit the schema: 422, each error in French (pydantic's are English)."""
    errors = [_french_error(error) for error in exc.errors]
    count = len(errors)
    detail = INVALID_REQUEST.format(count=count, plural="s" if count > 1 else "")
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """The views' refusals carry a French message already; django-ninja's own one is translated."""
    message = UNREADABLE_BODY if str(exc) == NINJA_UNREADABLE_BODY else str(exc)
    return api.create_response(request, {"detail": message}, status=exc.status_code)
