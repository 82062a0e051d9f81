"""The access policy: who may see and do what, decided in one place.

Three layers, each read by everything else (selectors, services, transitions, pages, the API):

* :mod:`poc.access.relations`: reason-returning predicates about a user and an object, each
  decided from the domain's own rows (role groups, the institution's group, the fund's group,
  an expert's assignment). A relation answers for one object (``holds``/``reasons``) **and** for
  a whole table (``q``), so a list can never show what the detail page forbids.
* :mod:`poc.access.policy`: per model, one declaration of which relation governs ``view``,
  ``change`` and each other action (the spirit of pretalx's ``rules_permissions``). Higher apps
  widen a lower model's policy from their ``AppConfig.ready()`` (review lets assigned experts
  view an application) without the lower app naming them.
* adapters: :func:`poc.access.pages.requires` for page views, :class:`poc.access.api.PolicyPermission`
  for DRF, :class:`poc.access.backend.PolicyBackend` so ``user.has_perm("poc.view_application", obj)``
  and templates' ``perms`` read the same declaration.

Transition ``permission=`` rules are relations too (``member_of("institution").refusing(...)``).

django-guardian: poc grants no object permissions any more: the policy decides from the domain's rows
(the institution's group, the assignment rows, the funding decision), and lists filter with each
relation's ``q`` (subquery joins). guardian stays installed so its tables (and the application's
direct-foreign-key permission tables) remain for existing databases. Its backend stays in
``AUTHENTICATION_BACKENDS`` only while review still grants its own review permissions; when review's
policy answers them, the backend goes and nothing reads the tables.
"""
from .policy import Policy, can, policy_for, require, visible, why_not
from .relations import (
    ANYONE,
    SIGNED_IN,
    Relation,
    admin_of,
    applicant,
    district_officer,
    district_officer_of,
    expert,
    fund_manager,
    fund_manager_of,
    has_role,
    is_officer,
    member_of,
    nobody,
    officer,
    owner,
    relation,
    role_codes,
)

__all__ = [
    "ANYONE", "SIGNED_IN", "Policy", "Relation", "admin_of", "applicant", "can", "district_officer",
    "district_officer_of", "expert", "fund_manager",
    "fund_manager_of", "has_role", "is_officer", "member_of", "nobody", "officer", "owner", "policy_for", "relation",
    "require", "role_codes", "visible", "why_not",
]
