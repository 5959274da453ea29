"""Import of schools and organisations: upload → preview → confirm → background commit → status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from partenariats.core.access import scope_of
from partenariats.core.exports import export_response
from partenariats.directory import import_services
from partenariats.directory.forms_import import ImportUploadForm
from partenariats.directory.importers import (
    KIND_HELP,
    ORGANISATION_TEMPLATE_HEADERS,
    SCHOOL_COLUMNS,
    SIZE_HELP,
    Action,
    ImportFileError,
    ImportKind,
    analyse,
)
from partenariats.directory.tasks import import_directory_file

SESSION_KEY = "directory_import"
MAX_LISTED_ERRORS = 500


def _check_may_import(request: HttpRequest) -> None:
    """Académie staff (in the académies they write in) and platform admins import; nobody else."""
    scope = scope_of(request.user)
    if not (scope.is_platform_admin or scope.writable_academy_ids):
        raise PermissionDenied


def _breadcrumb(current: str, with_upload: bool = True) -> dict:
    links = [{"url": reverse("directory:organisation_list"), "title": "Organisations"}]
    if with_upload:
        links.append({"url": reverse("directory:import_upload"), "title": "Importer"})
    return {"links": links, "current": current}


@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _check_may_import(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            report = analyse(kind, data, request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            previous = request.session.get(SESSION_KEY)
            if previous:
                import_services.discard_upload(previous["key"])
            key = import_services.store_upload(data, report.file_format)
            request.session[SESSION_KEY] = {"key": key, "kind": kind, "filename": upload.name[:200]}
            return redirect("directory:import_preview")
    context = {
        "title": "Importer des établissements ou des organisations",
        "form": form,
        "school_columns": [column.header for column in SCHOOL_COLUMNS],
        "template_headers": ORGANISATION_TEMPLATE_HEADERS,
        "kind_help": KIND_HELP,
        "size_help": SIZE_HELP,
        "breadcrumb_data": _breadcrumb("Importer", with_upload=False),
    }
    return render(request, "directory/import_upload.html", context)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The empty organisation template, as CSV or XLSX."""
    _check_may_import(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(ORGANISATION_TEMPLATE_HEADERS, [], filename="modele-import-organisations", fmt=fmt)


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    _check_may_import(request)
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.info(request, "Aucun fichier en attente d’import : déposez-en un.")
        return redirect("directory:import_upload")
    if request.method == "POST":
        return _cancel(request, pending) if "cancel" in request.POST else _confirm(request, pending)

    try:
        report = analyse(pending["kind"], import_services.read_upload(pending["key"]), request.user)
    except (FileNotFoundError, ImportFileError):
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "Le fichier déposé n’est plus disponible : déposez-le de nouveau.")
        return redirect("directory:import_upload")
    errors = report.error_messages
    context = {
        "title": "Aperçu de l’import",
        "report": report,
        "kind_label": ImportKind(pending["kind"]).label,
        "filename": pending["filename"],
        "counts": report.counts,
        "to_write": report.count(Action.CREATE) + report.count(Action.UPDATE),
        "errors": errors[:MAX_LISTED_ERRORS],
        "more_errors": max(0, len(errors) - MAX_LISTED_ERRORS),
        "is_schools": pending["kind"] == ImportKind.SCHOOLS,
        "breadcrumb_data": _breadcrumb("Aperçu"),
    }
    return render(request, "directory/import_preview.html", context)


def _cancel(request: HttpRequest, pending: dict) -> HttpResponse:
    import_services.discard_upload(pending["key"])
    del request.session[SESSION_KEY]
    messages.success(request, "Import annulé : le fichier déposé a été supprimé.")
    return redirect("directory:import_upload")


def _confirm(request: HttpRequest, pending: dict) -> HttpResponse:
    del request.session[SESSION_KEY]
    result = import_directory_file.enqueue(kind=pending["kind"], key=pending["key"], user_id=request.user.pk)
    if result.is_finished:
        # An in-process backend (tests, development) has already run it: show the outcome now.
        return render(request, "directory/import_status.html", _status_context(result))
    messages.success(request, "Import lancé : il se poursuit en arrière-plan.")
    return redirect("directory:import_status", result_id=result.id)


@require_GET
def import_status(request: HttpRequest, result_id: str) -> HttpResponse:
    _check_may_import(request)
    try:
        result = import_directory_file.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError) as exc:
        # NotImplementedError: a backend that keeps no results (the in-process one).
        raise Http404("Import inconnu.") from exc
    if result.kwargs.get("user_id") != request.user.pk:
        raise Http404("Import inconnu.")
    context = _status_context(result)
    if request.htmx:
        return render(request, "directory/_import_status.html", context)
    return render(request, "directory/import_status.html", context)


def _status_context(result: TaskResult) -> dict:
    state, outcome = "waiting", {}
    if result.status == TaskResultStatus.RUNNING:
        state = "running"
    elif result.status == TaskResultStatus.FAILED:
        state = "failed"
        outcome = {
            "reason": "une erreur inattendue a interrompu l’import ; aucune ligne n’a été enregistrée. "
            "Réessayez plus tard ou signalez-le à l’équipe technique."
        }
    elif result.status == TaskResultStatus.SUCCESSFUL:
        outcome = result.return_value or {}
        state = "done" if outcome.get("ok") else "failed"
        if state == "done":
            outcome["summary"] = _summary(outcome)
    return {
        "title": "Suivi de l’import",
        "result": result,
        "state": state,
        "outcome": outcome,
        "kind_label": ImportKind(result.kwargs["kind"]).label,
        "breadcrumb_data": _breadcrumb("Suivi"),
    }


def _summary(outcome: dict) -> str:
    """ "4 créés, 0 mis à jour, 2 inchangés, 1 ligne ignorée" (French takes the singular for 0 and 1)."""

    def plural(count: int) -> str:
        return "s" if count > 1 else ""

    created, updated = outcome.get("created", 0), outcome.get("updated", 0)
    unchanged, skipped = outcome.get("unchanged", 0), outcome.get("skipped", 0)
    text = f"{created} créé{plural(created)}, {updated} mis à jour"
    if unchanged:
        text += f", {unchanged} inchangé{plural(unchanged)}"
    if skipped:
        text += f", {skipped} ligne{plural(skipped)} ignorée{plural(skipped)}"
    return text
