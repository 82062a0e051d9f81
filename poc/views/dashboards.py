"""The officer's dashboards: one call, and the whole programme. Each chart comes with its data table; the charts
are those registered for the dashboard (:mod:`poc.charts`), poc's own and those of the apps above it."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from poc.access.pages import visible_or_404
from poc.applications import selectors
from poc.charts import CALL, PROGRAMME, charts_for

from .common import officer_required


@officer_required
def call_dashboard(request, pk):
    call = visible_or_404(request.user, selectors.calls_visible_to(request.user), pk=pk)
    return render(request, "poc/dashboard_call.html", {
        "call": call, "charts": charts_for(CALL, request.user, call=call),
    })


@officer_required
def programme_dashboard(request):
    return render(request, "poc/dashboard.html", {
        "title": _("Programme dashboard"),
        "intro": _("Designated centers, funded projects and their obligations across the programme."),
        "charts": charts_for(PROGRAMME, request.user),
    })
