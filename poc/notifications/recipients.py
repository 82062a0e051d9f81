"""Who hears of an event: small functions ``instance -> users``, composed in the rule tables.

They only follow attributes of the instance (``assignment.expert.user``, ``decision.fund``), so the apps above poc
compose their audiences from these same functions without poc knowing their models.
"""
from django.contrib.auth import get_user_model

from poc.roles import DISTRICT_OFFICER, OFFICER


def follow(obj, path: str):
    """``obj.a.b`` for ``path`` "a.b" ("" is ``obj`` itself); None where the chain breaks."""
    for name in filter(None, path.split(".")):
        if obj is None:
            return None
        obj = getattr(obj, name, None)
    return obj


def _active(users):
    return users.filter(is_active=True).order_by("pk")


def officers(instance=None):
    """The bureau's officers (the role group)."""
    return _active(get_user_model().objects.filter(groups__name=OFFICER))


def district_officers(path: str):
    """The officers of the district of the institution at ``path`` (区县科技局: its group, with the role)."""
    def resolve(instance):
        institution = follow(instance, path)
        if institution is None:
            return get_user_model().objects.none()
        return _active(get_user_model().objects.filter(groups__district__name=institution.district)
                       .filter(groups__name=DISTRICT_OFFICER).distinct())
    return resolve


def group_members(path: str):
    """The users of the group of the object at ``path``: an institution's users, a fund's managers…"""
    def resolve(instance):
        owner = follow(instance, path)
        if owner is None:
            return get_user_model().objects.none()
        return _active(owner.group.user_set.all())
    return resolve


def members_of(path: str):
    """The users of the institution at ``path`` (its group: the same source its permissions use)."""
    return group_members(path)


def user_at(path: str):
    """One user at ``path`` (the application's creator, the assignment's expert's user…)."""
    def resolve(instance):
        user = follow(instance, path)
        return [user] if user is not None and user.is_active else []
    return resolve


def together(*resolvers):
    """Everyone any of ``resolvers`` names, once each, in a stable order."""
    def resolve(instance):
        seen, users = set(), []
        for resolver in resolvers:
            for user in resolver(instance):
                if user.pk not in seen:
                    seen.add(user.pk)
                    users.append(user)
        return users
    return resolve
