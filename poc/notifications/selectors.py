"""Reads of the inbox: always the user's own notifications, never anyone else's."""
from poc.models import Notification


def inbox_of(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


def notification_of(user, pk):
    """The user's notification ``pk``, or None (someone else's is as absent as a missing one)."""
    return inbox_of(user).filter(pk=pk).first()
