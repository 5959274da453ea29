"""The yearly plans of a convention: the list, a new plan (possibly from last year's), the plan
with its numbered actions and the commitments' targets, its adoption and export; actions
created, changed and deleted, and the commitments' explicit targets.

Plans follow their convention: whoever reads the convention reads its plans (confidential
actions and commitments only for the parties' staff); whoever may edit it writes them.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partenariats.activities import services
from partenariats.activities.forms_plans import ActionForm, CommitmentTargetsForm, PlanCreateForm
from partenariats.activities.models import Action, ActionModality, ActionTarget, Metric, Plan, PlanStatus
from partenariats.activities.services import ActionInput, ChangeRefused, PlanExists, StaleVersion
from partenariats.activities.targets import explicit_targets, summed_targets
from partenariats.conventions.models import Commitment, Convention, Party
from partenariats.core.exports import export_response
from partenariats.core.fragments import cached_html, kept_page
from partenariats.core.history import HistoryEntry, entries_from_records
from partenariats.core.pagination import paginate
from partenariats.core.school_year import SchoolYear

EXPORT_FORMATS = ("csv", "xlsx")
HISTORY_SHOWN = 20
STALE = "Le plan a été modifié entre-temps par quelqu’un d’autre : rien n’a été enregistré. Vérifiez puis recommencez."
PLAN_BADGES = {PlanStatus.DRAFT: "fr-badge--info", PlanStatus.ADOPTED: "fr-badge--success"}


# --- Access -----------------------------------------------------------------------------------


def _convention(request: HttpRequest, pk: int) -> Convention:
    """The convention if the user sees it (404 otherwise)."""
    return get_object_or_404(Convention.objects.for_user(request.user), pk=pk)


def _may_edit(user, convention: Convention) -> bool:
    return Convention.objects.editable_by(user).filter(pk=convention.pk).exists()


def _editable_convention(request: HttpRequest, pk: int) -> Convention:
    """The convention if the user may write its plans: out of sight → 404, read-only → 403."""
    convention = _convention(request, pk)
    if not _may_edit(request.user, convention):
        raise PermissionDenied
    return convention


def _plan(convention: Convention, year: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("carried_from"), convention=convention, school_year=year)
    plan.convention = convention
    return plan


def _crumbs(convention: Convention, current: str, plan: Plan | None = None, *, with_plans: bool = True) -> dict:
    links = [
        {"url": reverse("conventions:convention_list"), "title": "Conventions"},
        {"url": convention.get_absolute_url(), "title": str(convention)},
    ]
    if with_plans:
        links.append({"url": reverse("activities:plan_list", args=[convention.pk]), "title": "Plans de partenariat"})
    if plan is not None:
        links.append({"url": plan.get_absolute_url(), "title": f"Plan {plan.year.label}"})
    return {"links": links, "current": current}


def _plan_url(plan: Plan, anchor: str = "") -> str:
    return plan.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


# --- The list and a new plan ------------------------------------------------------------------


def plan_list(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    visible = Q() if convention.is_party_staff(request.user) else Q(actions__confidential=False)
    plans = (
        convention.plans.select_related("carried_from")
        .annotate(action_count=Count("actions", filter=visible))
        .order_by("-school_year")
    )
    page = paginate(request, plans)
    for plan in page:
        plan.badge_class = PLAN_BADGES.get(plan.status, "")
    latest = plans.first()
    next_year = latest.year.next() if latest else SchoolYear.of(timezone.localdate())
    title = "Plans de partenariat"
    return render(
        request,
        "activities/plan_list.html",
        {
            "title": title,
            "convention": convention,
            "page_obj": page,
            "next_year": next_year,
            "editable": _may_edit(request.user, convention),
            "breadcrumb_data": _crumbs(convention, title, with_plans=False),
        },
    )


def plan_create(request: HttpRequest, convention_pk: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    initial = {}
    if year := SchoolYear.parse(request.GET.get("annee", "")):
        initial["school_year"] = year.start_year
    form = PlanCreateForm(request.POST or None, initial=initial, convention=convention, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        year = SchoolYear(form.cleaned_data["school_year"])
        carry_from = form.cleaned_data["carry_from"]
        try:
            plan = services.create_plan(convention, year, carry_from=carry_from)
        except PlanExists as refused:
            form.add_error("school_year", str(refused))
        else:
            done = f"Le plan {year.label} a été créé"
            if carry_from:
                done += f" avec {plan.actions.count()} action(s) reprise(s) du plan {carry_from.year.label}"
            messages.success(request, done + ".")
            return redirect(plan)
    title = "Préparer un plan de partenariat"
    return render(
        request,
        "activities/plan_form.html",
        {"title": title, "convention": convention, "form": form, "breadcrumb_data": _crumbs(convention, title)},
        status=422 if request.method == "POST" else 200,
    )


# --- The plan ---------------------------------------------------------------------------------


@dataclass
class TargetCell:
    value: int | None
    explicit: bool = False


@dataclass
class PlanContent:
    """What the plan page and its export show, read once."""

    plan: Plan
    party_staff: bool
    parties: list[Party]
    actions: list[Action]
    commitment_rows: list[tuple[Commitment, list[TargetCell]]] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)


def plan_content(plan: Plan, user) -> PlanContent:
    """The plan's actions (confidential ones for the parties' staff only) and the year's target of
    each visible commitment: explicit, else the sum of its actions' targets. A fixed number of queries."""
    convention = plan.convention
    party_staff = convention.is_party_staff(user)
    parties = list(convention.parties.select_related("organisation"))
    commitments = convention.commitments.select_related("party__organisation").order_by(
        "party__position", "party_id", "position", "pk"
    )
    actions = plan.actions.select_related("article", "owner_party__organisation")
    if not party_staff:
        commitments = commitments.filter(confidential=False)
        actions = actions.filter(confidential=False)
    actions = list(
        actions.prefetch_related(
            Prefetch("commitments", queryset=commitments),
            "audiences",
            "programmes",
            "modalities",
            "targets",
        )
    )
    for action in actions:
        texts = {m.party_id: m.text for m in action.modalities.all()}
        action.modality_rows = [(party, texts[party.pk]) for party in parties if party.pk in texts]
        values = {t.metric: t.value for t in action.targets.all()}
        action.target_values = [values.get(metric.value) for metric in Metric]
        action.target_rows = [(metric.label, values[metric.value]) for metric in Metric if metric.value in values]
    commitments = list(commitments)
    summed = summed_targets(convention, plan.school_year, public_only=not party_staff)
    explicit = explicit_targets(convention, plan.school_year)
    shown = {c.pk for c in commitments}
    used = {metric for commitment_id, metric in summed | explicit if commitment_id in shown}
    metrics = [metric for metric in Metric if metric.value in used]
    rows = []
    for commitment in commitments:
        cells = []
        for metric in metrics:
            key = (commitment.pk, metric.value)
            cells.append(TargetCell(explicit[key], True) if key in explicit else TargetCell(summed.get(key)))
        rows.append((commitment, cells))
    return PlanContent(plan, party_staff, parties, actions, rows, metrics)


