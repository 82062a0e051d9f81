"""Matching results with demands and with centers (供需对接), ranked by expert review's affinity engine.

The score is :func:`review.algorithms.affinity.build_affinity` (0.6 × Jaccard of the disciplines + 0.4 × cosine
of the keyword sets), reused as it is. As in review's matching, a discipline also counts as its parent field
(``ENG.MAT`` also counts as ``ENG``), so neighbours in the taxonomy get partial credit. Each match says why:
the shared disciplines and keywords.

Lists are computed on demand from the caller's visible objects, so a match list can never show what the caller
may not see, and it carries public fields only (never a result's confidential detail).
:func:`top_matches` is the batch form (a city's 20,000 results × 5,000 demands, top 10 each): the affinity
matrix is built in row blocks so memory stays bounded, and ``argpartition`` picks each row's best.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _

from poc.access import visible
from poc.models import Center, CenterState, Discipline

from .algorithms import Profile, affinity, top_matches, with_parents
from .models import Demand, DemandState, Result, Stage, split_keywords

__all__ = ["Match", "Profile", "centers_for_result", "demands_for_result", "profile", "reasons",
           "results_for_demand", "top_matches", "with_parents"]


def profile(codes, keywords_text: str) -> Profile:
    return Profile(with_parents(codes), frozenset(k.casefold() for k in split_keywords(keywords_text)))


def _profiles(queryset) -> dict[int, Profile]:
    """{pk: Profile} for results, demands or applications, in two queries."""
    codes = defaultdict(list)
    for pk, code in queryset.values_list("pk", "disciplines__code"):
        if code:
            codes[pk].append(code)
    return {pk: profile(codes[pk], kw) for pk, kw in queryset.values_list("pk", "keywords")}


def reasons(a: Profile, b: Profile, names: dict[str, str]) -> list[str]:
    out = []
    shared = sorted(a.fields & b.fields)
    if shared:
        out.append(_("shared disciplines: %(list)s") % {"list": "、".join(names.get(c, c) for c in shared)})
    words = sorted(a.keywords & b.keywords)
    if words:
        out.append(_("shared keywords: %(list)s") % {"list": "、".join(words)})
    return out


@dataclass
class Match:
    obj: object
    score: float
    reasons: list[str]


def _discipline_names() -> dict[str, str]:
    return {d.code: str(d) for d in Discipline.objects.all()}


def _rank(subject: Profile, candidates, k: int) -> list[Match]:
    profiles = _profiles(candidates)
    objects = {o.pk: o for o in candidates.filter(pk__in=list(profiles))}
    pks = list(profiles)
    if not pks:
        return []
    scores = affinity([subject], [profiles[pk] for pk in pks])[0]
    order = [i for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]
    names = _discipline_names()
    return [Match(objects[pks[i]], round(float(scores[i]), 4), reasons(subject, profiles[pks[i]], names))
            for i in order]


def demands_for_result(user, result: Result, k: int = 10) -> list[Match]:
    """Published demands the caller may see, best first, for one result."""
    subject = _profiles(Result.objects.filter(pk=result.pk))[result.pk]
    candidates = visible(user, Demand).filter(state=DemandState.PUBLISHED).select_related("enterprise")
    return _rank(subject, candidates, k)


def results_for_demand(user, demand: Demand, k: int = 10) -> list[Match]:
    """Results the caller may see (published ones, for an enterprise), not shelved or landed, best first."""
    subject = _profiles(Demand.objects.filter(pk=demand.pk))[demand.pk]
    candidates = (visible(user, Result).exclude(stage__in=(Stage.SHELVED, Stage.LANDED))
                  .select_related("institution"))
    return _rank(subject, candidates, k)


def centers_for_result(result: Result, k: int = 5) -> list[Match]:
    """Active PoC centers and pilot bases that could validate the result, by their designation profile."""
    subject = _profiles(Result.objects.filter(pk=result.pk))[result.pk]
    centers = list(Center.objects.filter(state=CenterState.ACTIVE).select_related("application"))
    if not centers:
        return []
    from poc.models import Application

    by_app = _profiles(Application.objects.filter(pk__in=[c.application_id for c in centers]))
    profiles = [by_app.get(c.application_id, Profile()) for c in centers]
    scores = affinity([subject], profiles)[0]
    names = _discipline_names()
    order = [i for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]
    return [Match(centers[i], round(float(scores[i]), 4), reasons(subject, profiles[i], names)) for i in order]
