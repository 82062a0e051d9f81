"""Roles: Django groups with fixed, untranslated codes (DESIGN §3), their names, and the scheduler's actor.

Role checks always use these codes, never a translated display name. Who holds a role is decided by
the access policy (:mod:`poc.access.relations`: ``officer``, ``applicant``, ``role_codes``).
"""
from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
EXPERT = "expert"
OFFICER = "officer"
FUND_MANAGER = "fund_manager"
ENTERPRISE = "enterprise"  # staff of a verified enterprise (the results library, technology demands)
DISTRICT_OFFICER = "district_officer"  # staff of a district science bureau (区县科技局), scoped to its district

ROLE_NAMES = {
    APPLICANT: _("Applicant"),
    EXPERT: _("Expert"),
    OFFICER: _("Bureau officer"),
    FUND_MANAGER: _("Fund manager"),
    ENTERPRISE: _("Enterprise"),
    DISTRICT_OFFICER: _("District officer"),
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

