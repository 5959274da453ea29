"""What a chart shows: categories, series of values, and the table of the same numbers."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from partenariats.charts import render
from partenariats.charts.spec import ChartKind, Series


@dataclass(frozen=True)
class Chart:
    """A bar chart and its data table.

    ``categories`` label the bars (or groups of bars); each of ``series`` gives one value
    per category. ``description`` is the text alternative read by screen readers (a
    default one is written from the data); ``unit`` names the value axis; ``width`` is the
    drawing's width in inches (the SVG then scales to its container, text with it).
    """

    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    kind: ChartKind = ChartKind.HBARS
    category_header: str = "Catégorie"
    unit: str = ""
    # In inches: 7.5 for a chart across a page, about 5 for one beside its table.
    width: float = 7.5
    description: str = ""
    # Rows of the table beyond the series' values (for example a rate), one tuple per category.
    extra_headers: Sequence[str] = field(default_factory=tuple)
    extra_values: Sequence[Sequence] = field(default_factory=tuple)

    def __post_init__(self):
        object.__setattr__(self, "categories", tuple(str(c) for c in self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        object.__setattr__(self, "kind", ChartKind(self.kind))
        object.__setattr__(self, "extra_headers", tuple(self.extra_headers))
        object.__setattr__(self, "extra_values", tuple(tuple(row) for row in self.extra_values))
        for series in self.series:
            if len(series.values) != len(self.categories):
                count = len(self.categories)
                raise ValueError(f"La série « {series.label} » a {len(series.values)} valeurs pour {count} catégories.")
        if self.extra_headers and len(self.extra_values) != len(self.categories):
            raise ValueError("Les colonnes supplémentaires doivent avoir une ligne par catégorie.")

    # Storage (a review's frozen figures keep their charts as plain JSON)

    def as_dict(self) -> dict:
        """The chart as plain JSON data; ``Chart.from_dict`` gives it back."""
        return {
            "title": self.title,
            "categories": list(self.categories),
            "series": [{"label": s.label, "values": list(s.values), "color": s.color} for s in self.series],
            "kind": str(self.kind),
            "category_header": self.category_header,
            "unit": self.unit,
            "width": self.width,
            "description": self.description,
            "extra_headers": list(self.extra_headers),
            "extra_values": [list(row) for row in self.extra_values],
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Chart":
        return cls(**{**data, "series": [Series(**series) for series in data["series"]]})

    # The data table

    @property
    def headers(self) -> list[str]:
        return [self.category_header, *(s.label for s in self.series), *self.extra_headers]

    def table(self) -> list[tuple]:
        """One row per category: its label, each series' value (``None`` if missing), then the extra values."""
        rows = []
        for index, category in enumerate(self.categories):
            extra = self.extra_values[index] if self.extra_headers else ()
            rows.append((category, *(s.values[index] for s in self.series), *extra))
        return rows

    @property
    def is_empty(self) -> bool:
        """No category, or nothing but zeros and missing values."""
        return not any(value for series in self.series for value in series.values)

    @property
    def alternative_text(self) -> str:
        """What the chart says, for those who do not see it."""
        if self.description:
            return self.description
        if not self.categories:
            return f"{self.title} : aucune donnée."
        names = " et ".join(s.label for s in self.series)
        shape = {
            ChartKind.BARS: "Diagramme en barres verticales",
            ChartKind.HBARS: "Diagramme en barres horizontales",
            ChartKind.STACKED: "Diagramme en barres empilées",
        }[self.kind]
        count = len(self.categories)
        return (
            f"{shape} : {names} pour {count} catégorie{'s' if count > 1 else ''}. "
            "Les valeurs figurent dans le tableau de données qui l’accompagne."
        )

    @property
    def fingerprint(self) -> str:
        """A digest of everything drawn: it salts the SVG's ids, distinct between charts."""
        spec = repr(
            (
                self.title,
                self.kind,
                self.unit,
                self.width,
                self.categories,
                [(s.label, s.values, s.color) for s in self.series],
            )
        )
        return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:16]

    # The outputs

    def svg(self) -> str:
        """Inline SVG markup for a page or a PDF."""
        return render.render_svg(self)

    def png(self, dpi: int = 150) -> bytes:
        """A PNG image for a Word document."""
        return render.render_png(self, dpi=dpi)
