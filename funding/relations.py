"""Relations of funding, decided from its own rows: the fund's group, the decision's fund, the investee
institution (see poc/access/ for the vocabulary).

Each relation is named from the object it is asked about, so a policy reads as a sentence:
``officer | fund_of_decision`` on a decision, ``officer | fund_of_record`` on a tranche or a risk.
"""
from django.utils.translation import gettext_lazy as _

from poc.access import Relation, fund_manager, fund_manager_of, member_of, officer

# The managers of the fund asked to invest in an application's project (a decision proposed for it).
fund_manager_of_application = fund_manager_of(
    "funding_decision__fund", refusal=_("Only the managers of the fund deciding on this project can do this."))

# On a fund: its own managers.
manager_of_fund = fund_manager_of("")
# On a decision: the managers of its fund; the members of the applicant (investee) institution.
fund_of_decision = fund_manager_of("fund")
investee = member_of("application__institution")
# On a record of a decision (tranche, round, conversion, report, event, risk, insurance).
fund_of_record = fund_manager_of("decision__fund")
investee_of_record = member_of("decision__application__institution")
# On an investment: the fund that holds it; on its exits and marks: the same fund.
fund_of_investment = fund_manager_of("fund")
fund_of_holding = fund_manager_of("investment__fund")
# On a project (its transfer obligation): the project's institution; the managers of the fund that decided on it.
project_member = member_of("institution")
fund_of_project = fund_manager_of("application__funding_decision__fund")
# On a technology contract and on a payment received on one.
contract_member = member_of("project__institution")
fund_of_contract = fund_manager_of("project__application__funding_decision__fund")
payment_member = member_of("contract__project__institution")
fund_of_payment = fund_manager_of("contract__project__application__funding_decision__fund")

# Bureau officers and fund managers by role: who keeps a fund's records at all (checked before any input).
fund_staff = (officer | fund_manager).refusing(
    _("Only bureau officers and fund managers keep the fund's records."))


def tranche_actor(refusal_grant, refusal_equity) -> Relation:
    """Grant tranches are released and paid by the bureau; equity tranches by the managers of the decision's fund."""

    def test(tranche, user):
        from .models import TranchePart

        if tranche.part == TranchePart.GRANT:
            return officer.holds(user, tranche)
        return fund_of_record.holds(user, tranche)

    actor = Relation("tranche_actor", test, None, refusal_grant)

    def check(tranche, user=None):
        from .models import TranchePart

        if test(tranche, user):
            return None
        return refusal_grant if tranche.part == TranchePart.GRANT else refusal_equity

    actor.check = check
    return actor
