"""Dashboards as registries of charts: poc draws its own, the apps above it register theirs.

A dashboard is a name ("call", "programme"). Each app registers builders into it from its
``AppConfig.ready()`` with :func:`register_chart`; poc never names them. A builder takes the viewing user
and the dashboard's context (a dict: ``{"call": …}``), reads its figures through the permission-filtered selectors and
returns a :class:`~poc.charts.chart.Chart`, or None when there is nothing the user may see.
"""
from collections.abc import Callable
from dataclasses import dataclass

from .chart import Chart

# The dashboards poc shows.
CALL = "call"  # one call: the officer's per-call dashboard
PROGRAMME = "programme"  # the whole programme: the officer's dashboard


@dataclass(frozen=True)
class Registered:
    order: int
    build: Callable[..., Chart | None]


_DASHBOARDS: dict[str, list[Registered]] = {}


def register_chart(dashboard: str, order: int, build: Callable[..., Chart | None]) -> None:
    """Show ``build(user, context)`` on ``dashboard`` at position ``order`` (registering it again: once)."""
    entries = _DASHBOARDS.setdefault(dashboard, [])
    if not any(entry.build is build for entry in entries):
        entries.append(Registered(order, build))
        entries.sort(key=lambda entry: entry.order)


def charts_for(dashboard: str, user, **context) -> list[Chart]:
    """The charts of ``dashboard`` for ``user``, in order. The builders share ``context``: one may keep a
    figure there that the next reuses (a call's ranking is computed once per page)."""
    charts = []
    for entry in _DASHBOARDS.get(dashboard, ()):
        chart = entry.build(user, context)
        if chart is not None:
            charts.append(chart)
    return charts
