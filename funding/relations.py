"""Relations of funding, decided from the funding decision's rows (see poc/access/)."""
from django.utils.translation import gettext_lazy as _

from poc.access import fund_manager_of

# The managers of the fund asked to invest in an application's project (a decision proposed for it).
fund_manager_of_application = fund_manager_of(
    "funding_decision__fund", refusal=_("Only the managers of the fund deciding on this project can do this."))
