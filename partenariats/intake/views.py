"""The web import of a convention: upload → background reading (progress) → review → save.

Only those who may register conventions use it; a job is seen by the person who uploaded it
alone (anyone else gets a 404, like any record out of sight).
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from partenariats.conventions.models import Document
from partenariats.conventions.services import ActionRefused
from partenariats.conventions.views_edit import may_create_convention
from partenariats.core.access import scope_of
from partenariats.core.pagination import paginate
from partenariats.core.tabular import discard_upload, read_upload, store_upload
from partenariats.intake import services
from partenariats.intake.forms import UploadForm, attaches_document, review_data
from partenariats.intake.marks import source_html
from partenariats.intake.models import ImportJob, ImportStatus
from partenariats.intake.review import PATH_LABELS, all_valid, attention, forms_for, page_layout
from partenariats.territories.models import Academy

logger = logging.getLogger(__name__)

SESSION_KEY = "intake_pending"
JOBS_PER_PAGE = 20
SAVE_FAILED = "L’enregistrement a échoué : rien n’a été enregistré. Réessayez ou contactez l’assistance."


def _require_creator(request: HttpRequest) -> None:
    if not may_create_convention(scope_of(request.user)):
        raise PermissionDenied


def _writable_academies(user) -> list[Academy]:
    scope = scope_of(user)
    if scope.is_platform_admin:
        return list(Academy.objects.order_by("name"))
    return list(Academy.objects.filter(pk__in=scope.writable_academy_ids).order_by("name"))


def _home_academy(user) -> Academy | None:
    """The académie a job is filed under: the user's main one if writable, else their only one."""
    writable = _writable_academies(user)
    main = getattr(user, "main_academy", None)
    if main is not None and main in writable:
        return main
    return writable[0] if len(writable) == 1 else None


def _job(request: HttpRequest, pk: int) -> ImportJob:
    _require_creator(request)
    return get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)


def _crumbs(current: str, *, with_upload: bool = True) -> dict:
    links = [{"url": reverse("conventions:convention_list"), "title": "Conventions"}]
    if with_upload:
        links.append({"url": reverse("intake:upload"), "title": "Importer une convention"})
    return {"links": links, "current": current}


