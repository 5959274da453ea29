"""The conventions' write side: the edit page (parties and signatories on one page), signatures,
amendments, life events and archiving. Every action shows its consequences before it is
confirmed, and lands in the history with the user who recorded it."""

import re
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from partenariats.conventions import services
from partenariats.conventions.forms import (
    ConventionForm,
    NewPartyFormSet,
    PartyForm,
    PartyFormSet,
    SignatoryForm,
    home_organisations,
    organisation_label,
    organisation_matches,
    organisation_people,
    parse_opened_at,
    party_initial,
)
from partenariats.conventions.forms_actions import (
    AmendmentForm,
    AmendmentSignatoryFormSet,
    EventForm,
    SignatureForm,
)
from partenariats.conventions.models import (
    AmendmentSignatory,
    Convention,
    DatePrecision,
    EventKind,
    latest_signed_on,
)
from partenariats.conventions.services import ActionRefused, Preview, StaleVersion
from partenariats.core.access import Scope, scope_of
from partenariats.directory.models import Organisation

PARTY_PREFIX = re.compile(r"^parties-\d{1,3}$")
MAX_ROWS = 200  # rows a page may hold: beyond, the request is not a person typing

EVENT_TITLES = {
    EventKind.NOTICE_GIVEN: "Enregistrer une dénonciation (préavis reçu)",
    EventKind.RENEWED: "Enregistrer un renouvellement",
    EventKind.RENEGOTIATION_OPENED: "Enregistrer l’ouverture d’une renégociation",
    EventKind.TERMINATED: "Enregistrer une résiliation",
}
EVENT_DONE = {
    EventKind.NOTICE_GIVEN: "La dénonciation a été enregistrée.",
    EventKind.RENEWED: "Le renouvellement a été enregistré.",
    EventKind.RENEGOTIATION_OPENED: "L’ouverture de la renégociation a été enregistrée.",
    EventKind.TERMINATED: "La résiliation a été enregistrée.",
}


def may_create_convention(scope: Scope) -> bool:
    """Académie staff (with write access) and platform admins register conventions."""
    return scope.is_platform_admin or (not scope.read_only and bool(scope.writable_academy_ids))


def _crumbs(*links: tuple[str, str], current: str) -> dict:
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _list_link() -> tuple[str, str]:
    return reverse("conventions:convention_list"), "Conventions"


def convention_crumbs(convention: Convention, current: str) -> dict:
    return _crumbs(_list_link(), (convention.get_absolute_url(), str(convention)), current=current)


def editable_convention(request: HttpRequest, pk: int) -> Convention:
    """The convention if the user may change it: out of sight → 404, read-only → 403."""
    convention = get_object_or_404(Convention.objects.for_user(request.user), pk=pk)
    if not Convention.objects.editable_by(request.user).filter(pk=pk).exists():
        raise PermissionDenied
    return convention


def _require_creator(request: HttpRequest) -> None:
    if not may_create_convention(scope_of(request.user)):
        raise PermissionDenied


def _int(value: str | None, default: int = 0) -> int:
    return int(value) if value and value.isdigit() else default


# --- The edit page ------------------------------------------------------------------------------


def _party_formset(request: HttpRequest, convention: Convention, data: QueryDict | None = None):
    user = request.user
    existing = {p.pk: p for p in convention.parties.select_related("organisation")} if convention.pk else {}
    kwargs = {
        "prefix": "parties",
        "existing": existing,
        "signatory_ids": convention.signatories.values_list("pk", flat=True) if convention.pk else (),
        "form_kwargs": {
            "user": user,
            "home": home_organisations(user),
            "kept_ids": [party.organisation_id for party in existing.values()],
        },
    }
    if not convention.pk:
        return NewPartyFormSet(data, **kwargs)
    # A posted page is compared with nothing: the rows the user had are all in the data, and the
    # convention may have changed since the page was drawn.
    return PartyFormSet(data, initial=None if data is not None else party_initial(convention), **kwargs)


