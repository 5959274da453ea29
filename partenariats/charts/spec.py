"""The pieces of a chart's description: its kind, its series, how numbers are written."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

Number = int | float | Decimal

NARROW_NO_BREAK_SPACE = "\u202f"


class ChartKind(StrEnum):
    BARS = "bars"  # vertical bars, one group per category (few categories: target vs realised)
    HBARS = "hbars"  # horizontal bars, one group per category (long labels, many categories)
    STACKED = "stacked"  # horizontal bars, the series stacked (a breakdown of each category)


def format_number(value: Number | None) -> str:
    """A number as French text: « 1 234 », « 12,5 »; « — » for a missing value."""
    if value is None:
        return "—"
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", NARROW_NO_BREAK_SPACE)
    whole, _, decimals = f"{number:,.1f}".partition(".")
    return whole.replace(",", NARROW_NO_BREAK_SPACE) + "," + decimals


@dataclass(frozen=True)
class Series:
    """One series of values, one per category; ``None`` where there is no value (no target)."""

    label: str
    values: Sequence[Number | None]
    color: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))