def _period_text(action: Action) -> str:
    if action.starts_on and action.ends_on and action.ends_on != action.starts_on:
        return f"du {action.starts_on:%d/%m/%Y} au {action.ends_on:%d/%m/%Y}"
    if action.starts_on:
        return f"le {action.starts_on:%d/%m/%Y}"
    return ""


def _export(content: PlanContent, fmt: str) -> HttpResponse:
    plan = content.plan
    headers = [
        "N°",
        "Intitulé",
        "Confidentielle",
        "Axe",
        "Engagements servis",
        "Objectif",
        *(f"Modalités – {party.organisation}" for party in content.parties),
        "Publics visés",
        "Dispositifs",
        "Calendrier",
        "Du",
        "Au",
        "Partie pilote",
        "Pilote",
        *(f"Cible – {metric.label}" for metric in Metric),
    ]

    def rows():
        for action in content.actions:
            texts = dict((party.pk, text) for party, text in action.modality_rows)
            yield [
                action.number,
                action.title,
                action.confidential,
                str(action.article) if action.article else "",
                " | ".join(str(c) for c in action.commitments.all()),
                action.objective,
                *(texts.get(party.pk, "") for party in content.parties),
                ", ".join(str(a) for a in action.audiences.all()),
                ", ".join(str(p) for p in action.programmes.all()),
                action.start_wording,
                action.starts_on,
                action.ends_on,
                str(action.owner_party.organisation) if action.owner_party else "",
                action.owner_name,
                *action.target_values,
            ]

    filename = f"plan-{plan.year.slug}-convention-{plan.convention_id}"
    return export_response(headers, rows(), filename=filename, fmt=fmt)


