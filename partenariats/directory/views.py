from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from partenariats.directory.models import Organisation, Person


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/organisation_list.html", {"title": "Organisations"})


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_user(request.user), pk=pk)
    return render(request, "directory/organisation_detail.html", {"organisation": organisation})


def person_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/person_list.html", {"title": "Personnes"})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    return render(request, "directory/person_detail.html", {"person": person})
