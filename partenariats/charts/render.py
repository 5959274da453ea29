"""Drawing a chart with matplotlib's object API (no pyplot, no global figure) on the Agg and
SVG canvases."""

import functools
import io
import threading
import warnings
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from partenariats.charts.spec import ChartKind, format_number
from partenariats.charts.svg import accessible_svg
from partenariats.core.text import xml_safe

if TYPE_CHECKING:
    from partenariats.charts.chart import Chart

# DSFR colours (bleu France first); each has at least 3:1 contrast with white, except the
# light blue given to targets, which is drawn with a dark outline.
PALETTE = ("#000091", "#C3992A", "#009081", "#CE614A", "#A558A0", "#3A3A3A", "#6A6AF4", "#68A532")
TARGET_COLOR = "#CACAFB"
OUTLINE = "#161616"
TEXT_COLOR = "#161616"
GRID_COLOR = "#DDDDDD"
LABEL_MAX = 48

RC = {
    "svg.fonttype": "none",  # text stays text: selectable, read by screen readers, in the page's font
    "font.family": "sans-serif",
    "font.sans-serif": ["Marianne", "Arial", "DejaVu Sans"],
    "font.size": 9,
    "text.color": TEXT_COLOR,
    "axes.labelcolor": TEXT_COLOR,
    "xtick.color": TEXT_COLOR,
    "ytick.color": TEXT_COLOR,
    "axes.edgecolor": "#666666",
}
# rcParams are global: one chart is drawn at a time.
_LOCK = threading.Lock()


def clean(text: str) -> str:
    """Only what XML can carry (see ``xml_safe``)."""
    return xml_safe(text)


def shorten(label: str, limit: int = LABEL_MAX) -> str:
    """A label short enough for an axis (the table keeps it whole), safe from mathtext."""
    label = " ".join(clean(label).split())
    if len(label) > limit:
        label = label[: limit - 1].rstrip() + "…"
    # A "$" would open a mathtext formula.
    return label.replace("$", r"\$")


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _colors(chart: "Chart") -> list[str]:
    return [series.color or PALETTE[index % len(PALETTE)] for index, series in enumerate(chart.series)]


def _figure_height(chart: "Chart") -> float:
    count = max(len(chart.categories), 1)
    if chart.kind == ChartKind.BARS:
        return 3.6
    per_category = 0.28 * (len(chart.series) if chart.kind == ChartKind.HBARS else 1) + 0.14
    return min(max(1.4 + per_category * count, 2.2), 16.0)


def _draw(chart: "Chart") -> Figure:
    figure = Figure(figsize=(chart.width, _figure_height(chart)))
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.is_empty:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Aucune donnée pour cette période", ha="center", va="center", transform=axes.transAxes)
        return figure
    horizontal = chart.kind != ChartKind.BARS
    # Long labels would squeeze the bars: the narrower the chart, the shorter (the table keeps them whole).
    limit = round(LABEL_MAX * chart.width / 7.5)
    labels = [shorten(category, limit) for category in chart.categories]
    positions = list(range(len(labels)))
    colors = _colors(chart)
    count = len(chart.series)
    if chart.kind == ChartKind.STACKED:
        _draw_stacked(axes, chart, positions, colors)
    else:
        thickness = 0.8 / count
        for index, series in enumerate(chart.series):
            offsets = [p - 0.4 + thickness * (index + 0.5) for p in positions]
            values = [_number(v) for v in series.values]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(
                offsets,
                values,
                thickness,
                label=shorten(series.label),
                color=colors[index],
                edgecolor=OUTLINE,
                linewidth=0.4,
            )
            axes.bar_label(bars, labels=[format_number(v) for v in series.values], padding=2, fontsize=7)
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_major_formatter(FuncFormatter(lambda value, _position: format_number(value)))
    value_axis.set_major_locator(MaxNLocator(integer=_all_integers(chart), nbins=6))
    axes.grid(axis="x" if horizontal else "y", color=GRID_COLOR, linewidth=0.6)
    axes.set_axisbelow(True)
    if horizontal:
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first category on top, as in the table
        axes.margins(x=0.12)
        if chart.unit:
            axes.set_xlabel(shorten(chart.unit))
    else:
        axes.set_xticks(
            positions, labels, rotation=30 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center"
        )
        axes.margins(y=0.12)
        if chart.unit:
            axes.set_ylabel(shorten(chart.unit))
    if count > 1:
        # Above the plot: below it, the legend would meet the axis labels.
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=min(count, 4), frameon=False)
    return figure


def _draw_stacked(axes, chart: "Chart", positions: list[int], colors: list[str]) -> None:
    left = [0.0] * len(positions)
    for index, series in enumerate(chart.series):
        values = [_number(v) for v in series.values]
        axes.barh(
            positions,
            values,
            0.7,
            left=left,
            label=shorten(series.label),
            color=colors[index],
            edgecolor=OUTLINE,
            linewidth=0.4,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, " " + format_number(total), va="center", fontsize=7)


def _all_integers(chart: "Chart") -> bool:
    return all(value is None or float(value).is_integer() for series in chart.series for value in series.values)


def _save(chart: "Chart", canvas_class, fmt: str, **options) -> bytes | str:
    with _LOCK, matplotlib.rc_context({**RC, "svg.hashsalt": chart.fingerprint}), warnings.catch_warnings():
        # A character the fallback font lacks is drawn as a box in the PNG; in the SVG the browser's font draws it.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure = _draw(chart)
        buffer = io.StringIO() if fmt == "svg" else io.BytesIO()
        canvas_class(figure).print_figure(buffer, format=fmt, bbox_inches="tight", pad_inches=0.1, **options)
    return buffer.getvalue()


# The same chart is asked for again on each view of an unchanged page: drawing takes ~0.2 s.
@functools.lru_cache(maxsize=128)
def render_svg(chart: "Chart") -> str:
    """Inline SVG markup (no XML declaration), accessible and free of script and style."""
    raw = _save(chart, FigureCanvasSVG, "svg", metadata={"Date": None})
    return accessible_svg(raw, title=clean(chart.title), description=clean(chart.alternative_text))


def render_png(chart: "Chart", dpi: int = 150) -> bytes:
    return _save(chart, FigureCanvasAgg, "png", dpi=dpi, metadata={"Software": None})
