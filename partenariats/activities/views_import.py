"""Import of activities: upload → preview → confirm → background commit → status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from partenariats.activities.forms_activities import may_record
from partenariats.activities.import_values import KIND_HELP, LEVEL_HELP
from partenariats.activities.importers import REQUIRED_HEADERS, TEMPLATE_HEADERS, analyse
from partenariats.activities.tasks import import_activities_file
from partenariats.core.exports import export_response
from partenariats.core.tabular import ImportFileError, discard_upload, read_upload, store_upload
from partenariats.directory.forms_import import ImportUploadForm

SESSION_KEY = "activity_import"
MAX_LISTED_ERRORS = 500


class ActivityImportForm(ImportUploadForm):
    """The directory's upload field, without its choice of kind: the file holds activities."""

    kind = None


def _check_may_import(request: HttpRequest) -> None:
    """Whoever may record activities imports them (each row within their scope); observers do not."""
    if not may_record(request.user):
        raise PermissionDenied


def _breadcrumb(current: str, with_upload: bool = True) -> dict:
    links = [{"url": reverse("activities:activity_list"), "title": "Activités"}]
    if with_upload:
        links.append({"url": reverse("activities:import_start"), "title": "Importer"})
    return {"links": links, "current": current}


@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _check_may_import(request)
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            report = analyse(data, request.user)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if previous := request.session.get(SESSION_KEY):
                discard_upload(previous["key"])
            key = store_upload(data, report.file_format)
            request.session[SESSION_KEY] = {"key": key, "filename": upload.name[:200]}
            return redirect("activities:import_preview")
    context = {
        "title": "Importer des activités",
        "form": form,
        "headers": TEMPLATE_HEADERS,
        "required_headers": REQUIRED_HEADERS,
        "kind_help": KIND_HELP,
        "level_help": LEVEL_HELP,
        "breadcrumb_data": _breadcrumb("Importer", with_upload=False),
    }
    return render(request, "activities/import_upload.html", context)


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The empty template, as CSV or XLSX."""
    _check_may_import(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(TEMPLATE_HEADERS, [], filename="modele-import-activites", fmt=fmt)


@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest) -> HttpResponse:
    _check_may_import(request)
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.info(request, "Aucun fichier d’activités en attente d’import : déposez-en un.")
        return redirect("activities:import_start")
    if request.method == "POST":
        return _cancel(request, pending) if "cancel" in request.POST else _confirm(request, pending)
    try:
        report = analyse(read_upload(pending["key"]), request.user)
    except (FileNotFoundError, ImportFileError):
        request.session.pop(SESSION_KEY, None)
        messages.error(request, "Le fichier déposé n’est plus disponible : déposez-le de nouveau.")
        return redirect("activities:import_start")
    errors = report.error_messages
    context = {
        "title": "Aperçu de l’import d’activités",
        "report": report,
        "filename": pending["filename"],
        "to_create": len(report.rows) - report.error_count,
        "errors": errors[:MAX_LISTED_ERRORS],
        "more_errors": max(0, len(errors) - MAX_LISTED_ERRORS),
        "breadcrumb_data": _breadcrumb("Aperçu"),
    }
    return render(request, "activities/import_preview.html", context)


def _cancel(request: HttpRequest, pending: dict) -> HttpResponse:
    discard_upload(pending["key"])
    del request.session[SESSION_KEY]
    messages.success(request, "Import annulé : le fichier déposé a été supprimé.")
    return redirect("activities:import_start")


def _confirm(request: HttpRequest, pending: dict) -> HttpResponse:
    del request.session[SESSION_KEY]
    result = import_activities_file.enqueue(key=pending["key"], user_id=request.user.pk)
    if result.is_finished:
        # An in-process backend (tests, development) has already run it: show the outcome now.
        return render(request, "activities/import_status.html", _status_context(result))
    messages.success(request, "Import lancé : il se poursuit en arrière-plan.")
    return redirect("activities:import_status", result_id=result.id)


@require_GET
def import_status(request: HttpRequest, result_id: str) -> HttpResponse:
    _check_may_import(request)
    try:
        result = import_activities_file.get_result(result_id)
    except (TaskResultDoesNotExist, TaskResultMismatch, NotImplementedError) as exc:
        # NotImplementedError: a backend that keeps no results (the in-process one).
        raise Http404("Import inconnu.") from exc
    if result.kwargs.get("user_id") != request.user.pk:
        raise Http404("Import inconnu.")
    context = _status_context(result)
    template = "activities/_import_status.html" if request.htmx else "activities/import_status.html"
    return render(request, template, context)


def _status_context(result: TaskResult) -> dict:
    """Where the import stands: waiting or running (the page polls), done, or refused."""
    outcome = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
    if result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        state = "running" if result.status == TaskResultStatus.RUNNING else "waiting"
        reason = ""
    elif outcome and outcome.get("ok"):
        state, reason = "done", ""
    else:
        state = "failed"
        reason = (outcome or {}).get("reason") or (
            "une erreur inattendue a interrompu l’import ; réessayez plus tard ou signalez-le à l’équipe technique."
        )
    created = (outcome or {}).get("created", 0)
    return {
        "title": "Suivi de l’import d’activités",
        "result": result,
        "state": state,
        "reason": reason,
        "created": created,
        "breadcrumb_data": _breadcrumb("Suivi"),
    }
