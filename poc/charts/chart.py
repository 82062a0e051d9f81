"""A chart and its data table, from the same figures.

A builder returns a :class:`Chart`: categories (the x axis, or the rows of the table), one or more
:class:`Series` of exact values (Decimal or int; never float), and how to draw them. The page renders the
table from the exact values (``rows``) and hands the drawing to ``static/js/charts.js`` as JSON
(``spec``): numbers travel as strings, the browser turns them into numbers for the drawing only.
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# How the browser draws it (static/js/charts.js knows each).
KINDS = ("bar", "hbar", "stack", "line", "time", "range", "heatmap")


@dataclass
class Series:
    name: str
    values: list  # one per category; None where there is nothing
    kind: str = ""  # "line" or "scatter" to draw this series differently from the chart's kind
    axis: int = 0  # 1: the right-hand axis (a ratio beside amounts)
    places: int = 0  # decimal places shown in the table
    tone: str = ""  # "bad" (overdue: red), "good" (done: green), "later" (not due yet: grey); else the palette


@dataclass
class Chart:
    key: str  # unique on its page: the DOM ids derive from it
    title: str
    category_label: str  # header of the table's first column
    categories: list  # str, int (a year) or date
    series: list[Series]
    kind: str = "bar"
    unit: str = ""  # shown in the caption, e.g. "yuan"
    line: tuple | None = None  # (value, label): a reference line, e.g. the ¥2,000,000 line
    mark_date: tuple | None = None  # (date, label): a vertical line on a time axis, e.g. the deadline
    notes: list[str] = field(default_factory=list)  # under the caption: what the figures mean
    extra_columns: list[tuple[str, list[str]]] = field(default_factory=list)  # table only: (header, cells)
    axis_names: tuple[str, str] = ("", "")  # names of the left and right value axes (heatmap: rows, columns)
    flags: list[bool] = field(default_factory=list)  # per category: drawn in red (e.g. divergent scores)

    @property
    def dom_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def headers(self) -> list[str]:
        return [self.category_label, *(s.name for s in self.series), *(h for h, _cells in self.extra_columns)]

    @property
    def wide(self) -> bool:
        """Too many columns to sit beside the chart: the table goes under it."""
        return len(self.headers) > 4 or sum(len(str(h)) for h in self.headers) > 60

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """(category, cells) per category, formatted exactly as the table shows them."""
        out = []
        for i, category in enumerate(self.categories):
            cells = [_cell(s.values[i], s.places) for s in self.series]
            cells += [cells_[i] for _h, cells_ in self.extra_columns]
            out.append((_label(category), cells))
        return out

    @property
    def spec(self) -> dict:
        """What charts.js draws: labels and values as strings (the table holds the exact figures)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": [_label(c) for c in self.categories],
            "series": [{"name": s.name, "values": [_raw(v) for v in s.values], "kind": s.kind, "axis": s.axis,
                        "tone": s.tone}
                       for s in self.series],
            "line": {"value": _raw(self.line[0]), "label": str(self.line[1])} if self.line else None,
            "markDate": {"value": _label(self.mark_date[0]), "label": str(self.mark_date[1])}
            if self.mark_date else None,
            "axisNames": [str(n) for n in self.axis_names],
            "flags": list(self.flags),
            "integer": all(s.places == 0 for s in self.series),
        }


def _label(category) -> str:
    if isinstance(category, date):
        return category.isoformat()
    return str(category)


def _raw(value):
    if value is None:
        return None
    return str(value)


def _cell(value, places: int) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | float | int):
        return f"{value:,.{places}f}"  # the same grouping in both languages: 1,234,567.00
    return str(value)
