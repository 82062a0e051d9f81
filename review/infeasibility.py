"""Why no assignment of experts is possible, in the officer's language (自动分配不可行的原因).

The solver (review.algorithms) reports its findings as data, with database ids; this module words them
with the application numbers and expert names the officer knows, through gettext, so a zh-hans page or API
answer reads Chinese. A finding the solver reports only as text (none today) is passed on with its ids
replaced.
"""
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LIMIT = 20


def _listed(values) -> str:
    values = [str(v) for v in values]
    text = ", ".join(values[:LIMIT])
    if len(values) > LIMIT:
        text += _(", … (+%(n)s more)") % {"n": len(values) - LIMIT}
    return text


def _short_application(f, number) -> str:
    if f["eligible"] == 0:
        return _("application %(number)s has no eligible expert; needs %(needs)s") % {
            "number": number(f["application"]), "needs": f["needs"]}
    return ngettext("application %(number)s has only %(m)s eligible expert; needs %(needs)s",
                    "application %(number)s has only %(m)s eligible experts; needs %(needs)s", f["eligible"]) % {
        "number": number(f["application"]), "m": f["eligible"], "needs": f["needs"]}


def _worded(f, number, name) -> str:
    code = f["code"]
    if code == "capacity":
        return _("total capacity %(capacity)s < demand %(demand)s") % {"capacity": f["capacity"],
                                                                        "demand": f["demand"]}
    if code == "short_application":
        return _short_application(f, number)
    if code == "bottleneck":
        return _("max flow %(flow)s < demand %(demand)s: applications %(applications)s need %(need)s reviews "
                 "together but their eligible experts (%(experts)s) can give them at most %(give)s") % {
            "flow": f["max_flow"], "demand": f["demand"], "applications": _listed(map(number, f["applications"])),
            "need": f["need"], "experts": _listed(map(name, f["experts"])), "give": f["give"]}
    rows = ", ".join(_("application %(number)s has %(has)s of %(needs)s") % {
        "number": number(a), "has": has, "needs": needs} for a, has, needs in f["rows"])
    if f["more"]:
        rows += _(", … (+%(n)s more)") % {"n": f["more"]}
    return _("short in a maximum partial assignment: %(rows)s") % {"rows": rows}


def explain(exc, numbers: dict, names: dict) -> list[str]:
    """The reasons of ``exc`` (an AssignmentInfeasible) for an officer: ``numbers`` maps application ids to their
    numbers, ``names`` expert ids to names."""
    def number(pk):
        return numbers.get(pk, str(pk))

    def name(pk):
        return names.get(pk, str(pk))

    if exc.findings:
        return [_worded(f, number, name) for f in exc.findings]

    def swap(match):
        return match.group(1) + " " + ", ".join(number(int(x)) for x in match.group(2).split(", "))

    def swap_experts(match):
        return match.group(1) + ", ".join(name(int(x)) for x in match.group(2).split(", "))

    return [re.sub(r"(eligible experts \()(\d+(?:, \d+)*)", swap_experts,
                   re.sub(r"\b(applications?) (\d+(?:, \d+)*)", swap, reason)) for reason in exc.reasons]