def _history(content: PlanContent) -> list[HistoryEntry]:
    """The latest changes of the plan and of its actions, modalities and targets (the confidential
    actions' for the parties' staff only). Changes of commitments served and publics are not listed."""
    plan = content.plan
    action_records = Action.history.filter(plan_id=plan.pk)
    if not content.party_staff:
        # An action confidential at any time keeps its whole history (modalities, targets) hidden.
        ever_confidential = Action.history.filter(plan_id=plan.pk, confidential=True).values("id")
        action_records = action_records.exclude(id__in=ever_confidential)
    numbers = dict(action_records.values_list("id", "number").order_by("history_date"))
    label = "Action n° {}".format
    sources = [
        (Plan, plan.history.all(), lambda r: f"Plan {plan.year.label}", ("version",)),
        (Action, action_records, lambda r: label(r.number), ("commitments", "audiences", "programmes", "position")),
        (
            ActionTarget,
            ActionTarget.history.filter(action_id__in=list(numbers)),
            lambda r: f"{label(numbers.get(r.action_id, '?'))} : cible « {r.get_metric_display()} »",
            (),
        ),
        (
            ActionModality,
            ActionModality.history.filter(action_id__in=list(numbers)).select_related("party__organisation"),
            lambda r: f"{label(numbers.get(r.action_id, '?'))} : modalités de {r.party.organisation}",
            (),
        ),
    ]
    entries: list[HistoryEntry] = []
    for model, records, subject, hidden in sources:
        fetched = list(records.select_related("history_user").order_by("-history_date", "-history_id")[:60])
        entries += entries_from_records(model, fetched, limit=HISTORY_SHOWN, subject=subject, hidden=hidden)
    # A change of the many-to-many fields alone leaves a record without a listed change.
    entries = [e for e in entries if e.changes or e.action != "Modification"]
    entries.sort(key=lambda entry: entry.date, reverse=True)
    return entries[:HISTORY_SHOWN]


