"""What a review (bilan) says, as plain JSON data: built from the recorded data while the
review is a draft, frozen in ``Review.snapshot`` when it is approved. The review page, the
PDF and the DOCX are all drawn from this one dict, so that they always agree.

``build_content(review, public=...)`` returns (every value JSON-serialisable; texts are plain
text, never HTML; ``*_display`` values are already written in French):

    {
      "schema": 1,
      "variant": "full" | "public",
      "taken_at": "2026-06-30T10:00:00+02:00",      # when the figures were computed
      "taken_at_display": "30 juin 2026",
      "approved": bool, "approved_at_display": "" | "2 juillet 2026",
      "convention": {"title", "reference", "academies": [str], "signed_on_display",
                     "parties": [{"name", "side_label", "representative_title"}]},
      "year": {"start": 2025, "label": "2025-2026"},
      "overview": str,                               # a French sentence or two on the year
      "key_figures": [{"label", "value": number | None, "display": "1 234"}],
      "axes": [{"title": "Article 2 – …" | "Actions hors axe",
                "actions": [{"number", "title", "owner", "carried_out": bool, "confidential": bool,
                             "rows": [{"metric", "metric_label", "target": int | None,
                                       "realised": number, "rate": float | None}],
                             "sentence": "12 visites d’entreprise réalisées pour 10 prévues, …"}]}],
      "commitments": [{"party", "article", "text", "idle": bool, "confidential": bool,
                       "rows": [...as above], "sentence"}],
      "not_carried_out": [{"number", "title", "axis", "period"}],
      "evaluations": [{"title", "kind_label", "date_display", "text", "confidential": bool}],
      "highlights": [{"title", "kind_label", "date_display", "place", "comment", "confidential": bool}],
      "charts": [Chart.as_dict()],                   # partenariats.charts: SVG in PDF, PNG in DOCX
      "tables": [{"key", "title", "headers", "rows", "note"}],   # indicators.reports.Table.as_dict()
      "next_plan": None | {"year_label", "status_label", "adopted_on_display",
                           "actions": [{"number", "title", "axis", "period", "owner",
                                        "targets": [{"metric_label", "value"}]}]},
      "decisions": [{"number", "text", "meeting_display", "confidential": bool}],
      "corrective_actions": [{"title", "owner", "due_on_display", "status_label", "review_note",
                              "confidential": bool}],
      "sections": [{"key", "title", "text"}],        # the narrative, written by people
    }

The rows of an action or a commitment come first for the activities (« Actions réalisées »), then
the other indicators in the indicator page's order; ``confidential`` is always false in the public
version (it marks, in the parties' version, what the public one leaves out).

The public version leaves out confidential commitments, actions, activities, decisions and
corrective actions, narrative sections not marked public, and every person's name, e-mail
address and telephone number: every string of it (titles, texts, table cells, chart labels) is
scrubbed of addresses, numbers, the names ``names.known_names`` gives and a surname after
« Mme », « M. »…
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from partenariats.activities.models import (
    Action,
    ActionTarget,
    Activity,
    ActivityGroup,
    ActivityKind,
    Metric,
    Plan,
)
from partenariats.activities.targets import commitment_targets
from partenariats.charts import format_number
from partenariats.conventions.models import Convention
from partenariats.directory.models import PriorityEducation
from partenariats.indicators import by_row, queries, reports
from partenariats.steering import sentences
from partenariats.steering.minutes import owner_text
from partenariats.steering.models import (
    CorrectiveAction,
    Decision,
    MeetingStatus,
    Review,
)
from partenariats.steering.names import known_names
from partenariats.steering.privacy import scrubber
from partenariats.steering.sentences import Clause

SCHEMA = 1
OFF_AXIS = "Actions hors axe"
PRIORITY = (PriorityEducation.REP, PriorityEducation.REP_PLUS)
METRIC_OF_LABEL = {label: value for value, label in Metric.choices}
KIND_LABELS = dict(ActivityKind.choices)


def _plain(value):
    """JSON data: decimals as numbers, tuples as lists (a snapshot is stored as JSON)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# Values that are codes, not text: never scrubbed (a section's key is its anchor).
CODE_KEYS = frozenset({"schema", "variant", "taken_at", "metric", "key", "kind", "color", "unit"})


def scrub_all(value, names: Iterable[str]):
    """``value`` with every string in it scrubbed of e-mail addresses, telephone numbers and
    ``names`` (titles, texts, table cells, chart categories…), codes left as they are."""
    scrub_one = scrubber(names)

    def walk(item, key=None):
        if isinstance(item, str):
            return item if key in CODE_KEYS else scrub_one(item)
        if isinstance(item, dict):
            return {item_key: walk(child, item_key) for item_key, child in item.items()}
        if isinstance(item, list | tuple):
            return [walk(child, key) for child in item]
        return item

    return walk(value)


