"""The fund manager's dashboard: the funds they manage, in charts beside their data tables."""
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..charts import fund_dashboard
from .common import fund_manager, requires


@requires(fund_manager)
def dashboard(request):
    return render(request, "poc/dashboard.html", {
        "title": _("Fund dashboard"),
        "intro": _("Commitments against each fund's size, returns by vintage year, valuation marks, convertible "
                   "grants and the risk register of the funds you manage."),
        "charts": fund_dashboard(request.user),
    })
