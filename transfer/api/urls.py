"""``/api/v1/``: the transfer resources, mounted beside the other apps' in config/urls.py (namespace transfer-api)."""
from poc.api.routers import make_router

from . import results, views

app_name = "transfer-api"

router = make_router(root_view=False)
router.register("results", results.ResultViewSet, basename="result")
router.register("detail-requests", results.DetailRequestViewSet, basename="detail-request")
router.register("matches", results.MatchViewSet, basename="match")
router.register("demands", views.DemandViewSet, basename="demand")
router.register("roadshows", views.RoadshowViewSet, basename="roadshow")
router.register("licences", views.LicenceViewSet, basename="licence")
router.register("public/results", results.PublicResultViewSet, basename="public-result")
router.register("public/demands", views.PublicDemandViewSet, basename="public-demand")

router.register("transfer-board", views.BoardViewSet, basename="board")

urlpatterns = router.urls
