"""Who may view, change and do what with funding's objects; and what funding adds to poc's policy.

Read top to bottom, this page is the access policy of ``funding`` (the vocabulary is in poc/access/,
funding's own relations in :mod:`funding.relations`):

* officers see everything; a fund's managers see their fund, its decisions and every record of them
  (investments, tranches, rounds, exits, marks, reports, events, risks, insurance) and the obligations
  of the projects their funds decided on;
* the investee institution sees its own decisions, the quarterly reports and material events it files,
  and its projects' obligations and technology contracts; never a fund's holdings;
* each use case of the services is an action here, refused in the words the step has always used.

The managers of the fund asked to invest view the project's application from the moment a decision
is proposed (the decision row decides, no grant to keep in step). Transitions declare their own
``permission=`` on the models (funding.rules) and ``can(user, "approve_grant", decision)`` reads them.
"""
from django.utils.translation import gettext_lazy as _

from poc.access import Policy, officer, policy_for

from .relations import (
    contract_member,
    fund_manager_of_application,
    fund_of_contract,
    fund_of_decision,
    fund_of_holding,
    fund_of_investment,
    fund_of_payment,
    fund_of_project,
    fund_of_record,
    investee,
    investee_of_record,
    manager_of_fund,
    payment_member,
    project_member,
)

# Officers and the managers of the decision's fund: the decision's ledgers and its equity terms.
decision_staff = officer | fund_of_decision
# The investee or the fund's managers: who files what the investee owes (quarterly reports, material events).
decision_reporters = investee | fund_of_decision

fund = Policy(
    "funding.Fund",
    view=officer | manager_of_fund,
    manage=manager_of_fund,
    create=officer.refusing(_("Only bureau officers can register a fund.")),
    appoint_manager=officer.refusing(_("Only bureau officers can appoint fund managers.")),
    set_entry_rules=(officer | manager_of_fund).refusing(_("Only bureau officers or the fund's managers can set its "
                                                            "entry rules.")),
)
funding_decision = Policy(
    "funding.FundingDecision",
    view=officer | fund_of_decision | investee,
    # The ledgers (investments, tranches, rounds, risks) and the equity terms: never the investee's.
    manage=decision_staff,
    view_equity_terms=decision_staff,
    create=officer.refusing(_("Only bureau officers can propose a funding decision.")),
    record_investment=fund_of_decision.refusing(_("Only a manager of this decision's fund can record its "
                                                  "investment.")),
    plan_grant_tranche=officer.refusing(_("Grant tranches are planned by the bureau, equity tranches by the fund's "
                                          "managers.")),
    plan_equity_tranche=fund_of_decision.refusing(_("Grant tranches are planned by the bureau, equity tranches by "
                                                    "the fund's managers.")),
    record_round=decision_staff.refusing(_("Only bureau officers or the fund's managers can record a financing "
                                           "round.")),
    file_report=decision_reporters.refusing(_("Only the investee or the fund's managers can file a quarterly "
                                              "report.")),
    report_event=decision_reporters.refusing(_("Only the investee or the fund's managers can report a material "
                                               "event.")),
    identify_risk=decision_staff.refusing(_("Only bureau officers or the fund's managers keep the risk register.")),
    add_insurance=decision_staff.refusing(_("Only bureau officers or the fund's managers record insurance.")),
)
investment = Policy(
    "funding.Investment",
    view=officer | fund_of_investment,
    record_exit=fund_of_investment.refusing(_("Only the fund's managers can record an exit.")),
    mark_value=fund_of_investment.refusing(_("Only the fund's managers can mark a valuation.")),
)
tranche = Policy("funding.Tranche", view=officer | fund_of_record)
financing_round = Policy("funding.FinancingRound", view=officer | fund_of_record)
conversion = Policy("funding.Conversion", view=officer | fund_of_record)
exit_ = Policy("funding.Exit", view=officer | fund_of_holding)
valuation_mark = Policy("funding.ValuationMark", view=officer | fund_of_holding)
quarterly_report = Policy("funding.QuarterlyReport", view=officer | fund_of_record | investee_of_record)
material_event = Policy("funding.MaterialEvent", view=officer | fund_of_record | investee_of_record)
risk = Policy("funding.Risk", view=officer | fund_of_record)
insurance_policy = Policy("funding.InsurancePolicy", view=officer | fund_of_record)
tech_contract = Policy(
    "funding.TechContract",
    view=officer | contract_member | fund_of_contract,
    record_payment=(officer | contract_member).refusing(_("Only the project's institution or a bureau officer can "
                                                          "record a payment.")),
)
contract_payment = Policy("funding.ContractPayment", view=officer | payment_member | fund_of_payment)

# poc's objects, widened from here (poc never names funding).
policy_for("poc.Application").widen("view", fund_manager_of_application)
# A project's transfer obligation (转化义务): the project's institution, officers, the fund that decided on it.
project = policy_for("poc.Project")
project.widen("view_obligation", officer | project_member | fund_of_project)
project.widen("register_contract", (officer | project_member).refusing(
    _("Only the project's institution or a bureau officer can register a contract.")))
