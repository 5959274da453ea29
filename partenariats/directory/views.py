"""Directory pages: organisations and people, their notes, history, merges and memberships."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partenariats.core.access import Scope, scope_of
from partenariats.core.cache import cached_query
from partenariats.core.exports import export_response
from partenariats.core.fragments import cached_html, kept_page
from partenariats.core.history import history_entries
from partenariats.core.pagination import COUNT_CAP, paginate, rendered_rows
from partenariats.directory import services
from partenariats.directory.filters import OrganisationFilter, PersonFilter
from partenariats.directory.forms import (
    MembershipEndForm,
    MembershipForm,
    NoteForm,
    OrganisationForm,
    PersonForm,
    SearchForm,
)
from partenariats.directory.models import Membership, Note, Organisation, Person

EXPORT_FORMATS = ("csv", "xlsx")
SEARCH_RESULTS = 20
MEMBERS_SHOWN = 50
ORGANISATION_BODY = "directory/_organisation_body.html"
# What an organisation's page shows beside it.
SHOWN_WITH = ("academy", "basin", "merged_into")


def _crumbs(*links: tuple[str, str], current: str) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _organisations_link() -> tuple[str, str]:
    return reverse("directory:organisation_list"), "Organisations"


def _people_link() -> tuple[str, str]:
    return reverse("directory:person_list"), "Personnes"


def _int_or_404(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


# Who may do what, beyond the querysets' for_user / editable_by


def may_create_organisation(scope: Scope) -> bool:
    """Académie staff, CLEE members and platform admins register organisations."""
    return scope.is_platform_admin or (not scope.read_only and bool(scope.writable_academy_ids or scope.basin_ids))


def may_create_person(scope: Scope, organisation: Organisation | None = None) -> bool:
    """Académie staff hold contacts; an organisation's staff add contacts to their own organisation."""
    if scope.is_platform_admin or (not scope.read_only and scope.writable_academy_ids):
        return True
    return organisation is not None and not scope.read_only and organisation.pk in scope.organisation_ids


def may_manage_membership(scope: Scope, organisation_id: int) -> bool:
    if scope.is_platform_admin or (not scope.read_only and scope.writable_academy_ids):
        return True
    return not scope.read_only and organisation_id in scope.organisation_ids


def _attachable_organisations(user):
    """Organisations the user may attach people to: any active one on the académie side, else their own."""
    scope = scope_of(user)
    organisations = Organisation.objects.for_user(user).active()
    if scope.is_platform_admin or scope.writable_academy_ids:
        return organisations
    return organisations.filter(pk__in=scope.organisation_ids)


def _editable_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation.objects.for_user(request.user), pk=pk)
    if not Organisation.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return organisation


def _editable_person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    if not Person.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return person


# Organisations

ORGANISATION_EXPORT_HEADERS = [
    "N°",
    "Nom",
    "Sigle",
    "Type",
    "UAI",
    "SIRET",
    "Adresse",
    "Complément d’adresse",
    "Code postal",
    "Commune",
    "Académie",
    "Bassin",
    "Service",
    "Type d’établissement",
    "Secteur",
    "Éducation prioritaire",
    "Élèves",
    "Code NAF",
    "Taille",
    "Courriel",
    "Téléphone",
    "Site web",
    "Active",
]


def _organisation_rows(queryset):
    for o in queryset.iterator(chunk_size=2000):
        yield [
            o.pk,
            o.name,
            o.acronym,
            o.get_kind_display(),
            o.uai,
            o.siret,
            o.address,
            o.address_extra,
            o.postal_code,
            o.city,
            o.academy.name if o.academy else "",
            o.basin.name if o.basin else "",
            o.get_service_type_display() if o.service_type else "",
            o.get_school_type_display() if o.school_type else "",
            o.get_sector_display() if o.sector else "",
            o.get_priority_education_display() if o.is_school else "",
            o.pupil_count,
            o.naf_code,
            o.get_size_display() if o.size else "",
            o.email,
            o.phone,
            o.website,
            o.is_active,
        ]


