"""``/api/v1/``: the poc resources (DESIGN §4)."""
from django.urls import path

from . import after_approval, views
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
# Life after approval: designated centers and their annual evaluations, funded projects.
router.register("centers", after_approval.CenterViewSet, basename="center")
router.register("evaluations", after_approval.EvaluationViewSet, basename="evaluation")
router.register("evaluations/<int:evaluation_pk>/evidence", after_approval.EvidenceViewSet,
                basename="evaluation-evidence")
router.register("projects", after_approval.ProjectViewSet, basename="project")
router.register("milestones", after_approval.ProjectMilestoneViewSet, basename="project-milestone")
router.register("change-requests", after_approval.ChangeRequestViewSet, basename="change-request")
router.register("acceptances", after_approval.AcceptanceViewSet, basename="acceptance")
router.register("public/centers", after_approval.PublicCenterViewSet, basename="public-center")

urlpatterns = [
    path("auth/token/", views.ObtainTokenView.as_view(), name="auth-token"),
    *router.urls,
]
