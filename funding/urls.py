"""Page URLs of the funding app (server-rendered), included under /funding/ with the namespace "funding"."""
from django.urls import path

from .views import dashboard, decisions, exports, funds, home, ledger, monitoring, obligations, rounds
from .views import documents as document_views

app_name = "funding"

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # funds and their ledgers
    path("funds/", funds.fund_list, name="funds"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund"),
    path("funds/<int:pk>/entry-rules/", funds.fund_entry_rules, name="fund-entry-rules"),
    path("funds/<int:pk>/investments.xlsx", exports.investments_xlsx, name="export-investments"),
    path("funds/<int:pk>/investments/background/", exports.investments_xlsx_background,
         name="export-investments-background"),
    path("funds/<int:pk>/tranches.xlsx", exports.tranches_xlsx, name="export-tranches"),
    # decisions and their dual approval
    path("decisions/", decisions.decision_list, name="decisions"),
    path("applications/<int:application_pk>/propose/", decisions.propose, name="propose"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/steps/<slug:name>/", decisions.decision_step, name="decision-step"),
    # investments and tranches
    path("decisions/<int:pk>/ledger/", ledger.ledger, name="ledger"),
    path("decisions/<int:pk>/investments/", ledger.investment_add, name="investment-add"),
    path("decisions/<int:pk>/stake/", ledger.stake_preview, name="stake-preview"),
    path("decisions/<int:pk>/tranches/", ledger.tranche_add, name="tranche-add"),
    path("tranches/<int:pk>/steps/<slug:name>/", ledger.tranche_step, name="tranche-step"),
    path("investments/<int:pk>/agreement/", ledger.agreement, name="agreement"),
    # rounds, conversion, exits, marks
    path("decisions/<int:pk>/rounds/", rounds.rounds, name="rounds"),
    path("decisions/<int:pk>/rounds/new/", rounds.round_add, name="round-add"),
    path("decisions/<int:pk>/conversion/<slug:name>/", rounds.conversion_step, name="conversion-step"),
    path("decisions/<int:pk>/exits/", rounds.exit_add, name="exit-add"),
    path("decisions/<int:pk>/buyback/", rounds.buyback_preview, name="buyback-preview"),
    path("decisions/<int:pk>/marks/", rounds.mark_add, name="mark-add"),
    # post-investment
    path("decisions/<int:pk>/monitoring/", monitoring.monitoring, name="monitoring"),
    path("decisions/<int:pk>/reports/", monitoring.report_add, name="report-add"),
    path("decisions/<int:pk>/events/", monitoring.event_add, name="event-add"),
    path("decisions/<int:pk>/risks/", monitoring.risk_add, name="risk-add"),
    path("risks/<int:pk>/steps/<slug:name>/", monitoring.risk_step, name="risk-step"),
    path("decisions/<int:pk>/insurance/", monitoring.insurance_add, name="insurance-add"),
    # transfer obligations and technology contracts
    path("projects/<int:pk>/obligations/", obligations.project_obligations, name="obligations"),
    path("projects/<int:pk>/contracts/", obligations.contract_add, name="contract-add"),
    path("contracts/<int:pk>/payments/", obligations.payment_add, name="payment-add"),
    path("contracts/<int:pk>/registration/", obligations.contract_register, name="contract-register"),
    path("contracts/<int:pk>/amendment/", obligations.contract_amend, name="contract-amend"),
    path("payments/<int:pk>/verify/", obligations.payment_decide, {"step": "verify"}, name="payment-verify"),
    path("payments/<int:pk>/refuse/", obligations.payment_decide, {"step": "refuse"}, name="payment-refuse"),
    path("obligations/major-series/", obligations.major_series, name="major-series"),
    path("obligations/overdue/", obligations.overdue, name="overdue-obligations"),
]

# the decision document (PDF, funding/views/documents.py): officers, the fund's managers, the applicant institution
urlpatterns += [
    path("decisions/<int:pk>/decision.pdf", document_views.decision_document, name="decision-document"),
]
