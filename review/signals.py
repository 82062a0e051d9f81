"""Reacting to workflow changes: a voided assignment loses its access at once."""
from django.dispatch import receiver

from poc.signals import state_changed

from . import permissions
from .models import Assignment, AssignmentState


@receiver(state_changed, sender=Assignment)
def revoke_access_when_voided(sender, instance, target, **kwargs):
    if target == AssignmentState.VOIDED:
        permissions.revoke_assignment(instance)
