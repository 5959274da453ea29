"""Template tags of the steering pages: meeting times in French, the past distributions."""

from django import template

from partenariats.steering import distribution, meetings
from partenariats.steering.models import Distribution, Meeting, Review

register = template.Library()


@register.filter
def time_text(moment) -> str:
    """« 14 h 30 », « 9 h » (Paris time), as in the minutes and the convocations."""
    return meetings.time_text(moment) if moment else ""


def _sent_as_draft(review: Review | None, sent: Distribution) -> bool:
    """A review sent before its approval went as a draft (« projet »)."""
    if review is None:
        return False
    return not review.is_approved or (review.approved_at is not None and sent.sent_at < review.approved_at)


@register.inclusion_tag("steering/distribution_history.html")
def distribution_history(review: Review | None = None, meeting: Meeting | None = None) -> dict:
    """The past sendings of a review or of a meeting's minutes, newest first, with their counts:
    one query, whatever their number. A variable missing from the page's context is read as none
    (templates give it as an empty string)."""
    review = review if isinstance(review, Review) else None
    meeting = meeting if isinstance(meeting, Meeting) else None
    if review is not None:
        sendings = Distribution.objects.filter(review=review)
    elif meeting is not None:
        sendings = Distribution.objects.filter(meeting=meeting)
    else:
        sendings = Distribution.objects.none()
    rows = distribution.summaries(sendings.order_by("-sent_at", "-pk"))
    return {"rows": [{"summary": row, "draft": _sent_as_draft(review, row.distribution)} for row in rows]}
