"""Charts for pages, PDF and DOCX from one description, each with its data table.

Pure Python on matplotlib (Agg and SVG canvases, never pyplot), no Django: a :class:`Chart`
is built from plain numbers and gives ``.svg()`` (inline markup for pages and WeasyPrint:
accessible, no script, no style element, no external reference), ``.png()`` (for DOCX)
and ``.table()`` (the same numbers, to show beside the chart). The output is deterministic:
the same chart gives the same bytes.
"""

from partenariats.charts.chart import Chart
from partenariats.charts.spec import ChartKind, Series, format_number

__all__ = ["Chart", "ChartKind", "Series", "format_number"]