def _period(action: Action) -> str:
    if action.start_wording:
        return action.start_wording
    if action.starts_on and action.ends_on and action.ends_on != action.starts_on:
        return f"du {sentences.french_date(action.starts_on)} au {sentences.french_date(action.ends_on)}"
    return sentences.french_date(action.starts_on)


def _rows(table_rows: list[list]) -> list[dict]:
    """Rows of an indicator table (… indicator label, target, realised, rate) as the content's rows,
    the activities first (what was done, then what it counted)."""
    rows = [
        {
            "metric": METRIC_OF_LABEL[row[-4]],
            "metric_label": row[-4],
            "target": row[-3],
            "realised": row[-2],
            "rate": row[-1],
        }
        for row in table_rows
    ]
    return sorted(rows, key=lambda row: row["metric"] != Metric.EVENTS)


class _Facts:
    """Per activity of the year: kind, pupil participations, those in éducation prioritaire (two queries)."""

    def __init__(self, activities: QuerySet[Activity]):
        ids = activities.values("pk")
        self.kind, self.pupils = {}, {}
        for pk, kind, pupils in Activity.objects.filter(pk__in=ids).values_list("pk", "kind", "pupil_participations"):
            self.kind[pk], self.pupils[pk] = kind, pupils
        self.priority = dict(
            ActivityGroup.objects.filter(activity__in=ids, school__priority_education__in=PRIORITY)
            .values("activity")
            .annotate(pupils=Sum("pupils"))
            .order_by()
            .values_list("activity", "pupils")
        )

    def noun(self, activity_ids) -> sentences.Noun | None:
        """The noun of the activities' kind when they all share one (not « Autre »)."""
        kinds = {self.kind[pk] for pk in activity_ids}
        if len(kinds) != 1 or kinds == {ActivityKind.OTHER}:
            return None
        return sentences.noun(KIND_LABELS[kinds.pop()])

    def priority_pupils(self, activity_ids) -> int:
        return sum(self.priority.get(pk, 0) for pk in activity_ids)

    def all_pupils(self, activity_ids) -> int:
        return sum(self.pupils[pk] for pk in activity_ids)


def _pairs(pairs: QuerySet) -> dict[int, set[int]]:
    grouped: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        grouped[pair["row_id"]].add(pair["act_id"])
    return grouped


def _sentence(rows: list[dict], activity_ids: set[int], facts: _Facts) -> str:
    clauses = []
    for row in rows:
        if row["metric"] == Metric.EVENTS:
            clauses.append(Clause(facts.noun(activity_ids) if activity_ids else None, row["realised"], row["target"]))
        else:
            clauses.append(
                Clause(
                    sentences.METRIC_NOUNS[row["metric"]],
                    row["realised"],
                    row["target"],
                    participle="",
                    pupils=row["metric"] == Metric.PUPILS,
                )
            )
    pupils = facts.all_pupils(activity_ids)
    if pupils and not any(row["metric"] == Metric.PUPILS for row in rows):
        clauses.append(
            Clause(sentences.METRIC_NOUNS["pupils"], pupils, None, participle="", pupils=True, with_target=False)
        )
    return sentences.figures_sentence(clauses, priority_pupils=facts.priority_pupils(activity_ids))


def _axes(actions: list[Action], table, pairs, facts, public) -> tuple[list[dict], list[dict]]:
    by_number: dict[int, list[list]] = defaultdict(list)
    for row in table.rows:
        by_number[row[0]].append(row)
    axes: dict[object, dict] = {}
    not_carried_out = []
    ordered = sorted(
        actions,
        key=lambda a: (
            a.article is None,
            (a.article.position, a.article.pk) if a.article else (0, 0),
            a.position,
            a.number,
        ),
    )
    for action in ordered:
        axis_title = str(action.article) if action.article else OFF_AXIS
        axis = axes.setdefault(action.article_id, {"title": axis_title, "actions": []})
        rows = _rows(by_number[action.number])
        activity_ids = pairs.get(action.pk, set())
        axis["actions"].append(
            {
                "number": action.number,
                "title": action.title,
                "owner": owner_text(action, public),
                "carried_out": bool(activity_ids),
                "confidential": action.confidential,
                "rows": rows,
                "sentence": _sentence(rows, activity_ids, facts),
            }
        )
        if not activity_ids:
            not_carried_out.append(
                {"number": action.number, "title": action.title, "axis": axis_title, "period": _period(action)}
            )
    return list(axes.values()), not_carried_out


