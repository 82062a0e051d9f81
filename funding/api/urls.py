"""``/api/v1/``: the funding resources (DESIGN §4), mounted beside poc's and review's in config/urls.py.

Own router (no API root: poc's serves ``/api/v1/``) and own namespace ``funding-api``.
"""
from poc.api.routers import make_router

from . import views

app_name = "funding-api"

router = make_router(root_view=False)
router.register("funds", views.FundViewSet, basename="fund")
router.register("funding-decisions", views.FundingDecisionViewSet, basename="funding-decision")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("investments/<int:investment_pk>/marks", views.ValuationMarkViewSet, basename="investment-marks")
router.register("exits", views.ExitViewSet, basename="exit")
router.register("tranches", views.TrancheViewSet, basename="tranche")
router.register("financing-rounds", views.FinancingRoundViewSet, basename="financing-round")
router.register("reports", views.QuarterlyReportViewSet, basename="report")
router.register("material-events", views.MaterialEventViewSet, basename="material-event")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("insurance-policies", views.InsurancePolicyViewSet, basename="insurance-policy")
router.register("obligations", views.ObligationViewSet, basename="obligation")
router.register("tech-contracts", views.TechContractViewSet, basename="tech-contract")
router.register("tech-contracts/<int:contract_pk>/payments", views.ContractPaymentViewSet,
                basename="tech-contract-payments")

urlpatterns = router.urls