def plan_detail(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    convention = _convention(request, convention_pk)
    plan = _plan(convention, year)
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        return _export(plan_content(plan, request.user), fmt)
    title = f"Plan de partenariat {plan.year.label}"
    body = cached_html(
        request, f"plan:{plan.pk}", "activities/_plan_body.html", lambda: _plan_context(request.user, convention, plan)
    )
    return kept_page(request, body, title=title, breadcrumb_data=_crumbs(convention, f"Plan {plan.year.label}"))


def _plan_context(user, convention: Convention, plan: Plan) -> dict:
    """What the plan's page shows to readers of ``user``'s scope (confidential actions to the
    parties' staff alone): the same for each of them until the data change."""
    content = plan_content(plan, user)
    return {
        "convention": convention,
        "plan": plan,
        "content": content,
        "metrics": list(Metric),
        "badge_class": PLAN_BADGES.get(plan.status, ""),
        "editable": _may_edit(user, convention),
        "history": _history(content),
    }


@require_POST
def plan_adopt(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    plan = _plan(convention, year)
    try:
        services.adopt_plan(plan, on=timezone.localdate(), expected_version=_version(request) or 0)
    except StaleVersion:
        messages.error(request, STALE)
    except ChangeRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, f"Le plan {plan.year.label} est adopté.")
    return redirect(plan)


def plan_targets(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    """The year's explicit targets of the commitments; a blank one is the sum of the actions' targets."""
    convention = _editable_convention(request, convention_pk)
    plan = _plan(convention, year)
    commitments = list(
        convention.commitments.select_related("party__organisation").order_by(
            "party__position", "party_id", "position", "pk"
        )
    )
    form = CommitmentTargetsForm(
        request.POST or None,
        plan=plan,
        commitments=commitments,
        explicit=explicit_targets(convention, plan.school_year),
        summed=summed_targets(convention, plan.school_year),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_commitment_targets(plan, form.values, expected_version=form.cleaned_data["version"] or 0)
        except StaleVersion:
            form.add_error(None, STALE)
        except ChangeRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Les cibles des engagements ont été enregistrées.")
            return redirect(_plan_url(plan, "cibles"))
    title = f"Cibles des engagements – plan {plan.year.label}"
    return render(
        request,
        "activities/plan_targets.html",
        {
            "title": title,
            "convention": convention,
            "plan": plan,
            "form": form,
            "breadcrumb_data": _crumbs(convention, "Cibles des engagements", plan),
        },
        status=422 if request.method == "POST" else 200,
    )


# --- Actions ----------------------------------------------------------------------------------


def _action_page(request: HttpRequest, plan: Plan, action: Action, title: str) -> HttpResponse:
    parties = list(plan.convention.parties.select_related("organisation"))
    form = ActionForm(request.POST or None, instance=action, plan=plan, parties=parties)
    if request.method == "POST" and form.is_valid():
        data = ActionInput(
            commitments=form.cleaned_data["commitments"],
            audiences=form.cleaned_data["audiences"],
            programmes=form.cleaned_data["programmes"],
            modalities=form.modalities,
            targets=form.targets,
        )
        try:
            saved = services.save_action(
                form.instance, data, expected_version=form.cleaned_data["version"] or 0, by_user=request.user
            )
        except StaleVersion:
            form.add_error(None, STALE)
        else:
            messages.success(request, f"L’action n° {saved.number} « {saved.title} » a été enregistrée.")
            if saved.start_wording and not saved.starts_on:
                messages.info(
                    request, f"Le calendrier « {saved.start_wording} » n’a pas pu être traduit en dates : indiquez-les."
                )
            return redirect(_plan_url(plan, f"action-{saved.pk}"))
    return render(
        request,
        "activities/action_form.html",
        {
            "title": title,
            "convention": plan.convention,
            "plan": plan,
            "form": form,
            "breadcrumb_data": _crumbs(plan.convention, title, plan),
        },
        status=422 if request.method == "POST" else 200,
    )


def action_create(request: HttpRequest, convention_pk: int, year: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    plan = _plan(convention, year)
    return _action_page(request, plan, Action(plan=plan), "Ajouter une action")


def action_update(request: HttpRequest, convention_pk: int, year: int, action_pk: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    plan = _plan(convention, year)
    action = get_object_or_404(plan.actions, pk=action_pk)
    action.plan = plan
    return _action_page(request, plan, action, f"Modifier l’action n° {action.number}")


def action_delete(request: HttpRequest, convention_pk: int, year: int, action_pk: int) -> HttpResponse:
    convention = _editable_convention(request, convention_pk)
    plan = _plan(convention, year)
    action = get_object_or_404(plan.actions, pk=action_pk)
    action.plan = plan
    context = {
        "title": f"Supprimer l’action n° {action.number}",
        "convention": convention,
        "plan": plan,
        "action": action,
        "reason": services.action_deletion_refusal(action),
        "breadcrumb_data": _crumbs(convention, "Supprimer une action", plan),
    }
    if request.method == "POST":
        try:
            services.delete_action(action, expected_version=_version(request) or 0, by_user=request.user)
        except StaleVersion:
            messages.error(request, STALE)
            return redirect(plan)
        except ChangeRefused as refused:
            context["reason"] = str(refused)
            return render(request, "activities/action_confirm_delete.html", context, status=403)
        messages.success(request, f"L’action n° {context['action'].number} a été supprimée.")
        return redirect(plan)
    return render(request, "activities/action_confirm_delete.html", context)
