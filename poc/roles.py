"""Roles: Django groups with fixed, untranslated codes (DESIGN §3).

Role checks always use these codes, never a translated display name.
"""
from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
EXPERT = "expert"
OFFICER = "officer"
FUND_MANAGER = "fund_manager"
ENTERPRISE = "enterprise"  # staff of a verified enterprise (the results library, technology demands)

ROLE_NAMES = {
    APPLICANT: _("Applicant"),
    EXPERT: _("Expert"),
    OFFICER: _("Bureau officer"),
    FUND_MANAGER: _("Fund manager"),
    ENTERPRISE: _("Enterprise"),
}
ROLES = tuple(ROLE_NAMES)


class SystemActor:
    """The scheduler acting on its own (nightly expiry, reminders): an officer's rights, no user row.

    Its audit rows have no actor and say "system"."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    username = "system"

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


def role_codes(user) -> frozenset[str]:
    """The role codes a user holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated or isinstance(user, SystemActor):
        return frozenset()
    cached = getattr(user, "_pochub_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._pochub_roles = cached
    return cached


def has_role(user, code: str) -> bool:
    return code in role_codes(user)


def is_officer(user) -> bool:
    if isinstance(user, SystemActor):
        return True
    return has_role(user, OFFICER) or bool(getattr(user, "is_superuser", False))


def forget_roles(user) -> None:
    """Drop the cached roles after a change of group membership."""
    if hasattr(user, "_pochub_roles"):
        del user._pochub_roles