def organisation_list(request: HttpRequest) -> HttpResponse:
    queryset = Organisation.objects.for_user(request.user).select_related("academy", "basin")
    filterset = OrganisationFilter(request.GET, queryset=queryset, request=request)
    organisations = filterset.qs
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return export_response(
            ORGANISATION_EXPORT_HEADERS, _organisation_rows(organisations), filename="organisations", fmt=fmt
        )
    page = paginate(request, organisations, cap=COUNT_CAP)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "title": "Organisations",
            "filter": filterset,
            "page_obj": page,
            "rows": rendered_rows(page, "directory/_organisation_rows.html"),
            "query": query.urlencode(),
            "may_create": may_create_organisation(scope_of(request.user)),
            "breadcrumb_data": _crumbs(current="Organisations"),
        },
    )


def _member_count(organisation: Organisation) -> int:
    """Counted on the link table alone, and kept until the data change: a national federation
    has tens of thousands of members (57 ms to count them by joining the organisations)."""
    links = Organisation.members.through.objects.filter(from_organisation=organisation)
    return cached_query("member-count", links, lambda rows: rows.count())


def _organisation_context(user, organisation: Organisation, note_form: NoteForm | None = None) -> dict:
    """What the organisation's page shows to readers of ``user``'s scope (their own notes and
    contacts): the same for each of them until the data change, but after a refused note."""
    contacts = (
        Membership.objects.filter(organisation=organisation, person__in=Person.objects.for_user(user))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "role")
    )
    notes = (
        Note.objects.for_user(user)
        .filter(organisation=organisation)
        .select_related("author", "owner_academy", "owner_organisation")
    )
    may_write_note = services.note_owner(user, organisation) is not None
    members = organisation.members.only("name", "acronym", "city") if organisation.can_have_members else None
    return {
        "organisation": organisation,
        "scope": scope_of(user),
        "editable": Organisation.objects.editable_by(user).filter(pk=organisation.pk).exists(),
        "federations": list(organisation.federations.all()),
        "members": list(members[:MEMBERS_SHOWN]) if members is not None else None,
        "member_count": _member_count(organisation) if members is not None else 0,
        "members_shown": MEMBERS_SHOWN,
        "contacts": list(contacts),
        "may_add_contact": may_create_person(scope_of(user), organisation),
        "notes": list(notes),
        "note_form": (note_form or NoteForm()) if may_write_note else None,
        "history": history_entries(organisation),
    }


def _organisation_page(request: HttpRequest, organisation: Organisation, body: str, status: int = 200) -> HttpResponse:
    crumbs = _crumbs(_organisations_link(), current=str(organisation))
    return kept_page(request, body, title=str(organisation), breadcrumb_data=crumbs, status=status)


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_user(request.user), pk=pk)

    def context() -> dict:
        return _organisation_context(request.user, Organisation.objects.select_related(*SHOWN_WITH).get(pk=pk))

    body = cached_html(request, f"organisation:{pk}", ORGANISATION_BODY, context)
    return _organisation_page(request, organisation, body)


@require_POST
def organisation_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.for_user(request.user).select_related(*SHOWN_WITH), pk=pk)
    if services.note_owner(request.user, organisation) is None:
        raise PermissionDenied
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _organisation_context(request.user, organisation, note_form=form)
        return _organisation_page(request, organisation, render_to_string(ORGANISATION_BODY, context, request), 422)
    services.add_note(organisation, form.cleaned_data["text"], by=request.user)
    messages.success(request, "La note a été ajoutée.")
    return redirect(reverse("directory:organisation_detail", args=[organisation.pk]) + "#notes")


def organisation_create(request: HttpRequest) -> HttpResponse:
    if not may_create_organisation(scope_of(request.user)):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        messages.success(request, f"L’organisation « {organisation} » a été créée.")
        return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {
            "title": "Créer une organisation",
            "form": form,
            "breadcrumb_data": _crumbs(_organisations_link(), current="Créer une organisation"),
        },
    )


def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        if not organisation.can_have_members:
            organisation.members.clear()
        messages.success(request, f"L’organisation « {organisation} » a été modifiée.")
        return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {
            "title": f"Modifier « {organisation} »",
            "form": form,
            "organisation": organisation,
            "breadcrumb_data": _crumbs(
                _organisations_link(), (organisation.get_absolute_url(), str(organisation)), current="Modifier"
            ),
        },
    )