def _with_added_row(data: QueryDict) -> QueryDict:
    """The posted data with one more empty party or signatory row (the buttons, without JavaScript)."""
    data = data.copy()
    if "add_party" in data:
        index = _int(data.get("parties-TOTAL_FORMS"))
        if index < MAX_ROWS:
            data["parties-TOTAL_FORMS"] = str(index + 1)
            data[f"parties-{index}-sig-TOTAL_FORMS"] = "1"
            data[f"parties-{index}-sig-INITIAL_FORMS"] = "0"
            data[f"parties-{index}-sig-0-date_precision"] = DatePrecision.DAY
    prefix = data.get("add_signatory", "")
    if PARTY_PREFIX.match(prefix):
        index = _int(data.get(f"{prefix}-sig-TOTAL_FORMS"))
        if index < MAX_ROWS:
            data[f"{prefix}-sig-TOTAL_FORMS"] = str(index + 1)
            data[f"{prefix}-sig-{index}-date_precision"] = DatePrecision.DAY
    return data


def _quiet(form, formset) -> None:
    """Show a re-rendered page (a row added, lists refreshed) without complaining about unfinished rows."""
    form._errors = ErrorDict()
    for group in (formset, *(party.signatories for party in formset.forms)):
        group._errors = []
        group._non_form_errors = group.error_class()
        for row in group.forms:
            row._errors = ErrorDict()


def _convention_page(request: HttpRequest, convention: Convention) -> HttpResponse:
    user = request.user
    creating = convention.pk is None
    if creating:
        title = "Nouvelle convention"
        crumbs = _crumbs(_list_link(), current=title)
        cancel = reverse("conventions:convention_list")
    else:
        title = f"Modifier « {convention} »"
        crumbs = convention_crumbs(convention, "Modifier")
        cancel = convention.get_absolute_url()
    context: dict = {
        "title": title,
        "convention": None if creating else convention,
        "cancel_url": cancel,
        "breadcrumb_data": crumbs,
    }
    adding_rows = any(key in request.POST for key in ("add_party", "add_signatory", "refresh"))
    if request.method != "POST":
        form = ConventionForm(instance=convention, user=user)
        formset = _party_formset(request, convention)
    elif adding_rows:
        data = _with_added_row(request.POST)
        form = ConventionForm(data, instance=convention, user=user)
        formset = _party_formset(request, convention, data)
        _quiet(form, formset)
    elif not creating and _int(request.POST.get("expected_version")) != convention.version:
        # Checked before anything else: the page must compare with what the user started from.
        form, formset = _stale_page(request, convention, context)
    else:
        form = ConventionForm(request.POST, instance=convention, user=user)
        formset = _party_formset(request, convention, request.POST)
        context["invalid"] = not all([form.is_valid(), formset.is_valid()])
        if not context["invalid"]:
            try:
                saved = services.save_convention_with_parties(
                    form.instance,
                    academies=form.cleaned_data["academies"],
                    owners=form.cleaned_data["owners"],
                    parties=formset.party_inputs(),
                    expected_version=form.cleaned_data.get("expected_version"),
                    changed_by=user,
                )
            except StaleVersion:
                form, formset = _stale_page(request, convention, context)
            except ActionRefused as refused:
                context["error_message"] = str(refused)
            else:
                verb = "créée" if creating else "enregistrée"
                messages.success(request, f"La convention « {saved} » a été {verb}.")
                return redirect(saved)
    return render(request, "conventions/edit/convention_form.html", {**context, "form": form, "formset": formset})


def _stale_page(request: HttpRequest, convention: Convention, context: dict):
    """Someone saved meanwhile: nothing is overwritten. Show what changed, keep what the user typed,
    and let them save again on the current version if they still want their values."""
    current = Convention.objects.get(pk=convention.pk)
    context["changes"] = services.changes_since(
        current,
        version=_int(request.POST.get("expected_version")),
        since=parse_opened_at(request.POST.get("opened_at", "")),
    )
    data = request.POST.copy()
    data["expected_version"] = str(current.version)
    data["opened_at"] = timezone.now().isoformat()
    form = ConventionForm(data, instance=current, user=request.user)
    formset = _party_formset(request, current, data)
    _quiet(form, formset)
    return form, formset


def convention_create(request: HttpRequest) -> HttpResponse:
    _require_creator(request)
    return _convention_page(request, Convention())


def convention_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _convention_page(request, editable_convention(request, pk))


