"""Convention pages for reading: the list (filters, search, export), the detail on any date,
following a convention, and its documents (upload, download through an access check)."""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partenariats.conventions import services
from partenariats.conventions.documents import add_document, download_name
from partenariats.conventions.filters import ConventionFilter
from partenariats.conventions.forms_documents import DocumentForm
from partenariats.conventions.models import (
    STATUS_BADGES,
    Amendment,
    AmendmentSignatory,
    Article,
    Commitment,
    Convention,
    ConventionEvent,
    DatePrecision,
    Document,
    Party,
    Signatory,
    TermStart,
)
from partenariats.core.access import Scope, scope_of
from partenariats.core.exports import export_response
from partenariats.core.fragments import cached_html, kept_page
from partenariats.core.history import HISTORY_LIMIT, HistoryEntry, entries_from_records
from partenariats.core.pagination import paginate, rendered_rows
from partenariats.core.text import fold
from partenariats.terms import TermsInputError
from partenariats.terms.dates import MAX_YEAR, MIN_YEAR, french
from partenariats.terms.sentence import TIMELINE_KIND_LABELS, describe_terms

EXPORT_FORMATS = ("csv", "xlsx")
PARTIES_SHOWN = 3
TIMELINE_YEARS_AHEAD = 5

# DSFR badge variant per status (``fr-badge--…``); no variant: the neutral grey badge.
# Cached by ``services.refresh_terms`` (or bookkeeping): their changes are not the users'.
HISTORY_HIDDEN = (
    "status",
    "status_computed_on",
    "period_start",
    "period_end",
    "notice_deadline",
    "effective_end",
    "provisional_until",
    "ends_on",
    "version",
)


def may_create_convention(scope: Scope) -> bool:
    """Académie staff and platform admins register conventions."""
    return scope.is_platform_admin or (not scope.read_only and bool(scope.writable_academy_ids))


def _crumbs(*links: tuple[str, str], current: str) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _list_link() -> tuple[str, str]:
    return reverse("conventions:convention_list"), "Conventions"


def _parties_prefetch() -> Prefetch:
    """The parties by name: the list and its exports show nothing else of their organisations."""
    return Prefetch(
        "parties", queryset=Party.objects.select_related("organisation").only("convention", "organisation__name")
    )


# Long texts the list never shows (the search reads ``search_text`` in the database).
LIST_DEFERRED = ("preamble", "confidentiality_clause", "dispute_clause", "search_text", "parent_description")


# The list

EXPORT_HEADERS = [
    "N°",
    "Intitulé",
    "Référence",
    "Type",
    "Statut",
    "Statut calculé le",
    "Parties",
    "Académies",
    "Début de la période en cours",
    "Fin de la période en cours",
    "Date limite de dénonciation",
    "Fin effective",
    "Maintien provisoire jusqu’au",
    "Se termine le",
]


def _export_rows(queryset):
    for c in queryset.prefetch_related("academies").iterator(chunk_size=500):
        yield [
            c.pk,
            c.title,
            c.reference,
            c.get_kind_display(),
            c.get_status_display(),
            c.status_computed_on,
            ", ".join(party.organisation.name for party in c.parties.all()),
            ", ".join(academy.name for academy in c.academies.all()),
            c.period_start,
            c.period_end,
            c.notice_deadline,
            c.effective_end,
            c.provisional_until,
            c.ends_on,
        ]


def _with_parties(conventions) -> list[Convention]:
    """The conventions, each with its first parties and its status badge."""
    conventions = list(conventions)
    for convention in conventions:
        parties = list(convention.parties.all())
        convention.parties_shown = parties[:PARTIES_SHOWN]
        convention.parties_more = max(len(parties) - PARTIES_SHOWN, 0)
        convention.badge_class = STATUS_BADGES.get(convention.status, "")
    return conventions


def convention_list(request: HttpRequest) -> HttpResponse:
    queryset = Convention.objects.for_user(request.user).defer(*LIST_DEFERRED).prefetch_related(_parties_prefetch())
    filterset = ConventionFilter(request.GET, queryset=queryset, request=request)
    conventions = filterset.qs
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return export_response(EXPORT_HEADERS, _export_rows(conventions), filename="conventions", fmt=fmt)
    page = paginate(request, conventions, cached=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "conventions/convention_list.html",
        {
            "title": "Conventions",
            "filter": filterset,
            "page_obj": page,
            "rows": rendered_rows(page, "conventions/_convention_rows.html", _with_parties),
            "query": query.urlencode(),
            "may_create": may_create_convention(scope_of(request.user)),
            "breadcrumb_data": _crumbs(current="Conventions"),
        },
    )


# The detail


def _evaluation_date(request: HttpRequest) -> tuple[date, str]:
    """``?on=YYYY-MM-DD`` or today, and a French message when the given date is refused."""
    today = timezone.localdate()
    value = request.GET.get("on", "").strip()
    if not value:
        return today, ""
    try:
        on = date.fromisoformat(value)
    except ValueError:
        return today, f"« {value} » n’est pas une date valide (attendu : AAAA-MM-JJ) : la situation est donnée au jour."
    if not MIN_YEAR <= on.year <= MAX_YEAR - 10:
        return today, f"Choisissez une date entre {MIN_YEAR} et {MAX_YEAR - 10} : la situation est donnée au jour."
    return on, ""


