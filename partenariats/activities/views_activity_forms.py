"""Recording an activity: the full form (create, update), the quick form, and the htmx fragments
that refresh their lists (schools, companies, partner organisations, « Compte pour »). Every page
works without JavaScript: « Actualiser » and « Ajouter un groupe » re-render it, saving nothing."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from partenariats.activities import services
from partenariats.activities.forms_activities import (
    GROUP_SCHOOL,
    ActivityForm,
    ContributionsForm,
    GroupFormSet,
    Rights,
    partner_matches,
    recording_rights,
    school_label,
    school_matches,
    with_added_group,
)
from partenariats.activities.forms_quick import QuickActivityForm
from partenariats.activities.models import Activity
from partenariats.activities.services import ActivityInput, StaleVersion
from partenariats.activities.views_activities import crumbs, editable_activity
from partenariats.conventions.forms import organisation_label
from partenariats.conventions.models import Programme
from partenariats.core.fragments import cached_html
from partenariats.directory.models import Organisation, OrganisationKind

ROW_PREFIX = re.compile(r"^(groups-\d{1,3})?$")
STALE = (
    "Cette activité a été modifiée entre-temps par quelqu’un d’autre : rien n’a été enregistré. "
    "Rouvrez-la pour partir de sa version actuelle."
)


def _rights_to_record(request: HttpRequest) -> Rights:
    rights = recording_rights(request.user)
    if not rights.may_record:
        raise PermissionDenied
    return rights


def _ids(values) -> set[int]:
    return {int(v) for v in values if isinstance(v, str) and v.isdigit()}


def suggestion_inputs(user, data: QueryDict | None, *, activity: Activity | None, rights: Rights) -> dict:
    """What the suggestions are computed from: the posted (or typed) values, else the activity's."""
    forced = rights.own_partner if rights.places == "derived" else None
    if data is None:
        if activity is not None and activity.pk:
            return {
                "on": activity.starts_on,
                "organisations": list(activity.organisations.all()),
                "schools": [g.school for g in activity.groups.select_related("school") if g.school],
                "programme": activity.programme,
                "kind": activity.kind,
            }
        fixed = rights.fixed_schools or []
        return {"on": timezone.localdate(), "organisations": [forced] if forced else [], "schools": fixed[:1]}
    try:
        on = forms.DateField().clean(data.get("starts_on")) or timezone.localdate()
    except ValidationError:
        on = timezone.localdate()
    organisation_ids = _ids([*data.getlist("organisations"), data.get("company")]) | ({forced.pk} if forced else set())
    school_ids = _ids([*(data.get(key) for key in data if GROUP_SCHOOL.match(key)), data.get("school")])
    visible = Organisation.objects.for_user(user)
    programme_id = data.get("programme", "")
    return {
        "on": on,
        "organisations": list(visible.filter(pk__in=organisation_ids)),
        "schools": list(visible.filter(pk__in=school_ids, kind=OrganisationKind.SCHOOL)),
        "programme": Programme.objects.filter(pk=programme_id).first() if programme_id.isdigit() else None,
        "kind": data.get("kind", ""),
    }


def _contributions_of(activity: Activity | None, user) -> tuple[list, list[int]]:
    if activity is None or not activity.pk:
        return [], []
    rows = activity.contributions.select_related("convention", "action__plan", "commitment")
    return services.visible_contributions(user, rows)


def _quiet(form, formset=None) -> None:
    """Show a re-rendered page (a row added, lists refreshed) without complaining about unfinished fields."""
    form._errors = ErrorDict()
    if formset is not None:
        formset._errors = []
        formset._non_form_errors = formset.error_class()
        for row in formset.forms:
            row._errors = ErrorDict()


# --- The full form ------------------------------------------------------------------------------


def _group_initial(activity: Activity) -> list[dict]:
    if not activity.pk:
        return []
    return [
        {"school": g.school_id, "level": g.level, "class_name": g.class_name, "pupils": g.pupils}
        for g in activity.groups.all()
    ]


