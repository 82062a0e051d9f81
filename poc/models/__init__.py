"""All models of the ``poc`` app (app label ``poc``), importable from one place.

The models of an aggregate live in its package (``poc.applications``, ``poc.institutions``, ``poc.centers``,
``poc.projects``); the ones here (audit, disciplines, issued documents, jobs, notifications) serve every part.
"""
from poc.applications.attachments import Attachment
from poc.applications.calls import CENTER_KINDS, PROJECT_KINDS, ApplicationKind, AttachmentType, Call
from poc.applications.details import (
    BudgetLine,
    CenterDetails,
    IPItem,
    PlannedMilestone,
    ProjectDetails,
    ServiceOffered,
    TeamMember,
)
from poc.applications.holidays import CalendarDay, NoticeDayKind
from poc.applications.models import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationState,
    ApplicationUserObjectPermission,
    Objection,
    SiteVisit,
)
from poc.applications.recommendations import DistrictRecommendation
from poc.centers.models import (
    AnnualEvaluation,
    Center,
    CenterState,
    EvaluationEvidence,
    EvaluationState,
    Grade,
)
from poc.institutions.models import District, Institution, InstitutionType, Membership
from poc.projects.models import (
    Acceptance,
    ChangeRequest,
    Project,
    ProjectMilestone,
    ProjectState,
    judge_acceptance,
)
from poc.projects.outcomes import create_outcome

from .audit import ImmutableRecordError, TransitionLog
from .disciplines import Discipline
from .documents import IssuedDocument
from .jobs import BackgroundJob, JobState
from .notifications import Notification, NotificationPreference, OutboxMessage

__all__ = [
    "BackgroundJob", "JobState",
    "Notification", "NotificationPreference", "OutboxMessage",
    "IssuedDocument",
    "Acceptance", "AnnualEvaluation", "ChangeRequest", "EvaluationEvidence", "EvaluationState", "Grade",
    "ProjectMilestone", "create_outcome", "judge_acceptance",
    "Application", "ApplicationGroupObjectPermission", "ApplicationKind", "ApplicationState",
    "ApplicationUserObjectPermission", "Attachment", "AttachmentType", "BudgetLine", "CENTER_KINDS", "Call", "CalendarDay",
    "Center", "CenterDetails", "Discipline", "District", "DistrictRecommendation", "CenterState", "IPItem", "ImmutableRecordError", "Institution", "InstitutionType",
    "Membership", "NoticeDayKind", "Objection", "PROJECT_KINDS", "PlannedMilestone", "Project", "ProjectDetails", "ProjectState",
    "ServiceOffered", "SiteVisit", "TeamMember", "TransitionLog",
]