# --- htmx fragments of the edit page --------------------------------------------------------------


def _fragment_request(request: HttpRequest) -> HttpResponse | None:
    _require_creator(request)
    if not request.htmx:
        return HttpResponseBadRequest("Ce fragment de page n’est servi qu’aux requêtes htmx.")
    return None


def party_row(request: HttpRequest) -> HttpResponse:
    """An empty party row (with one empty signatory), and the formset's new row count out of band."""
    if refused := _fragment_request(request):
        return refused
    index = _int(request.GET.get("parties-TOTAL_FORMS"))
    if index >= MAX_ROWS:
        return HttpResponseBadRequest("Trop de parties.")
    form = PartyForm(
        prefix=f"parties-{index}",
        user=request.user,
        home=home_organisations(request.user),
        use_required_attribute=False,
    )
    return render(
        request,
        "conventions/edit/_party_form.html",
        {"form": form, "number": index + 1, "oob_total": index + 1},
    )


def signatory_row(request: HttpRequest) -> HttpResponse:
    """An empty signatory row for one party, and that party's new row count out of band."""
    if refused := _fragment_request(request):
        return refused
    prefix = request.GET.get("prefix", "")
    if not PARTY_PREFIX.match(prefix):
        return HttpResponseBadRequest("Partie inconnue.")
    index = _int(request.GET.get(f"{prefix}-sig-TOTAL_FORMS"))
    if index >= MAX_ROWS:
        return HttpResponseBadRequest("Trop de signataires.")
    people = organisation_people(request.user, _int(request.GET.get(f"{prefix}-organisation")) or None)
    form = SignatoryForm(prefix=f"{prefix}-sig-{index}", user=request.user, people=people, use_required_attribute=False)
    return render(
        request,
        "conventions/edit/_signatory_form.html",
        {
            "form": form,
            "number": index + 1,
            "party_number": int(prefix.removeprefix("parties-")) + 1,
            "oob_total": index + 1,
            "oob_name": f"{prefix}-sig-TOTAL_FORMS",
        },
    )


def organisation_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a party's organisation list for what was typed in its search field."""
    if refused := _fragment_request(request):
        return refused
    prefix = request.GET.get("prefix", "")
    if not PARTY_PREFIX.match(prefix):
        return HttpResponseBadRequest("Partie inconnue.")
    query = request.GET.get(f"{prefix}-organisation_search", "").strip()[:200]
    selected = _int(request.GET.get(f"{prefix}-organisation")) or None
    shown = organisation_matches(request.user, query) if query else home_organisations(request.user)
    if selected and selected not in {o.pk for o in shown}:
        shown = list(Organisation.objects.for_user(request.user).filter(pk=selected)) + shown
    return render(
        request,
        "conventions/edit/_organisation_options.html",
        {"options": [(o.pk, organisation_label(o)) for o in shown], "selected": selected, "query": query},
    )


# --- Actions: form → confirmation with the consequences → record ---------------------------------


def _refused(request: HttpRequest, convention: Convention, title: str, reason: str) -> HttpResponse:
    return render(
        request,
        "conventions/edit/action_refused.html",
        {
            "title": title,
            "convention": convention,
            "reason": reason,
            "breadcrumb_data": convention_crumbs(convention, title),
        },
        status=403,
    )


def _action(
    request: HttpRequest,
    convention: Convention,
    form,
    *,
    title: str,
    preview: Callable[[Convention], Preview],
    record: Callable[[Convention], object],
    summary: Callable[[], list[tuple[str, str]]],
    success: str,
    action_url: str,
    formset=None,
) -> HttpResponse:
    """A form page; once valid, a confirmation page with the consequences; once confirmed, the record.
    ``formset`` (optional) holds rows carried along with the form, through the confirmation."""
    page = {
        "title": title,
        "convention": convention,
        "form": form,
        "formset": formset,
        "action_url": action_url,
        "breadcrumb_data": convention_crumbs(convention, title),
    }
    valid = form.is_valid() & (formset is None or formset.accepted())
    if request.method == "POST" and valid and "edit" not in request.POST:
        version = form.cleaned_data.get("expected_version")
        stale = False
        try:
            if "confirm" in request.POST:
                record(convention)
                messages.success(request, success)
                return redirect(convention)
        except StaleVersion as error:
            # Someone changed the convention meanwhile: recompute the consequences on what it is now.
            convention = Convention.objects.get(pk=error.current.pk)
            version, stale = error.current.version, True
        except ActionRefused as refused:
            form.add_error(None, str(refused))
            return render(request, "conventions/edit/action_form.html", page)
        try:
            consequences = preview(convention)
        except ActionRefused as refused:
            form.add_error(None, str(refused))
            return render(request, "conventions/edit/action_form.html", page)
        return render(
            request,
            "conventions/edit/action_confirm.html",
            {
                **page,
                "convention": convention,
                "preview": consequences,
                "summary": summary(),
                "version": version,
                "stale": stale,
            },
        )
    return render(request, "conventions/edit/action_form.html", page)


