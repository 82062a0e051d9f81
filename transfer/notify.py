"""Notifications of the transfer app: into poc's inbox (and its email copy), in each recipient's language.

One notification per (recipient, key), so sending the same event twice writes nothing new.
"""
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import translation

from poc.models import Notification
from poc.notifications.delivery import preference_for
from poc.notifications.emails import send_copy
from poc.notifications.messages import language_of


def members_of(institution):
    """The active members of an institution (the people who act for it)."""
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(memberships__institution=institution, memberships__status="active",
                                                is_active=True))


def notify(users, *, kind: str, key: str, about, link: str, title, body) -> list[Notification]:
    """``title``/``body`` are lazy translations (with ``%``-formatting applied per language by the caller's
    lambdas): pass callables taking no argument, evaluated in each recipient's language."""
    content_type = ContentType.objects.get_for_model(type(about))
    out = []
    for user in {u.pk: u for u in users}.values():
        preference = preference_for(user)
        language = language_of(preference.language)
        with translation.override(language):
            text_title, text_body = str(title()), str(body())
        notification, created = Notification.objects.get_or_create(
            recipient=user, key=key[:200],
            defaults={"kind": kind, "title": text_title[:300], "body": text_body, "link": link, "language": language,
                      "content_type": content_type, "object_id": about.pk})
        if created and preference.email_enabled and user.email:
            transaction.on_commit(lambda n=notification, u=user: send_copy(n, u))
        out.append(notification)
    return out
