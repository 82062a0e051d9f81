"""When a funded project may move (declared on Project's and ChangeRequest's transitions)."""
from django.utils.translation import gettext as _

from poc.rules import condition


@condition
def agreement_uploaded(project):
    if not project.agreement:
        return _("Upload the task agreement (任务书) signed by both sides first.")
    return None


@condition
def milestones_reported(project):
    pending = [m.title for m in project.milestones.all() if not m.reported_at]
    if pending:
        return _("Report progress on every milestone first; missing: %(list)s.") % {"list": "、".join(pending)}
    return None


def _acceptances(project):
    """The project's acceptance reviews, latest first (from the prefetched rows in a list)."""
    if "acceptances" in getattr(project, "_prefetched_objects_cache", {}):
        return sorted(project.acceptances.all(), key=lambda a: (a.attempt, a.pk), reverse=True)
    return None


def _latest(project):
    loaded = _acceptances(project)
    if loaded is not None:
        return loaded[0] if loaded else None
    return project.acceptances.order_by("-attempt", "-id").first()


@condition
def acceptance_passed(project):
    latest = _latest(project)
    if latest is None or latest.outcome != latest.Outcome.PASSED:
        return _("The latest acceptance review has not passed.")
    return None


@condition
def acceptance_needs_rectification(project):
    latest = _latest(project)
    if latest is None or latest.outcome != latest.Outcome.RECTIFY:
        return _("The latest acceptance review does not call for rectification.")
    loaded = _acceptances(project)
    retried = (any(a.attempt > 1 for a in loaded) if loaded is not None
               else project.acceptances.filter(attempt__gt=1).exists())
    if retried or project.rectification_due:
        return _("A project may rectify only once.")
    return None


@condition
def acceptance_failed(project):
    latest = _latest(project)
    if latest is None or latest.outcome not in (latest.Outcome.FAILED, latest.Outcome.RECTIFY):
        return _("The latest acceptance review has not failed.")
    if latest.outcome == latest.Outcome.RECTIFY and latest.attempt == 1:
        return _("The first acceptance calls for rectification, not failure.")
    return None
