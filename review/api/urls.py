"""``/api/v1/``: the review resources (DESIGN §4), mounted beside poc's in config/urls.py.

Own router (no API root: poc's serves ``/api/v1/``) and own namespace ``review-api``; the call-level
resources (``calls/{id}/review-plan/``, ``ranking/``, ``auto-assign/``, ``random-draw/``) are plain paths
here, because poc's CallViewSet may not import review (layering: poc ← review).
"""
from django.urls import path

from poc.api.routers import make_router

from . import assignments, conflicts, experts, matching, plans, reviews

app_name = "review-api"

router = make_router(root_view=False)
router.register("experts", experts.ExpertViewSet, basename="expert")
router.register("assignments", assignments.AssignmentViewSet, basename="assignment")
router.register("conflicts", conflicts.ConflictViewSet, basename="conflict")
router.register("reviews", reviews.ReviewViewSet, basename="review")

urlpatterns = [
    path("calls/<int:pk>/review-plan/", plans.ReviewPlanView.as_view(), name="call-review-plan"),
    path("calls/<int:pk>/ranking/", plans.RankingView.as_view(), name="call-ranking"),
    path("calls/<int:pk>/auto-assign/", matching.AutoAssignView.as_view(), name="call-auto-assign"),
    path("calls/<int:pk>/random-draw/", matching.RandomDrawView.as_view(), name="call-random-draw"),
    *router.urls,
]
