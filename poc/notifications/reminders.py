"""poc's reminders before and after deadlines, run by beat (poc.tasks.send_reminders).

Each reminder is keyed by (kind, subject, due date): running a check again, the same day or the next, finds the
notifications already there and sends nothing; a new due date (an extension, a new year) is a new reminder.
"Due" reminders go to whoever must act; "overdue" ones to them and to the bureau's officers.

The checks here read poc's own data and are registered from ``PocConfig.ready()`` (:data:`REMINDERS`); an app
above poc registers the reminders about its own data the same way (the expert review's deadlines), with
:func:`remind` doing the sending for all of them.
"""
from datetime import date, datetime, timedelta

from django.utils import timezone

from poc.horizons import EXPIRY_WARNING_DAYS, OBLIGATION_WARNING_DAYS
from poc.models import (
    AnnualEvaluation,
    Application,
    ApplicationState,
    Center,
    CenterState,
    EvaluationState,
    Project,
    ProjectMilestone,
    ProjectState,
)

from .delivery import deliver
from .recipients import members_of, officers, together
from .registry import Reminder, reminder_checks, unfulfilled_obligations
from .rules import NotificationRule

MILESTONE_DUE_DAYS = 7


def reminder_key(kind: str, subject, due) -> str:
    if isinstance(due, datetime):
        due = timezone.localtime(due).strftime("%Y-%m-%dT%H:%M")
    elif isinstance(due, date):
        due = due.isoformat()
    return f"{kind}:{subject._meta.label_lower}:{subject.pk}:{due}"


def remind(rule, subject, due, facts=None) -> int:
    """Notify ``rule``'s audience about ``subject`` due ``due``, once per (kind, subject, due date)."""
    users = list(rule.audience(subject))
    return len(deliver(rule, subject, users, key=reminder_key(rule.kind, subject, due), facts=facts))


# ------------------------------------------------------------------ applications

NOTICE_ENDED = NotificationRule("public_notice_ended", officers, url="application-detail")


def public_notices(today=None) -> int:
    """Applications whose public notice is over (notice_ends_on < today): the officers can approve them."""
    today = today or timezone.localdate()
    count = 0
    for application in Application.objects.filter(state=ApplicationState.PUBLIC_NOTICE, notice_ends_on__lt=today):
        count += remind(NOTICE_ENDED, application, application.notice_ends_on, {"date": application.notice_ends_on})
    return count


# ------------------------------------------------------------------ projects

PROJECT_TEAM = members_of("project.institution")
MILESTONE_DUE = NotificationRule("milestone_due", PROJECT_TEAM, about="project", url="project-detail",
                                 applicant_facing=True)
MILESTONE_OVERDUE = NotificationRule("milestone_overdue", together(PROJECT_TEAM, officers), about="project",
                                     url="project-detail", applicant_facing=True)


def milestones(today=None) -> int:
    """Unreported milestones of projects being executed, due within 7 days (inclusive) or past due."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=MILESTONE_DUE_DAYS)
    count = 0
    for milestone in (ProjectMilestone.objects.filter(project__state__in=ProjectState.EXECUTING, reported_at__isnull=True,
                                                      due_on__isnull=False, due_on__lte=horizon)
                      .select_related("project__institution__group")):
        rule = MILESTONE_OVERDUE if milestone.due_on < today else MILESTONE_DUE
        count += remind(rule, milestone, milestone.due_on, {"date": milestone.due_on, "detail": milestone.title})
    return count


OWNERS = members_of("institution")
OBLIGATION_DUE = NotificationRule("obligation_due", OWNERS, url="project-detail", applicant_facing=True)
OBLIGATION_OVERDUE = NotificationRule("obligation_overdue", together(OWNERS, officers), url="project-detail",
                                      applicant_facing=True)


def obligations(today=None) -> int:
    """Unfulfilled conversion obligations due within OBLIGATION_WARNING_DAYS (inclusive) or overdue, on projects
    not terminated. What fulfils one is registered by the app that records it (``unfulfilled_obligations``)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=OBLIGATION_WARNING_DAYS)
    projects = unfulfilled_obligations(Project.objects.exclude(state=ProjectState.TERMINATED)
                                       .filter(obligation_due_on__isnull=False, obligation_due_on__lte=horizon))
    count = 0
    for project in projects.select_related("institution__group").distinct():
        rule = OBLIGATION_OVERDUE if project.obligation_due_on < today else OBLIGATION_DUE
        count += remind(rule, project, project.obligation_due_on, {"date": project.obligation_due_on})
    return count


# ------------------------------------------------------------------ centers

EVALUATION_WINDOW = NotificationRule("evaluation_window", OWNERS, url="center-detail", applicant_facing=True)
VALIDITY = NotificationRule("center_validity_expiring", OWNERS, url="center-detail", applicant_facing=True)


def evaluation_window(today=None) -> int:
    """In January, every center in force that has not filed last year's evaluation is told the window is open."""
    today = today or timezone.localdate()
    if today.month != 1:
        return 0
    year = today.year - 1
    filed = AnnualEvaluation.objects.filter(data_year=year, state__in=[EvaluationState.FILED, EvaluationState.SCORED])
    count = 0
    for center in (Center.objects.filter(state__in=CenterState.IN_FORCE, designated_on__year__lte=year)
                   .exclude(pk__in=filed.values("center_id")).select_related("institution__group")):
        count += remind(EVALUATION_WINDOW, center, year, {"year": year})
    return count


def center_validity(today=None) -> int:
    """Centers in force whose designation ends within EXPIRY_WARNING_DAYS (inclusive)."""
    today = today or timezone.localdate()
    count = 0
    for center in Center.objects.filter(state__in=CenterState.IN_FORCE, valid_until__gte=today,
                                        valid_until__lte=today + timedelta(days=EXPIRY_WARNING_DAYS)):
        count += remind(VALIDITY, center, center.valid_until, {"date": center.valid_until})
    return count


REMINDERS = (
    Reminder("public_notices", public_notices, (NOTICE_ENDED,)),
    Reminder("milestones", milestones, (MILESTONE_DUE, MILESTONE_OVERDUE)),
    Reminder("obligations", obligations, (OBLIGATION_DUE, OBLIGATION_OVERDUE)),
    Reminder("evaluation_window", evaluation_window, (EVALUATION_WINDOW,)),
    Reminder("center_validity", center_validity, (VALIDITY,)),
)


def run(*names: str) -> dict[str, int]:
    """Run the named registered checks (all without names); return the notifications each stands for."""
    return reminder_checks.run(*names)
