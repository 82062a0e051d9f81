"""Django's permission API answered from the access policy.

``user.has_perm("poc.view_application", obj)`` and ``{% if perms... %}`` read the same declarations
as the selectors and services: ``<app>.<action>_<model>`` maps to the action of the model's policy.
Model-wide permissions (no object) are left to Django's ModelBackend.
"""
from .policy import policy_for


class PolicyBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if obj is None or not getattr(user_obj, "is_active", False):
            return False
        meta = obj._meta
        prefix, suffix = f"{meta.app_label}.", f"_{meta.model_name}"
        if not (perm.startswith(prefix) and perm.endswith(suffix)):
            return False  # a permission about another model than the object's
        action = perm[len(prefix):-len(suffix)]
        try:
            policy = policy_for(obj)
        except LookupError:
            return False
        relation = policy.actions.get(action)
        return bool(relation is not None and relation.holds(user_obj, obj))
