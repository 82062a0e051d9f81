from .roles import ROLE_NAMES, is_officer, role_codes


def roles(request):
    user = getattr(request, "user", None)
    codes = role_codes(user)
    return {
        "user_roles": codes,
        "user_role_names": [str(ROLE_NAMES[c]) for c in codes],
        "is_officer": is_officer(user) if user is not None else False,
        "is_applicant": "applicant" in codes,
        "is_expert": "expert" in codes,
        "is_fund_manager": "fund_manager" in codes,
    }


def notifications(request):
    """``unread_notifications``: the header's count of the user's unread notifications (counted when shown)."""
    from django.utils.functional import SimpleLazyObject

    from .notifications.selectors import unread_count

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
