"""Conflicts found after the assignment (回避 after the fact): an expert's affiliations or an application's team
changed while the expert was assigned.

The facts the automatic rules read (review.conflicts) may change after the assignment: an officer records a new
affiliation of the expert, an institution edits its team. Each change re-checks the active assignments it
touches, for the whole set at once (the same index-based rules as the assignment, never a loop over pairs): an
assignment now in conflict is voided (``void_for_conflict``, audited, with the rule's reason), its review is
reopened first if it was submitted (a conflicted review does not count), the conflict is stored, and the
expert's access ends with the assignment. The expert and the officers are notified by the transition's rules
(review.notifications). Only applications still under review are re-checked: once the review is closed, its
assignments are history.
"""
from django.utils.translation import gettext as _

from poc.models import Application
from poc.roles import SYSTEM
from poc.workflow import run_transition

from .conflicts import automatic_conflict_pairs, record_conflict_pairs
from .models import Assignment, AssignmentState, Expert, ReviewState
from .states import ASSIGNABLE_STATES


def recheck_active_assignments(*, application_ids=(), expert_ids=(), cause: str = "") -> list[Assignment]:
    """Void the active assignments of ``application_ids`` or of ``expert_ids`` that an automatic rule now finds
    in conflict; return them. ``cause`` says what changed (it opens the audit row's reason)."""
    active = list(Assignment.objects.filter(state=AssignmentState.ACTIVE, application__state__in=ASSIGNABLE_STATES)
                  .filter(_touching(application_ids, expert_ids)).order_by("pk"))
    if not active:
        return []
    applications = (Application.objects.filter(pk__in={a.application_id for a in active})
                    .select_related("institution").prefetch_related("team_members"))
    experts = Expert.objects.filter(pk__in={a.expert_id for a in active}).prefetch_related("affiliations")
    assigned = {(a.application_id, a.expert_id): a for a in active}
    found = {pair: items for pair, items in automatic_conflict_pairs(applications, experts).items()
             if pair in assigned}
    if not found:
        return []
    record_conflict_pairs(found)
    voided = []
    for pair in sorted(found, key=lambda p: assigned[p].pk):
        reason = "; ".join(text for _source, text in found[pair])
        comment = (_("Conflict of interest found after %(cause)s: %(reason)s") % {"cause": cause, "reason": reason}
                   if cause else _("Conflict of interest found by rule: %(reason)s") % {"reason": reason})
        assignment = assigned[pair]
        review = getattr(assignment, "review", None)
        if review is not None and review.state == ReviewState.SUBMITTED:
            run_transition(review, "reopen", SYSTEM, comment)
        voided.append(run_transition(Assignment.objects.get(pk=assignment.pk), "void_for_conflict", SYSTEM, comment))
    return voided


def _touching(application_ids, expert_ids):
    from django.db.models import Q

    return Q(application_id__in=list(application_ids)) | Q(expert_id__in=list(expert_ids))


def on_conflict_facts_changed(sender=None, *, application_ids=(), cause="", **kwargs):
    """poc's ``conflict_facts_changed`` (a team, an exclusion request or an institution edited): re-check."""
    recheck_active_assignments(application_ids=application_ids, cause=cause)
