"""Django's permission API answered from the access policy.

``user.has_perm("poc.view_application", obj)`` and ``{% if perms... %}`` read the same declarations
as the selectors and services: ``<app>.<action>_<model>`` maps to the action of the model's policy.
Model-wide permissions (no object) are left to Django's ModelBackend.
"""
from django.apps import apps

from .policy import policy_for


class PolicyBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if obj is None or not getattr(user_obj, "is_active", False):
            return False
        app_label, _, codename = perm.partition(".")
        action, _, model_name = codename.rpartition("_")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return False
        if not isinstance(obj, model):
            return False
        try:
            policy = policy_for(model)
        except LookupError:
            return False
        relation = policy.actions.get(action)
        return bool(relation is not None and relation.holds(user_obj, obj))
