"""An activity's files: attach one (editors), download one through an access check (files about
minors only for the activity's parties, 404 for anyone else), delete one (editors)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partenariats.activities.attachments import (
    add_attachment,
    default_retention,
    delete_attachment,
    download_name,
    visible_attachments,
)
from partenariats.activities.forms_attachments import AttachmentForm
from partenariats.activities.views_activities import crumbs, editable_activity, readable_activity


def _attachments_url(activity) -> str:
    return reverse("activities:activity_detail", args=[activity.pk]) + "#pieces-jointes"


def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = editable_activity(request, pk)
    initial = {"retain_until": default_retention(activity, timezone.localdate())}
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = add_attachment(
            activity,
            content=form.content,
            original_name=data["file"].name,
            title=data["title"],
            kind=data["kind"],
            concerns_minors=data["concerns_minors"],
            consent_obtained=data["consent_obtained"],
            retain_until=data["retain_until"],
            by=request.user,
        )
        if upload.created:
            messages.success(request, f"Le fichier « {upload.attachment.title} » a été ajouté à l’activité.")
        else:
            messages.warning(
                request,
                f"Ce fichier est déjà joint sous le titre « {upload.attachment.title} » : "
                "il n’a pas été ajouté une seconde fois.",
            )
        return redirect(_attachments_url(activity))
    title = "Joindre un fichier"
    return render(
        request,
        "activities/attachment_form.html",
        {
            "title": title,
            "activity": activity,
            "form": form,
            "breadcrumb_data": crumbs((activity.get_absolute_url(), str(activity)), current=title),
        },
        status=422 if request.method == "POST" else 200,
    )


def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file, to those who see the activity (and, when it concerns minors, to its parties)."""
    activity = readable_activity(request, pk)
    attachment = get_object_or_404(visible_attachments(request.user, activity), pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(attachment), content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Delete a file (consent withdrawn, wrong file) after a confirmation; its trace stays in the history."""
    activity = editable_activity(request, pk)
    attachment = get_object_or_404(visible_attachments(request.user, activity, party=True), pk=attachment_pk)
    if request.method == "POST":
        delete_attachment(attachment, by=request.user)
        messages.success(request, f"Le fichier « {attachment.title} » a été supprimé.")
        return redirect(_attachments_url(activity))
    title = "Supprimer un fichier"
    return render(
        request,
        "activities/attachment_delete.html",
        {
            "title": title,
            "activity": activity,
            "attachment": attachment,
            "breadcrumb_data": crumbs((activity.get_absolute_url(), str(activity)), current=title),
        },
    )
