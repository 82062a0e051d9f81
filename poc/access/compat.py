"""Old names the higher apps still import, answered by the access policy (to be removed once they ask it).

``poc.institutions.rules.is_member_of`` and ``institution_member``, ``poc.views.common.role_required`` and
``visible_application`` were poc's own access decisions; review and funding import them. They now read the
relations of :mod:`poc.access.relations`, so there is one decision, under the old names, until the callers move.
"""
from .relations import member_of

_member = member_of("")


def is_member_of(institution, user) -> bool:
    """An applicant in the institution's group (the relation ``member_of``)."""
    return _member.holds(user, institution)


def institution_member(refusal):
    """A transition permission: a member of ``obj.institution``, refusing with ``refusal``."""
    return member_of("institution").refusing(refusal)
