"""Helpers of the notification tests: users with a language, the inbox of a user, committing an action."""
from contextlib import contextmanager

from poc.models import Notification, NotificationPreference, OutboxMessage, TransitionLog
from tests.factories import UserFactory, applicant_of, officer

CLOSED_PORT_BROKER = "redis://127.0.0.1:6390/0"  # nothing listens there: the broker is "down"


def with_language(user, language="zh-hans", email=True):
    NotificationPreference.objects.update_or_create(user=user, defaults={"language": language,
                                                                         "email_enabled": email})
    return user


def english_officer(**kw):
    return with_language(officer(**kw), "en")


def english_applicant(institution, **kw):
    return with_language(applicant_of(institution, **kw), "en")


def plain_user(**kw):
    return UserFactory(**kw)


def inbox(user, kind=None):
    notifications = Notification.objects.filter(recipient=user)
    if kind:
        notifications = notifications.filter(kind=kind)
    return list(notifications.order_by("id"))


def kinds(user) -> list[str]:
    return [n.kind for n in inbox(user)]


def last_log(obj):
    return TransitionLog.objects.for_object(obj).order_by("-id").first()


def unsent():
    return list(OutboxMessage.objects.filter(sent_at__isnull=True))


@contextmanager
def committed(capture):
    """Run the block as a request would: its on-commit work (the outbox publish) runs when it ends.

    ``capture`` is pytest-django's ``django_capture_on_commit_callbacks`` fixture."""
    with capture(execute=True) as callbacks:
        yield callbacks
