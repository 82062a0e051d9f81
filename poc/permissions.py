"""Nothing is granted any more: the access policy (:mod:`poc.access`) decides from the domain's rows.

Applications used to carry django-guardian object permissions, granted to the institution's group on
creation and to assigned experts by review. The institution's group, the assignment rows and the
funding decision now decide through the policy, so there is nothing to keep in step. These names are
kept, doing nothing, only because review still imports them; they go when review stops calling them.
"""


def grant_institution_access(application) -> None:
    """Nothing to grant: the institution's members view and change it through the policy."""


def grant_view(user_or_group, application) -> None:
    """Nothing to grant: assigned experts and the fund's managers view it through the policy."""


def revoke_view(user_or_group, application) -> None:
    """Nothing to revoke: voiding the assignment ends the access."""
