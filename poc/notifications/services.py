"""The inbox's writes, each limited to the user's own notifications."""
from django.utils import timezone

from poc.models import NotificationPreference

from .selectors import inbox_of


def mark_read(user, notification) -> bool:
    """Mark ``notification`` read if it is ``user``'s and unread; True if it changed."""
    return bool(inbox_of(user).filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now()))


def mark_all_read(user) -> int:
    return inbox_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def save_preferences(user, *, email_enabled: bool, language: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "language": language})
    return preference
