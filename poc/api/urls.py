"""``/api/v1/``: the poc resources (DESIGN §4)."""
from django.urls import path

from . import views
from .routers import make_router

app_name = "api"

router = make_router()
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("calls", views.CallViewSet, basename="call")
router.register("disciplines", views.DisciplineViewSet, basename="discipline")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("applications/<int:application_pk>/ip-items", views.IPItemViewSet, basename="application-ip-items")
router.register("applications/<int:application_pk>/team-members", views.TeamMemberViewSet,
                basename="application-team-members")
router.register("applications/<int:application_pk>/budget-lines", views.BudgetLineViewSet,
                basename="application-budget-lines")
router.register("applications/<int:application_pk>/milestones", views.MilestoneViewSet,
                basename="application-milestones")
router.register("applications/<int:application_pk>/attachments", views.AttachmentViewSet,
                basename="application-attachments")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="auth-token"),
    *router.urls,
]
