"""Experts stay anonymous to applicants (DESIGN §3): no notification to the applicant side names them.

Messages never name the actor; this removes, in addition, any assigned expert's name that an officer's free-text
reason may quote before it reaches an applicant.
"""
from poc.models import Application

from .recipients import follow

MASK = "***"
# Where the application is, from the objects notifications are about.
APPLICATION_PATHS = ("", "application", "assignment.application", "decision.application", "center.application",
                     "project.application")


def application_of(obj):
    for path in APPLICATION_PATHS:
        candidate = follow(obj, path)
        if isinstance(candidate, Application):
            return candidate
    return None


def expert_names(application) -> list[str]:
    """Every name by which an expert assigned to ``application`` (now or before) could be recognised."""
    assignments = getattr(application, "assignments", None) if application is not None else None
    if assignments is None:  # the review app is not installed
        return []
    names = set()
    for assignment in assignments.select_related("expert__user"):
        expert = assignment.expert
        user = expert.user
        names.update({expert.name, user.get_full_name(), user.username, user.email})
    return sorted((n.strip() for n in names if n and len(n.strip()) >= 2), key=len, reverse=True)


def without_names(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, MASK)
    return text
