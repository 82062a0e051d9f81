"""The access policy for the REST API: one DRF permission class for every viewset.

A viewset declares, per DRF action, which policy action of its model it needs::

    class CenterViewSet(...):
        queryset_model = Center                     # lists: visible(user, Center)
        policy_actions = {"create": officer, "update": "change"}

* a value that is a :class:`Relation` is checked before any input is read (``has_permission``),
  for actions that are about no object yet (create, an import, a preview);
* a string names an action of the model's policy, checked on the object (``has_object_permission``).

Objects the caller may not view are never found (the viewset's queryset is ``visible(...)``), so they
answer 404; an object it may view but not change answers 403 with the policy's reason.
"""
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from .policy import why_not
from .relations import Relation


class PolicyPermission(permissions.BasePermission):
    """Signed in (unless the view sets ``allow_anonymous``), then the view's ``policy_actions`` for the
    current action (see the module docstring). It is the default permission class of the whole API."""

    def _declared(self, view):
        return getattr(view, "policy_actions", {}).get(getattr(view, "action", None))

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            # Public resources say so; everything else asks to sign in (401 with a token header, else 403).
            return bool(getattr(view, "allow_anonymous", False))
        declared = self._declared(view)
        if isinstance(declared, Relation):
            refusal = declared.reasons(None, request.user)
            if refusal:
                raise PermissionDenied(" ".join(refusal))
        return True

    def has_object_permission(self, request, view, obj):
        declared = self._declared(view)
        if isinstance(declared, str):
            refusal = why_not(request.user, declared, obj)
            if refusal:
                raise PermissionDenied(" ".join(refusal))
        return True


class ParentLookupMixin:
    """For resources nested under a parent (``applications/{application_pk}/attachments/``).

    ``parent_model`` and ``parent_kwarg`` name the parent; :meth:`get_parent` returns it when the caller
    may view it (the access policy's ``visible``) and answers 404 otherwise, once per request.
    """

    parent_model = None
    parent_kwarg = ""
    lookup_value_converter = "int"
    pagination_class = None
    filter_backends: list = []

    def get_parent(self):
        if not hasattr(self, "_parent"):
            from django.http import Http404

            from .policy import visible

            parent = visible(self.request.user, self.parent_model).filter(pk=self.kwargs[self.parent_kwarg]).first()
            if parent is None:
                raise Http404
            self._parent = parent
        return self._parent
