"""The permission class of the review API: officers only, for the listed actions."""
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied

from poc.roles import is_officer


class OfficersOnlyFor(permissions.BasePermission):
    """403 with a readable reason when a non-officer calls one of the view's ``officer_actions``."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) in getattr(view, "officer_actions", ()) and not is_officer(request.user):
            raise PermissionDenied(view.officer_refusal())
        return True
