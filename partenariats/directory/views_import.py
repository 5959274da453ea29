from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def import_upload(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/import_upload.html", {"title": "Importer"})


def import_preview(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/import_upload.html", {"title": "Importer"})


def import_status(request: HttpRequest, result_id: str) -> HttpResponse:
    return render(request, "directory/import_upload.html", {"title": "Importer"})