def signature_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    form = SignatureForm(request.POST or None, convention=convention)
    title = "Enregistrer une signature"

    def values() -> dict:
        cleaned = form.cleaned_data
        return {
            "signatory": cleaned["signatory_object"],
            "name": cleaned["signatory_object"].name if cleaned["signatory_object"] else cleaned["name"],
            "signed_on": cleaned["signed_on"],
            "date_precision": cleaned["date_precision"],
        }

    def record(current: Convention):
        cleaned = form.cleaned_data
        return services.record_signature(
            current,
            party=cleaned.get("party"),
            title=cleaned.get("title", ""),
            raw_date=cleaned.get("raw_date", ""),
            place=cleaned.get("place", ""),
            by_user=request.user,
            expected_version=cleaned.get("expected_version"),
            **values(),
        )

    def summary():
        cleaned = form.cleaned_data
        signed_on = cleaned["signed_on"]
        when = (
            f"{signed_on:%m/%Y} (mois seulement)"
            if cleaned["date_precision"] == DatePrecision.MONTH
            else f"{signed_on:%d/%m/%Y}"
        )
        rows = [("Signataire", values()["name"]), ("Signé le", when)]
        if cleaned.get("place"):
            rows.append(("Lieu", cleaned["place"]))
        return rows

    return _action(
        request,
        convention,
        form,
        title=title,
        preview=lambda current: services.preview_signature(current, **values()),
        record=record,
        summary=summary,
        success="La signature a été enregistrée.",
        action_url=reverse("conventions:signature_create", args=[convention.pk]),
    )


def amendment_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    title = "Enregistrer un avenant"
    if refusal := services.action_refusal(convention, "amendment"):
        return _refused(request, convention, title, refusal)
    form = AmendmentForm(request.POST or None, convention=convention, in_force=services.terms_in_force(convention))
    # Rows come with their management form; a POST without it (an older client) records no signatory.
    sent = request.method == "POST" and "signatories-TOTAL_FORMS" in request.POST
    formset = AmendmentSignatoryFormSet(request.POST if sent else None, convention=convention)

    def record(current: Convention):
        cleaned = form.cleaned_data
        return services.record_amendment(
            current,
            kind=cleaned["kind"],
            title=cleaned["title"],
            summary=cleaned.get("summary", ""),
            signed_on=cleaned.get("signed_on"),
            effective_on=cleaned.get("effective_on"),
            terms_changes=cleaned["terms_changes"],
            by_user=request.user,
            expected_version=cleaned.get("expected_version"),
            signatories=formset.signatories(),
        )

    def summary():
        cleaned = form.cleaned_data
        rows = [("Type", dict(form.fields["kind"].choices)[cleaned["kind"]]), ("Objet", cleaned["title"])]
        signatories = formset.signatories()
        signed_on = latest_signed_on(AmendmentSignatory(**values) for values in signatories) or cleaned.get("signed_on")
        if signed_on:
            rows.append(("Signé le", f"{signed_on:%d/%m/%Y}"))
        for values in signatories:
            rows.append(("Signataire", _signatory_line(values)))
        if cleaned.get("effective_on"):
            rows.append(("En vigueur le", f"{cleaned['effective_on']:%d/%m/%Y}"))
        for key, value in cleaned["terms_changes"].items():
            rows.append((str(form.fields[key].label), _shown(form, key, value)))
        return rows

    return _action(
        request,
        convention,
        form,
        title=title,
        preview=lambda current: services.preview_amendment(
            current,
            effective_on=form.cleaned_data.get("effective_on"),
            terms_changes=form.cleaned_data["terms_changes"],
        ),
        record=record,
        summary=summary,
        success="L’avenant a été enregistré.",
        action_url=reverse("conventions:amendment_create", args=[convention.pk]),
        formset=formset,
    )


