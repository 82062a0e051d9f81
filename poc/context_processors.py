"""Template context shared by every page: the user's roles and what the access policy lets them do in general."""
from .access.relations import applicant, expert, fund_manager, officer, roles_held
from .roles import ROLE_NAMES


def roles(request):
    user = getattr(request, "user", None)
    codes = roles_held(user)
    return {
        "user_roles": codes,
        "user_role_names": [str(ROLE_NAMES[c]) for c in codes],
        "is_officer": officer.holds(user) if user is not None else False,
        "is_applicant": applicant.holds(user) if user is not None else False,
        "is_expert": expert.holds(user) if user is not None else False,
        "is_fund_manager": fund_manager.holds(user) if user is not None else False,
    }


def notifications(request):
    """``unread_notifications``: the header's count of the user's unread notifications (counted when shown)."""
    from django.utils.functional import SimpleLazyObject

    from .notifications.selectors import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
