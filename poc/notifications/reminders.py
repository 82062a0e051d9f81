"""Reminders before and after deadlines, run by beat (poc.tasks.send_reminders).

Each reminder is keyed by (kind, subject, due date): running a check again, the same day or the next, finds the
notifications already there and sends nothing; a new due date (an extension, a new year) is a new reminder.
"Due" reminders go to whoever must act; "overdue" ones to them and to the bureau's officers.
"""
from datetime import date, datetime, timedelta

from django.apps import apps
from django.core.exceptions import FieldError
from django.db.models import Q
from django.utils import timezone

from poc.models import (
    AnnualEvaluation,
    Application,
    Center,
    EvaluationState,
    Project,
    ProjectMilestone,
    ProjectState,
)

from .delivery import deliver
from .recipients import members_of, officers, together, user_at
from .rules import NotificationRule

REVIEW_DUE_DAYS = 2
MILESTONE_DUE_DAYS = 7
OBLIGATION_DUE_DAYS = 30
VALIDITY_DUE_DAYS = 90
CENTER_IN_FORCE = ("active", "rectifying")
EXECUTING = (ProjectState.IN_PROGRESS, ProjectState.RECTIFYING)


def reminder_key(kind: str, subject, due) -> str:
    if isinstance(due, datetime):
        due = timezone.localtime(due).strftime("%Y-%m-%dT%H:%M")
    elif isinstance(due, date):
        due = due.isoformat()
    return f"{kind}:{subject._meta.label_lower}:{subject.pk}:{due}"


def _remind(rule, subject, due, facts=None) -> int:
    users = list(rule.audience(subject))
    return len(deliver(rule, subject, users, key=reminder_key(rule.kind, subject, due), facts=facts))


def _minute(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# ------------------------------------------------------------------ reviews (the review app's Review)

EXPERT = user_at("assignment.expert.user")
REVIEW_DUE = NotificationRule("review_due", EXPERT, url="review:review", label="assignment.application")
REVIEW_OVERDUE = NotificationRule("review_overdue", together(EXPERT, officers), url="review:review",
                      label="assignment.application")


def reviews(now=None) -> int:
    """Draft reviews of active assignments due within 2 days, and those past their deadline."""
    try:
        review_model = apps.get_model("review", "Review")
    except LookupError:
        return 0
    now = now or timezone.now()
    horizon = now + timedelta(days=REVIEW_DUE_DAYS)
    candidates = (review_model.objects
                  .filter(state="draft", assignment__state="active", assignment__application__state="under_review")
                  .filter(Q(extended_until__lte=horizon)
                          | Q(extended_until__isnull=True, assignment__application__call__review_plan__deadline__lte=horizon))
                  .select_related("assignment__expert__user", "assignment__application__call__review_plan"))
    count = 0
    for review in candidates:
        deadline = review.deadline  # the rule's own definition: an extension, else the call's plan
        if deadline is None or deadline > horizon:
            continue
        rule = REVIEW_OVERDUE if now > deadline else REVIEW_DUE
        count += _remind(rule, review, deadline, {"date": _minute(deadline)})
    return count


# ------------------------------------------------------------------ applications

NOTICE_ENDED = NotificationRule("public_notice_ended", officers, url="application-detail")


def public_notices(today=None) -> int:
    """Applications whose public notice is over (notice_ends_on < today): the officers can approve them."""
    today = today or timezone.localdate()
    count = 0
    for application in Application.objects.filter(state="public_notice", notice_ends_on__lt=today):
        count += _remind(NOTICE_ENDED, application, application.notice_ends_on, {"date": application.notice_ends_on})
    return count


# ------------------------------------------------------------------ projects

PROJECT_TEAM = members_of("project.institution")
MILESTONE_DUE = NotificationRule("milestone_due", PROJECT_TEAM, about="project", url="project-detail", applicant_facing=True)
MILESTONE_OVERDUE = NotificationRule("milestone_overdue", together(PROJECT_TEAM, officers), about="project",
                         url="project-detail", applicant_facing=True)


def milestones(today=None) -> int:
    """Unreported milestones of projects being executed, due within 7 days (inclusive) or past due."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=MILESTONE_DUE_DAYS)
    count = 0
    for milestone in (ProjectMilestone.objects.filter(project__state__in=EXECUTING, reported_at__isnull=True,
                                                      due_on__isnull=False, due_on__lte=horizon)
                      .select_related("project__institution__group")):
        rule = MILESTONE_OVERDUE if milestone.due_on < today else MILESTONE_DUE
        count += _remind(rule, milestone, milestone.due_on, {"date": milestone.due_on, "detail": milestone.title})
    return count


OWNERS = members_of("institution")
OBLIGATION_DUE = NotificationRule("obligation_due", OWNERS, url="project-detail", applicant_facing=True)
OBLIGATION_OVERDUE = NotificationRule("obligation_overdue", together(OWNERS, officers), url="project-detail",
                          applicant_facing=True)


def unfulfilled_obligations(projects):
    """Projects without a registered technology contract (funding.TechContract, reached by its reverse relation
    ``tech_contracts``: registering one fulfils the conversion obligation). Without the funding app, all."""
    try:
        return projects.filter(tech_contracts__isnull=True)
    except FieldError:
        return projects


def obligations(today=None) -> int:
    """Conversion obligations due within 30 days (inclusive) or overdue, on projects not terminated."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=OBLIGATION_DUE_DAYS)
    projects = unfulfilled_obligations(Project.objects.exclude(state=ProjectState.TERMINATED)
                                       .filter(obligation_due_on__isnull=False, obligation_due_on__lte=horizon))
    count = 0
    for project in projects.select_related("institution__group").distinct():
        rule = OBLIGATION_OVERDUE if project.obligation_due_on < today else OBLIGATION_DUE
        count += _remind(rule, project, project.obligation_due_on, {"date": project.obligation_due_on})
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
    for center in (Center.objects.filter(state__in=CENTER_IN_FORCE, designated_on__year__lte=year)
                   .exclude(pk__in=filed.values("center_id")).select_related("institution__group")):
        count += _remind(EVALUATION_WINDOW, center, year, {"year": year})
    return count


def center_validity(today=None) -> int:
    """Centers in force whose designation ends within 90 days (inclusive)."""
    today = today or timezone.localdate()
    count = 0
    for center in Center.objects.filter(state__in=CENTER_IN_FORCE, valid_until__gte=today,
                                        valid_until__lte=today + timedelta(days=VALIDITY_DUE_DAYS)):
        count += _remind(VALIDITY, center, center.valid_until, {"date": center.valid_until})
    return count


CHECKS = {
    "reviews": reviews,
    "public_notices": public_notices,
    "milestones": milestones,
    "obligations": obligations,
    "evaluation_window": evaluation_window,
    "center_validity": center_validity,
}


def run(*names: str) -> dict[str, int]:
    """Run the named checks (all without names); return the notifications each stands for."""
    return {name: CHECKS[name]() for name in (names or CHECKS)}
