"""French template filters."""

import math

from django import template

register = template.Library()


@register.filter
def plural(value, suffix: str = "s") -> str:
    """``s`` from two on: French writes « 0 ligne », « 1 ligne », « 2 lignes » (Django's
    ``pluralize`` gives « 0 lignes »). ``value`` may be a number or a sized collection."""
    try:
        count = len(value) if hasattr(value, "__len__") and not isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        return ""
    return suffix if count >= 2 else ""


@register.filter
def minutes(value) -> int | str:
    """A duration (``timedelta``) in whole minutes, rounded up: « dans 15 minutes »."""
    try:
        return math.ceil(value.total_seconds() / 60)
    except AttributeError:
        return ""
