from .applications import (
    Application,
    ApplicationGroupObjectPermission,
    ApplicationState,
    ApplicationUserObjectPermission,
    BudgetLine,
    CenterDetails,
    IPItem,
    Objection,
    PlannedMilestone,
    ProjectDetails,
    ServiceOffered,
    SiteVisit,
    TeamMember,
)
from .attachments import Attachment
from .audit import ImmutableRecordError, TransitionLog
from .calls import CENTER_KINDS, PROJECT_KINDS, ApplicationKind, AttachmentType, Call
from .centers import AnnualEvaluation, Center, CenterState, EvaluationEvidence, EvaluationState, Grade
from .disciplines import Discipline
from .documents import IssuedDocument
from .institutions import Institution, InstitutionType, Membership
from .jobs import BackgroundJob, JobState
from .notifications import Notification, NotificationPreference, OutboxMessage
from .outcomes import create_outcome
from .projects import Acceptance, ChangeRequest, Project, ProjectMilestone, ProjectState, judge_acceptance

__all__ = [
    "BackgroundJob", "JobState",
    "Notification", "NotificationPreference", "OutboxMessage",
    "IssuedDocument",
    "Acceptance", "AnnualEvaluation", "ChangeRequest", "EvaluationEvidence", "EvaluationState", "Grade",
    "ProjectMilestone", "create_outcome", "judge_acceptance",
    "Application", "ApplicationGroupObjectPermission", "ApplicationKind", "ApplicationState",
    "ApplicationUserObjectPermission", "Attachment", "AttachmentType", "BudgetLine", "CENTER_KINDS", "Call",
    "Center", "CenterDetails", "Discipline", "CenterState", "IPItem", "ImmutableRecordError", "Institution", "InstitutionType",
    "Membership", "Objection", "PROJECT_KINDS", "PlannedMilestone", "Project", "ProjectDetails", "ProjectState",
    "ServiceOffered", "SiteVisit", "TeamMember", "TransitionLog",
]