def _commitments(convention, year, activities, public, facts) -> tuple[list[dict], reports.Table]:
    table, idle = reports.commitments_table(convention, year, activities, party_staff=not public)
    commitments = convention.commitments.select_related("party__organisation", "article")
    if public:
        commitments = commitments.filter(confidential=False)
    counts: dict[int, int] = defaultdict(int)
    for commitment_id, _metric in commitment_targets(convention, year, public_only=public):
        counts[commitment_id] += 1
    pairs = _pairs(by_row.commitment_pairs(activities, commitments, public_only=public))
    idle_ids = {commitment.pk for commitment in idle}
    result, start = [], 0
    for commitment in commitments:
        count = counts.get(commitment.pk) or 1
        rows = _rows(table.rows[start : start + count])
        start += count
        activity_ids = pairs.get(commitment.pk, set())
        result.append(
            {
                "party": str(commitment.party.organisation),
                "article": str(commitment.article) if commitment.article else "",
                "text": commitment.text,
                "idle": commitment.pk in idle_ids,
                "confidential": commitment.confidential,
                "rows": rows,
                "sentence": _sentence(rows, activity_ids, facts),
            }
        )
    return result, table


def _next_plan(convention: Convention, year: int, public: bool) -> dict | None:
    plan = Plan.objects.filter(convention=convention, school_year=year + 1).first()
    if plan is None:
        return None
    actions = plan.actions.select_related("article", "owner_party__organisation")
    if public:
        actions = actions.filter(confidential=False)
    actions = list(actions)
    targets: dict[int, list[dict]] = defaultdict(list)
    labels = dict(Metric.choices)
    order = {metric: index for index, metric in enumerate(queries.METRICS)}
    found = ActionTarget.objects.filter(action__in=[action.pk for action in actions]).values_list(
        "action", "metric", "value"
    )
    for action_id, metric, value in sorted(found, key=lambda t: (t[0], order.get(t[1], 99))):
        targets[action_id].append({"metric_label": labels[metric], "value": value})
    return {
        "year_label": plan.year.label,
        "status_label": plan.get_status_display(),
        "adopted_on_display": sentences.french_date(plan.adopted_on),
        "actions": [
            {
                "number": action.number,
                "title": action.title,
                "axis": str(action.article) if action.article else OFF_AXIS,
                "period": _period(action),
                "owner": owner_text(action, public),
                "targets": targets[action.pk],
            }
            for action in actions
        ],
    }


def _meeting_display(meeting) -> str:
    if meeting.starts_at:
        return f"{meeting.get_kind_display()} du {sentences.french_date(timezone.localtime(meeting.starts_at).date())}"
    return f"{meeting.get_kind_display()} ({meeting.year.label})"


def _meeting_records(convention, year, public) -> tuple[list[dict], list[dict]]:
    decisions = (
        Decision.objects.filter(meeting__convention=convention, meeting__school_year=year)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__starts_at", "meeting_id", "number", "pk")
    )
    corrective = (
        CorrectiveAction.objects.filter(convention=convention, meeting__school_year=year)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("owner_party__organisation")
        .order_by("due_on", "pk")
    )
    if public:
        decisions = decisions.filter(confidential=False)
        corrective = corrective.filter(confidential=False)
    return (
        [
            {
                "number": d.number,
                "text": d.text,
                "meeting_display": _meeting_display(d.meeting),
                "confidential": d.confidential,
            }
            for d in decisions
        ],
        [
            {
                "title": c.title,
                "owner": owner_text(c, public),
                "due_on_display": sentences.french_date(c.due_on),
                "status_label": c.get_status_display(),
                "review_note": c.review_note,
                "confidential": c.confidential,
            }
            for c in corrective
        ],
    )


def _key_figures(summary: queries.Summary, priority_pupils: int) -> list[dict]:
    priority_share = sentences.share(priority_pupils, summary.pupils)
    figures = [
        ("Activités réalisées", summary.activities),
        ("Participations d’élèves", summary.pupils),
        ("Part des participations en éducation prioritaire (REP, REP+)", priority_share),
        ("Établissements touchés", summary.schools),
        ("Entreprises impliquées", summary.companies),
        ("Professionnels mobilisés", summary.professionals),
        ("Enseignants impliqués", summary.teachers),
        ("Heures", summary.hours),
    ]
    result = []
    for label, value in figures:
        is_share = label.startswith("Part ")
        display = sentences.percent(value) if is_share and value is not None else format_number(value)
        result.append({"label": label, "value": _plain(value), "display": display})
    return result


def _convention(convention: Convention) -> dict:
    signed_on, _precision = convention.signature_date()
    return {
        "title": convention.title,
        "reference": convention.reference,
        "academies": [str(academy) for academy in convention.academies.all()],
        "signed_on_display": sentences.french_date(signed_on),
        "parties": [
            {
                "name": str(party.organisation),
                "side_label": party.get_side_display(),
                "representative_title": party.representative_title,
            }
            for party in convention.parties.select_related("organisation")
        ],
    }