def _signatory_line(values: dict) -> str:
    """An amendment's signatory as the confirmation page shows it."""
    line = values["name"] + (f", {values['title']}" if values["title"] else "")
    if values["party"] is not None:
        line += f" ({values['party']})"
    signed_on = values["signed_on"]
    if signed_on and values["date_precision"] == DatePrecision.MONTH:
        line += f" — signé en {signed_on:%m/%Y} (mois seulement)"
    elif signed_on:
        line += f" — signé le {signed_on:%d/%m/%Y}"
    else:
        line += " — date de signature inconnue"
    return line + (f", à {values['place']}" if values["place"] else "")


def _shown(form, key: str, value) -> str:
    """A term value (engine shape) as the form showed it."""
    if value is None:
        return "Non précisé"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if key == "termination_effect":
        return str(dict(form.fields[key].choices).get(value, value))
    if key == "termination_date":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return f"{value} mois"


def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    kind = request.GET.get("kind", "")
    if not kind:
        return render(
            request,
            "conventions/edit/event_choose.html",
            {
                "title": "Enregistrer un événement",
                "convention": convention,
                "kinds": [
                    (value, EVENT_TITLES[value], services.action_refusal(convention, value))
                    for value in EventKind.values
                ],
                "breadcrumb_data": convention_crumbs(convention, "Enregistrer un événement"),
            },
        )
    if kind not in EventKind.values:
        raise Http404("Événement inconnu.")
    title = EVENT_TITLES[kind]
    if refusal := services.action_refusal(convention, kind):
        return _refused(request, convention, title, refusal)
    form = EventForm(request.POST or None, convention=convention, kind=kind)

    def record(current: Convention):
        return services.record_event(
            current,
            kind=kind,
            on=form.cleaned_data["date"],
            by_user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            **form.details(),
        )

    def preview(current: Convention) -> Preview:
        details = form.details()
        return services.preview_event(
            current,
            kind=kind,
            on=form.cleaned_data["date"],
            by_party=details.get("by_party"),
            form=details.get("form", ""),
            months=details.get("months"),
        )

    def summary():
        cleaned = form.cleaned_data
        rows = [(str(form.fields["date"].label), f"{cleaned['date']:%d/%m/%Y}")]
        if cleaned.get("by_party"):
            rows.append(("Partie qui dénonce", str(cleaned["by_party"])))
        if cleaned.get("form"):
            rows.append(("Forme", dict(form.fields["form"].choices)[cleaned["form"]]))
        if cleaned.get("months"):
            rows.append(("Durée du renouvellement", f"{cleaned['months']} mois"))
        if cleaned.get("note"):
            rows.append(("Commentaire", cleaned["note"]))
        return rows

    return _action(
        request,
        convention,
        form,
        title=title,
        preview=preview,
        record=record,
        summary=summary,
        success=EVENT_DONE[kind],
        action_url=f"{reverse('conventions:event_create', args=[convention.pk])}?kind={kind}",
    )


# --- Archiving a draft ----------------------------------------------------------------------------


def convention_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft (no dated signature) may be set aside; a signed convention is terminated, never deleted."""
    convention = editable_convention(request, pk)
    title = "Supprimer le projet de convention"
    context = {
        "title": title,
        "convention": convention,
        "signed": convention.is_signed,
        "breadcrumb_data": convention_crumbs(convention, "Supprimer"),
    }
    if request.method == "POST":
        try:
            services.archive_convention(convention, by_user=request.user)
        except ActionRefused as refused:
            context["reason"] = str(refused)
            return render(request, "conventions/edit/convention_archive.html", context, status=403)
        messages.success(request, f"Le projet « {convention} » a été supprimé (archivé, avec son historique).")
        return redirect("conventions:convention_list")
    return render(request, "conventions/edit/convention_archive.html", context)
