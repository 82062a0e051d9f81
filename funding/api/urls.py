"""``/api/v1/``: the funding resources (DESIGN §4), mounted beside poc's and review's in config/urls.py.

Own router (no API root: poc's serves ``/api/v1/``) and own namespace ``funding-api``.
"""
from poc.api.routers import make_router

from . import conversions, decisions, funds, investments, monitoring, obligations, rounds, tranches

app_name = "funding-api"

router = make_router(root_view=False)
router.register("funds", funds.FundViewSet, basename="fund")
router.register("funding-decisions", decisions.FundingDecisionViewSet, basename="funding-decision")
router.register("investments", investments.InvestmentViewSet, basename="investment")
router.register("investments/<int:investment_pk>/marks", investments.ValuationMarkViewSet, basename="investment-marks")
router.register("exits", investments.ExitViewSet, basename="exit")
router.register("tranches", tranches.TrancheViewSet, basename="tranche")
router.register("financing-rounds", rounds.FinancingRoundViewSet, basename="financing-round")
router.register("conversions", conversions.ConversionViewSet, basename="conversion")
router.register("reports", monitoring.QuarterlyReportViewSet, basename="report")
router.register("material-events", monitoring.MaterialEventViewSet, basename="material-event")
router.register("risks", monitoring.RiskViewSet, basename="risk")
router.register("insurance-policies", monitoring.InsurancePolicyViewSet, basename="insurance-policy")
router.register("obligations", obligations.ObligationViewSet, basename="obligation")
router.register("tech-contracts", obligations.TechContractViewSet, basename="tech-contract")
router.register("tech-contracts/<int:contract_pk>/payments", obligations.ContractPaymentViewSet,
                basename="tech-contract-payments")

urlpatterns = router.urls
