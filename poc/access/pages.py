"""The access policy for page views: guards and look-ups that answer 403 or 404 from the declaration."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .policy import visible, why_not
from .relations import Relation


def requires(relation: Relation):
    """Signed in (else to the login page) and ``relation`` holding for the user (else 403).

    For a page that is about no particular object yet (an officer's inbox, an expert's queue): the
    relation is a role relation, such as ``officer`` or ``applicant | officer``.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not relation.holds(request.user):
                raise PermissionDenied(" ".join(relation.reasons(None, request.user)))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def visible_or_404(user, model_or_queryset, **lookup):
    """The one object matching ``lookup`` that ``user`` may view; 404 otherwise (never reveal that it exists)."""
    obj = visible(user, model_or_queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def allowed_or_403(user, action: str, obj) -> None:
    """403 with the policy's reason unless ``user`` may ``action`` ``obj``."""
    reasons = why_not(user, action, obj)
    if reasons:
        raise PermissionDenied(" ".join(reasons))
