"""Page forms: they parse and type the input; every write goes through the services of the aggregate packages."""
from .accounts import JoinSearchForm, LoginForm, RegisterForm
from .applications import (
    AttachmentForm,
    BasicsForm,
    BudgetLineForm,
    CenterDetailsForm,
    IPItemForm,
    MilestoneForm,
    PledgeForm,
    ProjectDetailsForm,
    ReviewPreferencesForm,
    TeamMemberForm,
)
from .base import attach_domain_error
from .calls import ApplyForm, CalendarDayForm, CallForm
from .institutions import InstitutionForm
from .officer import (
    ApplicationFilterForm,
    InstitutionFilterForm,
    ObjectionForm,
    SiteVisitForm,
    TransitionForm,
)

__all__ = [
    "ApplicationFilterForm", "ApplyForm", "CalendarDayForm", "AttachmentForm", "BasicsForm", "BudgetLineForm", "CallForm",
    "CenterDetailsForm", "IPItemForm", "InstitutionFilterForm", "InstitutionForm", "JoinSearchForm", "LoginForm",
    "MilestoneForm", "ObjectionForm", "PledgeForm", "ProjectDetailsForm", "RegisterForm", "ReviewPreferencesForm", "SiteVisitForm",
    "TeamMemberForm", "TransitionForm", "attach_domain_error",
]