@dataclass
class TimelineItem:
    date: date
    kind: str
    kind_label: str
    label: str
    past: bool
    is_today: bool = False


@dataclass
class TimelineYear:
    year: int
    items: list[TimelineItem] = field(default_factory=list)


def _timeline_by_year(timeline: list[dict], on: date) -> list[TimelineYear]:
    """The engine's timeline grouped by year, with a marker for the evaluation date."""
    items = [
        TimelineItem(
            date=date.fromisoformat(entry["date"]),
            kind=entry["kind"],
            kind_label=TIMELINE_KIND_LABELS.get(entry["kind"], entry["kind"]),
            label=entry["label"],
            past=entry["date"] < on.isoformat(),
        )
        for entry in timeline
    ]
    marker = TimelineItem(date=on, kind="today", kind_label="", label="", past=False, is_today=True)
    position = next((i for i, item in enumerate(items) if item.date >= on), len(items))
    items.insert(position, marker)
    return [TimelineYear(year, list(group)) for year, group in groupby(items, key=lambda item: item.date.year)]


@dataclass
class ArticleNode:
    article: Article
    children: list["ArticleNode"] = field(default_factory=list)


def _article_tree(articles: list[Article]) -> list[ArticleNode]:
    nodes = {article.pk: ArticleNode(article) for article in articles}
    roots = []
    for article in articles:
        parent = nodes.get(article.parent_id)
        (parent.children if parent else roots).append(nodes[article.pk])
    return roots


def _history(convention: Convention) -> list[HistoryEntry]:
    """Changes of the convention, its parties, signatories, amendments and life events, newest first.

    Commitments and documents are left out: their confidential ones must not show here.
    """
    sources = [
        (Convention, convention.history.all(), lambda r: "Convention", HISTORY_HIDDEN),
        (
            Party,
            Party.history.filter(convention_id=convention.pk).select_related("organisation"),
            lambda r: f"Partie : {r.organisation}",
            (),
        ),
        (Signatory, Signatory.history.filter(convention_id=convention.pk), lambda r: f"Signataire : {r.name}", ()),
        (Amendment, Amendment.history.filter(convention_id=convention.pk), lambda r: f"Avenant n° {r.number}", ()),
        (
            AmendmentSignatory,
            AmendmentSignatory.history.filter(amendment__convention_id=convention.pk),
            lambda r: f"Signataire d’avenant : {r.name}",
            (),
        ),
        (
            ConventionEvent,
            ConventionEvent.history.filter(convention_id=convention.pk),
            lambda r: f"{r.get_kind_display()} le {r.date:%d/%m/%Y}",
            (),
        ),
    ]
    entries: list[HistoryEntry] = []
    for model, records, subject, hidden in sources:
        fetched = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:200])
        entries += entries_from_records(model, fetched, limit=HISTORY_LIMIT, subject=subject, hidden=hidden)
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:HISTORY_LIMIT]


def _start_for_sentence(convention: Convention) -> tuple[date | None, bool]:
    """The date the term counts from as the text states it, and whether only its month is known."""
    if convention.start_mode == TermStart.FIXED_DATE and convention.start_date:
        return convention.start_date, False
    signed_on, precision = convention.signature_date()
    if precision == DatePrecision.UNKNOWN:
        return None, False
    return signed_on, precision == DatePrecision.MONTH


def _documents_with_versions(documents: list[Document]) -> list[Document]:
    latest: dict[str, int] = {}
    for document in documents:
        key = document.title.casefold()
        latest[key] = max(latest.get(key, 0), document.version)
    for document in documents:
        document.superseded = document.version < latest[document.title.casefold()]
    return documents


def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    convention = get_object_or_404(Convention.objects.for_user(user).only("pk", "title"), pk=pk)
    on, on_error = _evaluation_date(request)
    following = convention.followers.filter(pk=user.pk).exists()
    follow = render_to_string("conventions/_follow.html", {"convention": convention, "following": following}, request)
    error = render_to_string("conventions/_evaluation_error.html", {"on_error": on_error}) if on_error else ""
    body = cached_html(
        request,
        f"convention:{pk}:{on.isoformat()}",
        "conventions/_convention_body.html",
        lambda: _detail_context(user, pk, on),
        fill={"follow": follow, "on_error": error},
    )
    return kept_page(
        request, body, title=convention.title, breadcrumb_data=_crumbs(_list_link(), current=convention.title)
    )


