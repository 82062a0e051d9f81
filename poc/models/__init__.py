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
from .disciplines import Discipline
from .audit import ImmutableRecordError, TransitionLog
from .calls import CENTER_KINDS, PROJECT_KINDS, ApplicationKind, AttachmentType, Call
from .institutions import Institution, InstitutionType, Membership
from .outcomes import Center, CenterState, Project, ProjectState

__all__ = [
    "Application", "ApplicationGroupObjectPermission", "ApplicationKind", "ApplicationState",
    "ApplicationUserObjectPermission", "Attachment", "AttachmentType", "BudgetLine", "CENTER_KINDS", "Call",
    "Center", "CenterDetails", "Discipline", "CenterState", "IPItem", "ImmutableRecordError", "Institution", "InstitutionType",
    "Membership", "Objection", "PROJECT_KINDS", "PlannedMilestone", "Project", "ProjectDetails", "ProjectState",
    "ServiceOffered", "SiteVisit", "TeamMember", "TransitionLog",
]