def _activity_page(request: HttpRequest, activity: Activity, rights: Rights) -> HttpResponse:
    user = request.user
    creating = activity.pk is None
    current, hidden = _contributions_of(activity, user)
    refreshing = any(key in request.POST for key in ("add_group", "refresh"))
    data = None
    if request.method == "POST":
        data = with_added_group(request.POST) if "add_group" in request.POST else request.POST
    options = services.contribution_options(
        user=user, current=current, **suggestion_inputs(user, data, activity=activity, rights=rights)
    )
    initial = {"contributions": [c_option.key for c_option in options if _confirmed(c_option, current)]}
    form = ActivityForm(data, instance=activity, user=user, rights=rights, options=options, initial=initial)
    groups = GroupFormSet(
        data,
        prefix="groups",
        initial=_group_initial(activity) if data is None else None,
        form_kwargs={
            "user": user,
            "fixed_schools": rights.fixed_schools,
            "kept_ids": [] if creating else list(activity.groups.exclude(school=None).values_list("school", flat=True)),
        },
    )
    context: dict = {}
    status = 200
    if refreshing:
        _quiet(form, groups)
    elif request.method == "POST":
        status = 422
        if all([form.is_valid(), groups.is_valid()]):
            form.apply_place()
            data_in = ActivityInput(
                groups=groups.group_inputs(),
                organisations=form.cleaned_data["organisations"],
                volunteers=form.cleaned_data["volunteers"],
                contributions=form.chosen_contributions(),
                keep_contributions=hidden,
            )
            try:
                saved = services.save_activity(
                    form.instance,
                    data_in,
                    by_user=user,
                    expected_version=None if creating else (form.cleaned_data.get("version") or 0),
                )
            except StaleVersion:
                context["error_message"], status = STALE, 409
            except ValidationError as error:
                context["error_message"] = " ".join(error.messages)
            else:
                verb = "enregistrée" if creating else "modifiée"
                messages.success(request, f"L’activité « {saved} » a été {verb}.")
                return redirect(saved)
        context["invalid"] = True
    title = "Saisir une activité" if creating else f"Modifier « {activity} »"
    links = [] if creating else [(activity.get_absolute_url(), str(activity))]
    context |= {
        "title": title,
        "activity": activity,
        "form": form,
        "groups": groups,
        "rights": rights,
        "cancel_url": reverse("activities:activity_list") if creating else activity.get_absolute_url(),
        "breadcrumb_data": crumbs(*links, current="Saisir" if creating else "Modifier"),
    }
    return render(request, "activities/activity_form.html", context, status=status)


def _confirmed(option, current) -> bool:
    return any(
        c.confirmed and services.option_key(c.convention_id, c.action, c.commitment) == option.key for c in current
    )


def activity_create(request: HttpRequest) -> HttpResponse:
    return _activity_page(request, Activity(), _rights_to_record(request))


def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    activity = editable_activity(request, pk)
    return _activity_page(request, activity, recording_rights(request.user))


# --- The quick form -----------------------------------------------------------------------------


QUICK_BODY = "activities/_activity_quick_body.html"


