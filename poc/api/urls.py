"""``/api/v1/``: the poc resources (DESIGN §4)."""
from django.urls import path

from . import (
                application_parts,
                applications,
                auth,
                calls,
                centers,
                evaluations,
                exports,
                institutions,
                projects,
)
from .routers import make_router

app_name = "api"

router = make_router()
router.register("institutions", institutions.InstitutionViewSet, basename="institution")
router.register("memberships", institutions.MembershipViewSet, basename="membership")
router.register("calls", calls.CallViewSet, basename="call")
router.register("disciplines", calls.DisciplineViewSet, basename="discipline")
router.register("applications", applications.ApplicationViewSet, basename="application")
router.register("applications/<int:application_pk>/ip-items", application_parts.IPItemViewSet,
                basename="application-ip-items")
router.register("applications/<int:application_pk>/team-members", application_parts.TeamMemberViewSet,
                basename="application-team-members")
router.register("applications/<int:application_pk>/budget-lines", application_parts.BudgetLineViewSet,
                basename="application-budget-lines")
router.register("applications/<int:application_pk>/milestones", application_parts.MilestoneViewSet,
                basename="application-milestones")
router.register("applications/<int:application_pk>/attachments", application_parts.AttachmentViewSet,
                basename="application-attachments")
# Life after approval: designated centers and their annual evaluations, funded projects.
router.register("centers", centers.CenterViewSet, basename="center")
router.register("evaluations", evaluations.EvaluationViewSet, basename="evaluation")
router.register("evaluations/<int:evaluation_pk>/evidence", evaluations.EvidenceViewSet,
                basename="evaluation-evidence")
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("milestones", projects.ProjectMilestoneViewSet, basename="project-milestone")
router.register("change-requests", projects.ChangeRequestViewSet, basename="change-request")
router.register("acceptances", projects.AcceptanceViewSet, basename="acceptance")
router.register("public/centers", centers.PublicCenterViewSet, basename="public-center")
# Exports (poc.exports; review and funding register theirs): the file, as the pages serve it.
router.register("exports", exports.ExportViewSet, basename="export")

urlpatterns = [
    path("auth/token/", auth.ObtainTokenView.as_view(), name="auth-token"),
    *router.urls,
]
