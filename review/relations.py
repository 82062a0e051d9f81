"""Relations of the expert review, decided from the assignment rows (see poc/access/)."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from poc.access import relation
from poc.access.relations import signed_in

from .models import Assignment, AssignmentState


def _active_assignments(user):
    return Assignment.objects.filter(expert__user=user, state=AssignmentState.ACTIVE)


assigned_expert_of_application = relation(
    "assigned_expert_of_application",
    test=lambda application, user: signed_in(user) and application is not None
    and _active_assignments(user).filter(application=application).exists(),
    query=lambda user: Q(pk__in=_active_assignments(user).values("application_id")) if signed_in(user) else None,
    refusal=_("Only an expert assigned to this application can do this."), label=_("The assigned expert"),
)