def _confirm(request: HttpRequest, obj, *, title: str, text: str, button: str, parent: tuple[str, str]):
    return render(
        request,
        "directory/confirm.html",
        {
            "title": title,
            "object": obj,
            "text": text,
            "button": button,
            "breadcrumb_data": _crumbs(parent, (obj.get_absolute_url(), str(obj)), current=title),
        },
    )


def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    if not organisation.is_active:
        messages.info(request, "Cette organisation est déjà désactivée.")
        return redirect(organisation)
    if request.method == "POST":
        organisation.deactivate(on=timezone.localdate())
        messages.success(request, f"L’organisation « {organisation} » a été désactivée.")
        return redirect(organisation)
    return _confirm(
        request,
        organisation,
        title="Désactiver l’organisation",
        text=(
            f"« {organisation} » ne sera plus proposée ni listée par défaut. Rien n’est supprimé : "
            "ses contacts, ses notes et son historique restent, et vous pourrez la réactiver."
        ),
        button="Désactiver",
        parent=_organisations_link(),
    )


def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _editable_organisation(request, pk)
    if organisation.merged_into_id:
        messages.error(request, "Une organisation fusionnée dans une autre ne peut pas être réactivée.")
        return redirect(organisation)
    if organisation.is_active:
        messages.info(request, "Cette organisation est déjà active.")
        return redirect(organisation)
    if request.method == "POST":
        organisation.reactivate()
        messages.success(request, f"L’organisation « {organisation} » a été réactivée.")
        return redirect(organisation)
    return _confirm(
        request,
        organisation,
        title="Réactiver l’organisation",
        text=f"« {organisation} » sera de nouveau proposée et listée parmi les organisations actives.",
        button="Réactiver",
        parent=_organisations_link(),
    )


# Federation members


def _federation(request: HttpRequest, pk: int) -> Organisation:
    federation = _editable_organisation(request, pk)
    if not federation.can_have_members:
        raise Http404("Cette organisation n’a pas d’adhérents.")
    return federation


def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    federation = _federation(request, pk)
    search = SearchForm(request.GET or None)
    candidates = Organisation.objects.none()
    if search.is_valid() and search.cleaned_data["q"]:
        candidates = (
            Organisation.objects.for_user(request.user)
            .active()
            .exclude(pk=federation.pk)
            .exclude(pk__in=federation.members.values("pk"))
            .search(search.cleaned_data["q"])
            .select_related("academy")[:SEARCH_RESULTS]
        )
    return render(
        request,
        "directory/organisation_members.html",
        {
            "title": f"Adhérents de « {federation} »",
            "organisation": federation,
            "members": federation.members.select_related("academy"),
            "search": search,
            "candidates": candidates,
            "breadcrumb_data": _crumbs(
                _organisations_link(), (federation.get_absolute_url(), str(federation)), current="Adhérents"
            ),
        },
    )


@require_POST
def organisation_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    federation = _federation(request, pk)
    member = get_object_or_404(
        Organisation.objects.for_user(request.user).active().exclude(pk=federation.pk),
        pk=_int_or_404(request.POST.get("member")),
    )
    federation.members.add(member)
    messages.success(request, f"« {member} » est désormais adhérente de « {federation} ».")
    return redirect("directory:organisation_members", pk=federation.pk)


@require_POST
def organisation_member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    federation = _federation(request, pk)
    member = get_object_or_404(federation.members.all(), pk=_int_or_404(request.POST.get("member")))
    federation.members.remove(member)
    messages.success(request, f"« {member} » n’est plus adhérente de « {federation} ».")
    return redirect("directory:organisation_members", pk=federation.pk)


# Merging duplicates