def _jobs_page(request: HttpRequest):
    # The reading (``result``) can be large: the list never loads it.
    jobs = ImportJob.objects.for_user(request.user).defer("result", "error").select_related("convention")
    return paginate(request, jobs, JOBS_PER_PAGE)


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; the same file seen before (a convention's document, an earlier import) asks
    for a confirmation first."""
    _require_creator(request)
    form = UploadForm()
    pending = request.session.get(SESSION_KEY)
    duplicates = None
    if request.method == "POST" and "cancel_pending" in request.POST:
        _drop_pending(request)
        messages.info(request, "Import abandonné : le fichier déposé a été supprimé.")
        return redirect("intake:upload")
    if request.method == "POST" and "confirm" in request.POST and pending:
        try:
            content = read_upload(pending["key"])
        except FileNotFoundError:
            _drop_pending(request)
            messages.error(request, "Le fichier déposé n’est plus disponible : déposez-le de nouveau.")
            return redirect("intake:upload")
        _drop_pending(request)
        return _start(request, content, pending["name"])
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            content = upload_file.read()
            try:
                services.check_upload(content, upload_file.name)
            except services.UploadRefused as refused:
                form.add_error("file", str(refused))
            else:
                duplicates = services.find_duplicates(request.user, Document.digest(content))
                if not duplicates:
                    return _start(request, content, upload_file.name)
                _drop_pending(request)
                pending = {"key": store_upload(content, "bin"), "name": upload_file.name[:255]}
                request.session[SESSION_KEY] = pending
    context = {
        "title": "Importer une convention",
        "form": form,
        "duplicates": duplicates,
        "pending": pending if duplicates else None,
        "page_obj": _jobs_page(request),
        "max_mb": services.MAX_BYTES // (1024 * 1024),
        "max_pages": services.MAX_PAGES,
        "breadcrumb_data": _crumbs("Importer une convention", with_upload=False),
    }
    return render(request, "intake/upload.html", context)


def _drop_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        discard_upload(pending["key"])


def _start(request: HttpRequest, content: bytes, name: str) -> HttpResponse:
    job = services.create_job(
        user=request.user, academy=_home_academy(request.user), content=content, original_name=name
    )
    return redirect("intake:job_detail", pk=job.pk)


@require_http_methods(["GET"])
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the reading stands; htmx polls the status fragment every second while it runs."""
    job = _job(request, pk)
    review_url = reverse("intake:job_review", args=[job.pk])
    if request.htmx:
        if job.status == ImportStatus.READY:
            return HttpResponseClientRedirect(review_url)
        return render(request, "intake/_job_status.html", {"job": job})
    if job.status == ImportStatus.READY:
        return redirect(review_url)
    context = {
        "title": f"Import de « {job.original_name} »",
        "job": job,
        "breadcrumb_data": _crumbs("Suivi de l’import"),
    }
    return render(request, "intake/job_detail.html", context)


@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    if services.cancel_job(job):
        messages.success(request, "Import annulé : le fichier déposé a été supprimé, rien n’a été enregistré.")
        return redirect("intake:upload")
    messages.error(request, "Cet import ne peut plus être annulé.")
    return redirect("intake:job_detail", pk=job.pk)


@require_http_methods(["GET", "POST"])
def job_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reading beside the prefilled form; saving creates the convention and all it holds."""
    job = _job(request, pk)
    if job.status == ImportStatus.SAVED and job.convention_id:
        return redirect("conventions:convention_detail", pk=job.convention_id)
    if job.status != ImportStatus.READY:
        return redirect("intake:job_detail", pk=job.pk)
    result = job.result or {}
    writable = _writable_academies(request.user)
    forms = forms_for(job, request.user, writable, _home_academy(request.user), request.POST or None)
    error_message = ""
    if request.method == "POST":
        if all_valid(forms):
            notes: list[str] = []
            try:
                convention = services.save_reviewed(job, review_data(forms, result), request.user, notes)
            except ActionRefused as refused:
                job.refresh_from_db()
                if job.status == ImportStatus.SAVED and job.convention_id:
                    # A double submit: the first one saved the convention.
                    return redirect("conventions:convention_detail", pk=job.convention_id)
                error_message = str(refused)
            except Exception:
                # The transaction rolled back: nothing is saved, the person's input is shown again.
                logger.exception("Import job %s: saving the reviewed reading failed.", job.pk)
                error_message = SAVE_FAILED
            else:
                messages.success(request, f"La convention « {convention} » a été importée.")
                for note in notes:
                    messages.warning(request, note)
                return redirect(convention.get_absolute_url())
        else:
            error_message = "Certains champs sont à corriger : ils sont signalés ci-dessous."
    layout, evidence = page_layout(forms, result)
    leftovers = [
        {"label": PATH_LABELS.get(path, path), "candidates": candidates}
        for path, candidates in evidence.leftovers()
        if candidates
    ]
    context = {
        "title": f"Vérifier l’import de « {job.original_name} »",
        "job": job,
        "forms": forms,
        "layout": layout,
        "attention": attention(layout),
        "leftovers": leftovers,
        "warnings": [w for w in result.get("warnings") or [] if isinstance(w, str)],
        "source": source_html(
            result.get("text") if isinstance(result.get("text"), str) else "",
            result.get("pages") if isinstance(result.get("pages"), list) else [0],
            evidence.spans(result),
        ),
        "error_message": error_message,
        "attaches_document": attaches_document(result),
        "breadcrumb_data": _crumbs("Vérifier"),
    }
    return render(request, "intake/review.html", context)
