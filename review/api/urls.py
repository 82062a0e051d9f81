"""``/api/v1/``: the review resources (DESIGN §4), mounted beside poc's in config/urls.py.

Own router (no API root: poc's serves ``/api/v1/``) and own namespace ``review-api``; the call-level
resources (``calls/{id}/review-plan/``, ``ranking/``, ``auto-assign/``, ``random-draw/``) are plain paths
here, because poc's CallViewSet may not import review (layering: poc ← review).
"""
from django.urls import path

from poc.api.routers import make_router

from . import views

app_name = "review-api"

router = make_router(root_view=False)
router.register("experts", views.ExpertViewSet, basename="expert")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("reviews", views.ReviewViewSet, basename="review")

urlpatterns = [
    path("calls/<int:pk>/review-plan/", views.ReviewPlanView.as_view(), name="call-review-plan"),
    path("calls/<int:pk>/ranking/", views.RankingView.as_view(), name="call-ranking"),
    path("calls/<int:pk>/auto-assign/", views.AutoAssignView.as_view(), name="call-auto-assign"),
    path("calls/<int:pk>/random-draw/", views.RandomDrawView.as_view(), name="call-random-draw"),
    *router.urls,
]