def _detail_context(user, pk: int, on: date) -> dict:
    """What a convention's page shows on ``on`` to readers of ``user``'s scope (confidential
    items to its parties' staff alone): the same for each of them until the data change."""
    # Read once, for the page and the terms engine alike (``Convention.terms_input`` reads ``.all()``).
    convention = (
        Convention.objects.select_related("parent")
        .prefetch_related(
            "academies",
            "events",
            "commitments__programmes",
            Prefetch("signatories", queryset=Signatory.objects.select_related("person")),
            Prefetch("parties", queryset=Party.objects.select_related("organisation", "representative")),
        )
        .get(pk=pk)
    )
    visible_documents = Document.objects.visible_to(user, convention).select_related("uploaded_by")
    prefetch_related_objects(
        [convention],
        Prefetch(
            "amendments",
            queryset=Amendment.objects.prefetch_related(
                Prefetch(
                    "documents", queryset=visible_documents.order_by("title", "-version"), to_attr="documents_shown"
                ),
                Prefetch("signatories", queryset=AmendmentSignatory.objects.select_related("party__organisation")),
            ),
        ),
    )
    try:
        result = services.timeline(convention, on)
        terms_error = ""
    except TermsInputError as exc:
        result, terms_error = None, str(exc)

    signatories = list(convention.signatories.all())
    parties = list(convention.parties.all())
    for party in parties:
        party.signatories_shown = [s for s in signatories if s.party_id == party.pk]
    commitments = list(
        Commitment.objects.visible_to(user, convention)
        .select_related("party__organisation", "article")
        .prefetch_related("audiences", "programmes")
        .order_by("party__position", "party_id", "position", "pk")
    )
    visible = Convention.objects.for_user(user)
    parent_visible = convention.parent_id is not None and visible.filter(pk=convention.parent_id).exists()
    start, month_only = _start_for_sentence(convention)
    articles = list(convention.articles.all())
    return {
        "convention": convention,
        "on": on,
        "on_label": french(on),
        "on_is_today": on == timezone.localdate(),
        "result": result,
        "dates": {key: date.fromisoformat(result[key]) if result[key] else None for key in services.CACHED_DATES}
        if result
        else {},
        "terms_error": terms_error,
        "badge_class": STATUS_BADGES.get(result["status"], "") if result else "",
        "timeline_years": _timeline_by_year(result["timeline"], on) if result else [],
        "terms_sentence": describe_terms(convention.terms_dict(), start, month_only=month_only),
        "parties": parties,
        "cosignatories": [s for s in signatories if s.party_id is None],
        "parent_visible": parent_visible,
        "children": list(visible.filter(parent=convention)),
        "articles": _article_tree(articles),
        # The preamble is shown on its own unless the articles already hold it.
        "show_preamble": bool(convention.preamble)
        and not any(fold(article.heading) == "preambule" for article in articles),
        "commitment_groups": [(party, list(group)) for party, group in groupby(commitments, key=lambda c: c.party)],
        "amendments": convention.amendments.all(),
        "documents": _documents_with_versions(list(visible_documents.order_by("title", "-version"))),
        "history": _history(convention),
        "editable": Convention.objects.editable_by(user).filter(pk=convention.pk).exists(),
    }


@require_POST
def convention_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow (deadlines in one's calendar feed) or stop following a convention one can see."""
    convention = get_object_or_404(Convention.objects.for_user(request.user), pk=pk)
    following = request.POST.get("action") != "unfollow"
    if following:
        convention.followers.add(request.user)
    else:
        convention.followers.remove(request.user)
    if request.htmx:
        return render(request, "conventions/_follow.html", {"convention": convention, "following": following})
    if following:
        messages.success(request, "Vous suivez cette convention : ses échéances figurent dans votre agenda.")
    else:
        messages.success(request, "Vous ne suivez plus cette convention.")
    return redirect(convention)


# Documents


def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    convention = get_object_or_404(Convention.objects.for_user(request.user), pk=pk)
    if not Convention.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = add_document(
            convention,
            content=form.content,
            original_name=data["file"].name,
            title=data["title"],
            kind=data["kind"],
            confidential=data["confidential"],
            amendment=data["amendment"],
            by=request.user,
        )
        if upload.created:
            messages.success(
                request, f"Le document « {upload.document.title} » (version {upload.document.version}) a été ajouté."
            )
        else:
            messages.warning(
                request,
                f"Ce fichier a déjà été déposé sous le titre « {upload.document.title} » "
                f"(version {upload.document.version}) : il n’a pas été ajouté une seconde fois.",
            )
        return redirect(reverse("conventions:convention_detail", args=[convention.pk]) + "#documents")
    title = "Ajouter un document"
    return render(
        request,
        "conventions/document_form.html",
        {
            "title": title,
            "convention": convention,
            "form": form,
            "breadcrumb_data": _crumbs(_list_link(), (convention.get_absolute_url(), convention.title), current=title),
        },
        status=422 if request.method == "POST" else 200,
    )


def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """The file, to those who see the convention (and, when confidential, to the parties' staff)."""
    convention = get_object_or_404(Convention.objects.for_user(request.user), pk=pk)
    document = get_object_or_404(Document.objects.visible_to(request.user, convention), pk=document_pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document),
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