def build_content(review: Review, *, public: bool, taken_at: datetime | None = None) -> dict:
    """The review's content (see the module's docstring): the parties' version, or the public one."""
    convention, year = review.convention, review.school_year
    taken_at = timezone.localtime(taken_at or timezone.now())
    activities = queries.convention_activities(convention, year, party_staff=not public)
    summary = queries.summarise(activities)
    facts = _Facts(activities)

    plan = Plan.objects.filter(convention=convention, school_year=year).first()
    actions: list[Action] = []
    if plan is not None:
        visible = plan.actions.all() if not public else plan.actions.filter(confidential=False)
        actions = list(visible.select_related("article", "owner_party__organisation"))
    actions_table = reports.actions_table(convention, year, activities, party_staff=not public)
    action_pairs = _pairs(by_row.action_pairs(activities, Action.objects.filter(pk__in=[a.pk for a in actions])))
    axes, not_carried_out = _axes(actions, actions_table, action_pairs, facts, public)
    commitments, commitments_table = _commitments(convention, year, activities, public, facts)
    levels_table = reports.levels_table(activities)
    parties_table = reports.parties_table(convention, activities, party_staff=not public)

    evaluated = (
        Activity.objects.filter(pk__in=activities.values("pk"))
        .exclude(evaluation="")
        .annotate(
            immersion=Case(
                When(kind=ActivityKind.TEACHER_IMMERSION, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("immersion", "starts_on", "pk")
    )
    decisions, corrective_actions = _meeting_records(convention, year, public)
    priority_pupils = sum(facts.priority.values())
    action_count = len(actions)

    content = {
        "schema": SCHEMA,
        "variant": "public" if public else "full",
        "taken_at": taken_at.isoformat(),
        "taken_at_display": sentences.french_date(taken_at.date()),
        "approved": review.is_approved,
        "approved_at_display": sentences.french_date(timezone.localtime(review.approved_at).date())
        if review.approved_at
        else "",
        "convention": _convention(convention),
        "year": {"start": year, "label": review.year.label},
        "overview": sentences.overview_sentence(
            review.year.label,
            activities=summary.activities,
            pupils=summary.pupils,
            schools=summary.schools,
            actions=action_count,
            not_carried_out=len(not_carried_out),
        ),
        "key_figures": _key_figures(summary, priority_pupils),
        "axes": axes,
        "commitments": commitments,
        "not_carried_out": not_carried_out,
        "evaluations": [
            {
                "title": activity.title,
                "kind_label": activity.get_kind_display(),
                "date_display": sentences.french_date(activity.starts_on),
                "text": activity.evaluation,
                "confidential": activity.confidential,
            }
            for activity in evaluated
        ],
        "highlights": _highlights(review, activities),
        "charts": [
            table.chart.as_dict()
            for table in (actions_table, levels_table, parties_table)
            if table.chart is not None and not table.chart.is_empty
        ],
        "tables": [table.as_dict() for table in (actions_table, commitments_table, levels_table, parties_table)],
        "next_plan": _next_plan(convention, year, public),
        "decisions": decisions,
        "corrective_actions": corrective_actions,
        "sections": _sections(review, public),
    }
    return _public(review, _plain(content)) if public else _plain(content)


def _public(review: Review, content: dict) -> dict:
    """Every string scrubbed, not field by field: a name or a number may be typed anywhere."""
    counted = queries.convention_activities(review.convention, review.school_year, party_staff=True)
    return scrub_all(content, known_names(review.convention, activities=counted))


def _highlights(review: Review, activities: QuerySet[Activity]) -> list[dict]:
    highlights = review.highlights.filter(activity__in=activities.values("pk")).select_related("activity")
    return [
        {
            "title": highlight.activity.title,
            "kind_label": highlight.activity.get_kind_display(),
            "date_display": sentences.french_date(highlight.activity.starts_on),
            "place": highlight.activity.place,
            "comment": highlight.comment,
            "confidential": highlight.activity.confidential,
        }
        for highlight in highlights
    ]


def _sections(review: Review, public: bool) -> list[dict]:
    sections = review.sections.all() if not public else review.sections.filter(public=True)
    return [{"key": s.key, "title": s.title, "text": s.text} for s in sections]


def narrative(review: Review, *, public: bool) -> dict:
    """The parts of the content people write (sections, highlights), computed now: a draft's stored
    figures keep them up to date without being recomputed."""
    activities = queries.convention_activities(review.convention, review.school_year, party_staff=not public)
    parts = {"highlights": _plain(_highlights(review, activities)), "sections": _sections(review, public)}
    return _public(review, parts) if public else parts
