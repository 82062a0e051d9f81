"""Who belongs to an institution: the membership predicate the centers, projects and funding rules share."""
from poc.roles import APPLICANT, has_role
from poc.rules import permission


def is_member_of(institution, user) -> bool:
    return bool(user and user.is_authenticated and has_role(user, APPLICANT)
                and user.groups.filter(pk=institution.group_id).exists())


def institution_member(refusal):
    return permission(lambda obj, user: None if is_member_of(obj.institution, user) else refusal)
