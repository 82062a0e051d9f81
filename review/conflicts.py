"""Finding conflicts of interest (回避) between experts and applications.

Automatic rules (DOMAIN.md §4): the expert works at the applicant institution; the applicant was
among the expert's affiliations in the last 3 years; the expert is a member of the application's
team; the applicant asked to exclude the expert (up to 3 names). Declared and pinned conflicts are
stored. A conflicted expert can never be assigned and never sees the application.
"""
from collections import defaultdict

from django.utils.translation import gettext as _

from .models import Conflict, ConflictSource, Expert

AFFILIATION_YEARS = 3


def _norm(name: str) -> str:
    return "".join((name or "").split()).lower()


def automatic_conflicts(application, experts) -> dict[int, list[tuple[str, str]]]:
    """{expert_id: [(source, reason), …]} found by rule for ``application`` among ``experts``."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    team = {_norm(m.name): m for m in application.team_members.all()}
    excluded = {_norm(n) for n in (application.excluded_experts or []) if str(n).strip()}
    institution = application.institution
    for expert in experts:
        if expert.institution_id == institution.pk:
            found[expert.pk].append((ConflictSource.SAME_INSTITUTION,
                                     _("Works at %(inst)s, the applicant.") % {"inst": institution.name}))
        else:
            for aff in expert.affiliations.all():
                if aff.institution_id == institution.pk and aff.within_years(AFFILIATION_YEARS):
                    found[expert.pk].append((
                        ConflictSource.PAST_AFFILIATION,
                        _("Affiliated with %(inst)s until %(until)s (within %(years)s years).") % {
                            "inst": institution.name, "until": aff.ended_on or _("now"), "years": AFFILIATION_YEARS}))
                    break
        key = _norm(expert.name)
        if key in team:
            found[expert.pk].append((ConflictSource.TEAM_MEMBER,
                                     _("Listed in the application's team as “%(role)s”.") % {"role": team[key].role}))
        if key in excluded:
            found[expert.pk].append((ConflictSource.EXCLUSION_REQUEST,
                                     _("The applicant asked to exclude this expert.")))
    return found


def conflicts_of(application, experts=None) -> dict[int, list[tuple[str, str]]]:
    """Every conflict of ``application``: stored (declared, pinned, recorded) and found by rule now."""
    experts = list(experts if experts is not None else
                   Expert.objects.prefetch_related("affiliations"))
    result = automatic_conflicts(application, experts)
    for c in Conflict.objects.filter(application=application):
        if c.source not in {source for source, _reason in result[c.expert_id]}:
            result[c.expert_id].append((c.source, c.reason))
    return {k: v for k, v in result.items() if v}


def record_automatic_conflicts(application, experts=None) -> int:
    """Store the conflicts found by rule, so officers see their source and reason later. Returns how many are new."""
    created = 0
    experts = list(experts if experts is not None else Expert.objects.prefetch_related("affiliations"))
    for expert_id, items in automatic_conflicts(application, experts).items():
        for source, reason in items:
            _obj, new = Conflict.objects.get_or_create(expert_id=expert_id, application=application, source=source,
                                                       defaults={"reason": reason})
            created += new
    return created


def conflict_reason(application, expert) -> str | None:
    """Why ``expert`` may not review ``application``, or None."""
    items = conflicts_of(application, [expert]).get(expert.pk)
    if not items:
        return None
    return "; ".join(reason for _source, reason in items)
