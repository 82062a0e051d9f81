"""Finding conflicts of interest (回避) between experts and applications.

Automatic rules (DOMAIN.md §4): the expert works at the applicant institution; the applicant was
among the expert's affiliations in the last 3 years; the expert is a member of the application's
team; the applicant asked to exclude the expert (up to 3 names). Declared and pinned conflicts are
stored. A conflicted expert can never be assigned and never sees the application.
"""
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Conflict, ConflictSource, Expert

AFFILIATION_YEARS = 3


def _norm(name: str) -> str:
    return "".join((name or "").split()).lower()


def automatic_conflict_pairs(applications, experts) -> dict[tuple[int, int], list[tuple[str, str]]]:
    """{(application_id, expert_id): [(source, reason), …]} found by rule, for a whole call at once.

    Set operations over indexes, never a loop over every pair: experts by institution id, by past
    affiliation (institution id, within AFFILIATION_YEARS) and by normalised name; each application
    then looks up its institution, its team's names and its exclusion requests. The applications
    should come with ``institution`` selected and ``team_members`` prefetched, the experts with
    ``affiliations`` prefetched (otherwise each costs a query).
    """
    by_institution: dict[int, list] = defaultdict(list)
    by_past_affiliation: dict[int, list] = defaultdict(list)
    by_name: dict[str, list] = defaultdict(list)
    for expert in experts:
        if expert.institution_id is not None:
            by_institution[expert.institution_id].append(expert)
        seen = set()
        for aff in expert.affiliations.all():
            if aff.institution_id not in seen and aff.within_years(AFFILIATION_YEARS):
                seen.add(aff.institution_id)
                by_past_affiliation[aff.institution_id].append((expert, aff))
        by_name[_norm(expert.name)].append(expert)

    # Each wording translated once per call, not once per pair.
    works_at = _("Works at %(inst)s, the applicant.")
    affiliated = _("Affiliated with %(inst)s until %(until)s (within %(years)s years).")
    now_text = _("now")
    in_team = _("Listed in the application's team as “%(role)s”.")
    excluded = _("The applicant asked to exclude this expert.")
    found: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for application in applications:
        institution = application.institution
        same = by_institution.get(institution.pk, [])
        for expert in same:
            found[application.pk, expert.pk].append((
                ConflictSource.SAME_INSTITUTION, works_at % {"inst": institution.name}))
        same_ids = {e.pk for e in same}
        for expert, aff in by_past_affiliation.get(institution.pk, []):
            if expert.pk not in same_ids:
                found[application.pk, expert.pk].append((
                    ConflictSource.PAST_AFFILIATION,
                    affiliated % {"inst": institution.name, "until": aff.ended_on or now_text,
                                  "years": AFFILIATION_YEARS}))
        team = {_norm(m.name): m for m in application.team_members.all()}
        for key, member in team.items():
            for expert in by_name.get(key, []):
                found[application.pk, expert.pk].append((
                    ConflictSource.TEAM_MEMBER,
                    in_team % {"role": member.role}))
        for key in {_norm(n) for n in (application.excluded_experts or []) if str(n).strip()}:
            for expert in by_name.get(key, []):
                found[application.pk, expert.pk].append((ConflictSource.EXCLUSION_REQUEST, excluded))
    # Each pair's reasons in the order of the rules (institution, affiliation, team, exclusion).
    order = {ConflictSource.SAME_INSTITUTION: 0, ConflictSource.PAST_AFFILIATION: 1,
             ConflictSource.TEAM_MEMBER: 2, ConflictSource.EXCLUSION_REQUEST: 3}
    return {pair: sorted(items, key=lambda item: order[item[0]]) for pair, items in found.items()}


def automatic_conflict_set(applications, experts, today=None) -> set[tuple[int, int]]:
    """The (application id, expert id) pairs :func:`automatic_conflict_pairs` finds, without their reasons, for a
    whole call: what the assignment must avoid. ``applications`` and ``experts`` are querysets; four queries read
    ids and names only (no model instance), then each rule is a set look-up per application."""
    from poc.models import TeamMember

    from .models import ExpertAffiliation
    from .models.experts import years_ago

    by_institution: dict[int, set[int]] = defaultdict(set)
    by_name: dict[str, set[int]] = defaultdict(set)
    for expert_id, institution_id, name in experts.values_list("pk", "institution_id", "name"):
        if institution_id is not None:
            by_institution[institution_id].add(expert_id)
        by_name[_norm(name)].add(expert_id)
    recent = ExpertAffiliation.objects.filter(expert__in=experts).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=years_ago(AFFILIATION_YEARS, today)))
    by_past_affiliation: dict[int, set[int]] = defaultdict(set)
    for expert_id, institution_id in recent.values_list("expert_id", "institution_id"):
        by_past_affiliation[institution_id].add(expert_id)
    team: dict[int, set[str]] = defaultdict(set)
    for application_id, name in TeamMember.objects.filter(application__in=applications).values_list(
            "application_id", "name"):
        team[application_id].add(_norm(name))
    found: set[tuple[int, int]] = set()
    for application_id, institution_id, excluded in applications.values_list("pk", "institution_id",
                                                                              "excluded_experts"):
        experts_of = by_institution.get(institution_id, set()) | by_past_affiliation.get(institution_id, set())
        names = team.get(application_id, set()) | {_norm(n) for n in (excluded or []) if str(n).strip()}
        for key in names:
            experts_of = experts_of | by_name.get(key, set())
        found.update((application_id, expert_id) for expert_id in experts_of)
    return found


def automatic_conflicts(application, experts) -> dict[int, list[tuple[str, str]]]:
    """{expert_id: [(source, reason), …]} found by rule for ``application`` among ``experts``."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for (_application_id, expert_id), items in automatic_conflict_pairs([application], experts).items():
        found[expert_id].extend(items)
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
    experts = list(experts if experts is not None else Expert.objects.prefetch_related("affiliations"))
    return record_conflict_pairs(automatic_conflict_pairs([application], experts))


def record_conflict_pairs(pairs: dict[tuple[int, int], list[tuple[str, str]]]) -> int:
    """Store conflicts found by rule in one statement (existing ones are kept as they are). Returns how many are new."""
    if not pairs:
        return 0
    application_ids = {a for a, _e in pairs}
    existing = set(Conflict.objects.filter(application_id__in=application_ids)
                   .values_list("application_id", "expert_id", "source"))
    new = [Conflict(application_id=a, expert_id=e, source=source, reason=reason)
           for (a, e), items in pairs.items() for source, reason in items if (a, e, source) not in existing]
    Conflict.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def conflict_reason(application, expert) -> str | None:
    """Why ``expert`` may not review ``application``, or None."""
    items = conflicts_of(application, [expert]).get(expert.pk)
    if not items:
        return None
    return "; ".join(reason for _source, reason in items)