def activity_quick(request: HttpRequest) -> HttpResponse:
    user = request.user
    rights = _rights_to_record(request)
    title = "Saisie rapide d’une activité"
    page = {"title": title, "breadcrumb_data": crumbs(current="Saisie rapide")}
    if request.method != "POST":
        # The empty form is the same for every reader of a scope on a day: drawn once for them.
        def empty_form() -> dict:
            options = services.contribution_options(
                user=user, **suggestion_inputs(user, None, activity=None, rights=rights)
            )
            return {"title": title, "form": QuickActivityForm(None, user=user, rights=rights, options=options)}

        body = cached_html(request, "activity-quick", QUICK_BODY, empty_form)
        return render(request, "activities/activity_quick.html", {**page, "body": body})
    data = request.POST
    options = services.contribution_options(user=user, **suggestion_inputs(user, data, activity=None, rights=rights))
    form = QuickActivityForm(data, user=user, rights=rights, options=options)
    context: dict = {}
    status = 200
    if "refresh" in request.POST:
        _quiet(form)
    elif request.method == "POST":
        status = 422
        if form.is_valid():
            company = form.cleaned_data.get("company")
            data_in = ActivityInput(
                groups=[form.group()],
                organisations=[company] if company else [],
                contributions=form.chosen_contributions(),
            )
            try:
                saved = services.save_activity(form.activity(), data_in, by_user=user)
            except ValidationError as error:
                context["error_message"] = " ".join(error.messages)
            else:
                messages.success(request, f"L’activité « {saved} » a été enregistrée. Merci !")
                return redirect(saved)
        context["invalid"] = True
    context |= {**page, "form": form, "rights": rights}
    return render(request, "activities/activity_quick.html", context, status=status)


# --- htmx fragments -----------------------------------------------------------------------------


def _fragment_request(request: HttpRequest) -> Rights | HttpResponse:
    rights = _rights_to_record(request)
    if not request.htmx:
        return HttpResponseBadRequest("Ce fragment de page n’est servi qu’aux requêtes htmx.")
    return rights


def select_options(request: HttpRequest) -> HttpResponse:
    """The ``<option>``s of a school list (a group row, the quick form) or of the quick form's
    company list, for what was typed in its search field."""
    rights = _fragment_request(request)
    if isinstance(rights, HttpResponse):
        return rights
    field, prefix = request.GET.get("field", ""), request.GET.get("prefix", "")
    if field not in ("school", "company") or not ROW_PREFIX.match(prefix):
        return HttpResponseBadRequest("Liste inconnue.")
    name = f"{prefix}-{field}" if prefix else field
    query = request.GET.get(f"{name}_search", "").strip()[:200]
    selected = request.GET.get(name, "")
    if field == "school":
        shown = [(o.pk, school_label(o)) for o in school_matches(request.user, query)]
        empty = "— Choisir un établissement —"
    else:
        shown = [(o.pk, organisation_label(o)) for o in partner_matches(request.user, query)]
        empty = "— Aucune ou choisir —"
    if selected.isdigit() and int(selected) not in {pk for pk, _ in shown}:
        kept = Organisation.objects.for_user(request.user).filter(pk=int(selected)).first()
        if kept is not None:
            shown.insert(0, (kept.pk, school_label(kept) if field == "school" else organisation_label(kept)))
    return render(
        request,
        "activities/_activity_options.html",
        {"options": shown, "selected": int(selected) if selected.isdigit() else None, "query": query, "empty": empty},
    )


def organisation_choices(request: HttpRequest) -> HttpResponse:
    """The partner organisations' checkboxes: those ticked, then the matches of the search."""
    rights = _fragment_request(request)
    if isinstance(rights, HttpResponse):
        return rights
    form = ActivityForm(request.GET, instance=Activity(), user=request.user, rights=rights, options=[])
    return render(request, "activities/_activity_field.html", {"field": form["organisations"]})


def contribution_choices(request: HttpRequest) -> HttpResponse:
    """« Compte pour », recomputed from the organisations, schools, date and programme typed so far."""
    rights = _fragment_request(request)
    if isinstance(rights, HttpResponse):
        return rights
    activity = None
    if request.GET.get("activity", "").isdigit():
        activity = editable_activity(request, int(request.GET["activity"]))
    current, _hidden = _contributions_of(activity, request.user)
    options = services.contribution_options(
        user=request.user, current=current, **suggestion_inputs(request.user, request.GET, activity=None, rights=rights)
    )
    form = ContributionsForm(request.GET, options=options)
    return render(request, "activities/_activity_field.html", {"field": form["contributions"]})
