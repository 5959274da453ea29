import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmarks' framework floor: the DSFR base template, same middleware, logged-in user."""
    return render(request, "core/floor.html", {"title": "Plancher"})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Up when the database answers: what a load balancer polls."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("healthz: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _public_page(template: str, title: str):
    @login_not_required
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template, {"title": title})

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


accessibility = _public_page("core/accessibility.html", "Déclaration d’accessibilité")
legal_notice = _public_page("core/legal_notice.html", "Mentions légales")
personal_data = _public_page("core/personal_data.html", "Données personnelles")
cookies = _public_page("core/cookies.html", "Gestion des cookies")
sitemap = _public_page("core/sitemap.html", "Plan du site")


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", {"title": "Accès refusé"}, status=403)


API_PREFIX = "/api/"
API_NOT_FOUND = "Introuvable : cette adresse de l’API n’existe pas (consultez /api/docs)."
API_SERVER_ERROR = "Erreur inattendue : elle a été enregistrée ; réessayez plus tard ou signalez-la."


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    # An API client reads JSON: an address the API's routes do not match (``/api/organisations/abc``).
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": API_NOT_FOUND}, status=404)
    return render(request, "404.html", {"title": "Page introuvable"}, status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": API_SERVER_ERROR}, status=500)
    # No context processor may be trusted here: render with the bare minimum.
    return HttpResponse(loader.get_template("500.html").render({"title": "Erreur inattendue"}), status=500)