def organisation_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Pick the duplicate to merge into this organisation, among those the user may change."""
    keep = _editable_organisation(request, pk)
    if keep.merged_into_id:
        messages.error(request, "Cette organisation a déjà été fusionnée dans une autre.")
        return redirect(keep)
    search = SearchForm(request.GET or {"q": keep.name})
    candidates = Organisation.objects.none()
    if search.is_valid() and search.cleaned_data["q"]:
        candidates = (
            Organisation.objects.editable_by(request.user)
            .filter(merged_into__isnull=True)
            .exclude(pk=keep.pk)
            .search(search.cleaned_data["q"])
            .select_related("academy")[:SEARCH_RESULTS]
        )
    return render(
        request,
        "directory/organisation_merge.html",
        {
            "title": "Fusionner un doublon",
            "organisation": keep,
            "search": search,
            "candidates": candidates,
            "breadcrumb_data": _crumbs(
                _organisations_link(), (keep.get_absolute_url(), str(keep)), current="Fusionner un doublon"
            ),
        },
    )


def organisation_merge_confirm(request: HttpRequest, pk: int, duplicate_pk: int) -> HttpResponse:
    keep = _editable_organisation(request, pk)
    duplicate = get_object_or_404(Organisation.objects.editable_by(request.user), pk=duplicate_pk)
    try:
        if request.method == "POST":
            services.merge_organisations(keep, duplicate, by=request.user)
            messages.success(request, f"« {duplicate} » a été fusionnée dans « {keep} ».")
            return redirect(keep)
        plan = services.merge_preview(keep, duplicate)
    except services.MergeError as error:
        messages.error(request, str(error))
        return redirect("directory:organisation_merge", pk=keep.pk)
    return render(
        request,
        "directory/organisation_merge_confirm.html",
        {
            "title": "Confirmer la fusion",
            "organisation": keep,
            "duplicate": duplicate,
            "plan": plan,
            "breadcrumb_data": _crumbs(
                _organisations_link(), (keep.get_absolute_url(), str(keep)), current="Confirmer la fusion"
            ),
        },
    )


# People

PERSON_EXPORT_HEADERS = [
    "N°",
    "Civilité",
    "Prénom",
    "Nom",
    "Courriel",
    "Téléphone",
    "Académie détentrice",
    "Rattachements",
    "Base légale",
    "Données recueillies le",
    "Origine des données",
    "Actif",
]


def _person_rows(queryset):
    for p in queryset.iterator(chunk_size=2000):
        memberships = "; ".join(
            f"{m.get_role_display()}{', ' + m.title if m.title else ''} — {m.organisation.name}"
            for m in p.memberships.all()
        )
        yield [
            p.pk,
            p.get_civility_display() if p.civility else "",
            p.first_name,
            p.last_name,
            p.email,
            p.phone,
            p.academy.name if p.academy else "",
            memberships,
            p.get_legal_basis_display(),
            p.data_collected_on,
            p.data_source,
            p.is_active,
        ]


def person_list(request: HttpRequest) -> HttpResponse:
    queryset = Person.objects.for_user(request.user).select_related("academy")
    filterset = PersonFilter(request.GET, queryset=queryset, request=request)
    people = filterset.qs.distinct().prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return export_response(PERSON_EXPORT_HEADERS, _person_rows(people), filename="personnes", fmt=fmt)
    page = paginate(request, people, cached=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/person_list.html",
        {
            "title": "Personnes",
            "filter": filterset,
            "page_obj": page,
            "rows": rendered_rows(page, "directory/_person_rows.html"),
            "query": query.urlencode(),
            "may_create": may_create_person(scope_of(request.user)),
            "breadcrumb_data": _crumbs(current="Personnes"),
        },
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("academy"), pk=pk)
    scope = scope_of(request.user)
    editable = Person.objects.editable_by(request.user).filter(pk=pk).exists()
    memberships = person.memberships.select_related("organisation").order_by("ended_on", "organisation__name")
    rows = [(m, editable and may_manage_membership(scope, m.organisation_id)) for m in memberships]
    return render(
        request,
        "directory/person_detail.html",
        {
            "title": person.full_name,
            "person": person,
            "editable": editable,
            "memberships": rows,
            "history": history_entries(person),
            "breadcrumb_data": _crumbs(_people_link(), current=person.full_name),
        },
    )


def person_create(request: HttpRequest) -> HttpResponse:
    organisation = None
    if organisation_pk := _int_or_404(request.GET.get("organisation")):
        organisation = get_object_or_404(Organisation.objects.for_user(request.user).active(), pk=organisation_pk)
    if not may_create_person(scope_of(request.user), organisation):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        person = services.create_person(
            form.save(commit=False),
            by=request.user,
            organisation=organisation,
            role=form.cleaned_data.get("role", ""),
            title=form.cleaned_data.get("title", ""),
        )
        messages.success(request, f"La fiche de {person} a été créée.")
        return redirect(person)
    parent = (organisation.get_absolute_url(), str(organisation)) if organisation else _people_link()
    return render(
        request,
        "directory/person_form.html",
        {
            "title": "Ajouter une personne",
            "form": form,
            "organisation": organisation,
            "breadcrumb_data": _crumbs(parent, current="Ajouter une personne"),
        },
    )


def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"La fiche de {person} a été modifiée.")
        return redirect(person)
    return render(
        request,
        "directory/person_form.html",
        {
            "title": f"Modifier la fiche de {person}",
            "form": form,
            "person": person,
            "breadcrumb_data": _crumbs(
                _people_link(), (person.get_absolute_url(), person.full_name), current="Modifier"
            ),
        },
    )


def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    if not person.is_active:
        messages.info(request, "Cette fiche est déjà désactivée.")
        return redirect(person)
    if request.method == "POST":
        person.deactivate()
        messages.success(request, f"La fiche de {person} a été désactivée.")
        return redirect(person)
    return _confirm(
        request,
        person,
        title="Désactiver la fiche",
        text=(
            f"La fiche de {person} ne sera plus listée par défaut ni proposée. "
            "Ses rattachements et son historique restent, et vous pourrez la réactiver."
        ),
        button="Désactiver",
        parent=_people_link(),
    )


def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _editable_person(request, pk)
    if person.is_active:
        messages.info(request, "Cette fiche est déjà active.")
        return redirect(person)
    if request.method == "POST":
        person.reactivate()
        messages.success(request, f"La fiche de {person} a été réactivée.")
        return redirect(person)
    return _confirm(
        request,
        person,
        title="Réactiver la fiche",
        text=f"La fiche de {person} sera de nouveau listée parmi les personnes actives.",
        button="Réactiver",
        parent=_people_link(),
    )


def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a person to an organisation, found by a search on the académie side."""
    person = _editable_person(request, pk)
    allowed = _attachable_organisations(request.user)
    scope = scope_of(request.user)
    searchable = scope.is_platform_admin or bool(scope.writable_academy_ids)
    search = SearchForm(request.GET or None)
    if request.method == "POST" or not searchable:
        choices = allowed
    else:
        shown = []
        if search.is_valid() and search.cleaned_data["q"]:
            shown = list(allowed.search(search.cleaned_data["q"]).values_list("pk", flat=True)[:SEARCH_RESULTS])
        if preselected := _int_or_404(request.GET.get("organisation")):
            shown.append(preselected)
        choices = allowed.filter(pk__in=shown)
    initial = {"organisation": _int_or_404(request.GET.get("organisation"))}
    form = MembershipForm(request.POST or None, person=person, organisations=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, f"{person} est rattaché·e à « {membership.organisation} ».")
        return redirect(person)
    return render(
        request,
        "directory/membership_form.html",
        {
            "title": f"Rattacher {person} à une organisation",
            "person": person,
            "form": form,
            "search": search if searchable else None,
            "has_choices": choices.exists(),
            "breadcrumb_data": _crumbs(
                _people_link(), (person.get_absolute_url(), person.full_name), current="Ajouter un rattachement"
            ),
        },
    )


def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.filter(person__in=Person.objects.for_user(request.user)).select_related(
            "person", "organisation"
        ),
        pk=pk,
    )
    person = membership.person
    editable = Person.objects.editable_by(request.user).filter(pk=person.pk).exists()
    if not editable or not may_manage_membership(scope_of(request.user), membership.organisation_id):
        raise PermissionDenied
    form = MembershipEndForm(request.POST or None, membership=membership, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        membership.end(on=form.cleaned_data["ended_on"])
        messages.success(request, f"Le rattachement de {person} à « {membership.organisation} » a pris fin.")
        return redirect(person)
    return render(
        request,
        "directory/membership_end.html",
        {
            "title": "Mettre fin au rattachement",
            "membership": membership,
            "form": form,
            "breadcrumb_data": _crumbs(
                _people_link(), (person.get_absolute_url(), person.full_name), current="Mettre fin au rattachement"
            ),
        },
    )
