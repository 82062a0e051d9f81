"""Exports people take into their own reports: one framework for every table, CSV and XLSX alike.

An app describes an export once and registers it (from its ``AppConfig.ready()``; poc never names the apps
above it)::

    register(Export("applications", _("Applications"), who=SIGNED_IN, source=applications,
                    params=("q", "call", "state", "kind")))

``source(user, params)`` returns a :class:`Table`: its columns (headers in the interface language, each with
its kind: text, date, money, number) and its rows, read through the same permission-filtered selectors as the
pages (``visible()``), so an export never holds a row its page would hide. ``who`` is the relation allowed to
export at all (everybody else is refused with its words); a source raises ``Http404`` for an object the user
may not see (a call of the ranking).

:func:`build` writes the table (:mod:`poc.exports.writers`: CSV in UTF-8 with a BOM, XLSX with dates and
money as typed cells); the page serves it at once (``poc.views.exports``) or, when it is large, a background
job does (``poc.tasks.run_export``, with the job's progress bar), and both give the same file.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from poc.access import Relation
from poc.errors import NotAllowed

TEXT, DATE, MONEY, NUMBER, INTEGER, YES_NO = "text", "date", "money", "number", "integer", "yes_no"
PERCENT = "percent"  # a stake in per cent, to four decimals
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """One column: its header (a lazy translation), how to read it from a row, and what kind of value it is."""

    header: Any
    value: Callable[[Any], Any]
    kind: str = TEXT


@dataclass
class Table:
    columns: Sequence[Column]
    rows: Iterable[Any]
    heading: Sequence[Sequence[Any]] = ()  # XLSX only: lines above the header (a ledger's fund and date)

    def count(self) -> int:
        if isinstance(self.rows, QuerySet):
            return self.rows.count()
        self.rows = list(self.rows)
        return len(self.rows)


@dataclass(frozen=True)
class Export:
    name: str  # in the URL and the file name: ``/exports/<name>.csv``
    title: Any  # the sheet's title, the background job's name
    who: Relation  # who may export at all; anyone else is refused in its words
    source: Callable[[Any, dict], Table]
    params: tuple[str, ...] = field(default=())  # the query parameters it reads (a list's filters, a call)

    def check(self, user) -> None:
        if not self.who.holds(user):
            raise NotAllowed(*self.who.reasons(None, user))

    def clean(self, params) -> dict[str, str]:
        """Only the parameters this export reads, as plain strings (a job stores them)."""
        return {key: str(params.get(key)) for key in self.params if params.get(key) not in (None, "")}

    def table(self, user, params) -> Table:
        self.check(user)
        return self.source(user, self.clean(params))


_EXPORTS: dict[str, Export] = {}


def register(export: Export) -> Export:
    """Offer ``export`` at ``/exports/<name>.csv`` and ``.xlsx`` (registered again: the last one wins)."""
    _EXPORTS[export.name] = export
    return export


def get_export(name: str) -> Export:
    try:
        return _EXPORTS[name]
    except KeyError:
        raise LookupError(f"no export named “{name}” is registered") from None


def registered_exports() -> dict[str, Export]:
    return dict(_EXPORTS)


def visible_param(user, params, key, model_or_queryset):
    """The object whose id is ``params[key]`` if ``user`` may view it; 404 otherwise (never say it exists)."""
    from poc.access.pages import visible_or_404

    value = str(params.get(key) or "")
    if not value.isdigit():
        raise Http404
    return visible_or_404(user, model_or_queryset, pk=int(value))


def file_name(export: Export, fmt: str) -> str:
    return f"{export.name}-{timezone.localdate():%Y%m%d}.{fmt}"


def build(user, name: str, fmt: str, params, progress: Callable[[int], Callable[[int], None]] | None = None):
    """``(file name, content)`` of export ``name`` in ``fmt`` for ``user``. ``progress``: given the number of
    rows, returns the callable told the rows written so far (``poc.jobs.Progress``)."""
    if fmt not in FORMATS:
        raise LookupError(f"no export format “{fmt}”")
    export = get_export(name)
    table = export.table(user, params)
    report = progress(table.count()) if progress is not None else None
    return write(export, fmt, table, report)


def write(export: Export, fmt: str, table: Table, progress: Callable[[int], None] | None = None):
    """``(file name, content)`` of ``table`` (read for ``export``) in ``fmt``."""
    from .writers import WRITERS

    return file_name(export, fmt), WRITERS[fmt](export.title, table, progress)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
