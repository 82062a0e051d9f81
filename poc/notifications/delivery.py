"""Writing notifications: one per (recipient, event key), in the recipient's language, with its email copy.

Idempotent: delivering the same key again finds the notification already there and sends no second email.
"""
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from poc.access import applicant
from poc.models import Notification, NotificationPreference

from . import privacy
from .emails import send_copy
from .messages import language_of, render
from .recipients import follow


def preference_for(user) -> NotificationPreference:
    """The user's preferences (defaults, unsaved, if they never chose)."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


def link_to(url_name: str, obj) -> str:
    if not url_name or obj is None:
        return ""
    try:
        return reverse(url_name, args=[obj.pk])
    except NoReverseMatch:  # the app that serves it is not installed
        return ""


def deliver(rule, instance, users, *, key: str, comment: str = "", facts: dict | None = None) -> list:
    """Notify ``users`` of ``instance`` as ``rule`` says, under ``key``; return the notifications (new or not)."""
    about = follow(instance, rule.about)
    named = follow(instance, rule.label or rule.about)
    context = {"subject": str(named) if named is not None else "", **(rule.facts(instance) if rule.facts else {}),
               **(facts or {})}
    link = link_to(rule.url, about)
    content_type = ContentType.objects.get_for_model(type(about)) if about is not None else None
    masked = None
    notifications = []
    for user in users:
        preference = preference_for(user)
        language = language_of(preference.language)
        with translation.override(language):
            text = render(rule.kind, language, context, comment)
        title, body = text.title, text.body
        if rule.applicant_facing or applicant.holds(user):
            if masked is None:
                masked = privacy.expert_names(privacy.application_of(instance))
            title, body = privacy.without_names(title, masked), privacy.without_names(body, masked)
        notification, _ = Notification.objects.get_or_create(
            recipient=user, key=key,
            defaults={"kind": rule.kind, "title": title, "body": body, "link": link, "language": language,
                      "content_type": content_type, "object_id": getattr(about, "pk", None)},
        )
        if preference.email_enabled and user.email and notification.emailed_at is None:
            send_copy(notification, user)
        notifications.append(notification)
    return notifications


def deliver_batch(rule, per_user: list[tuple], *, key: str) -> list:
    """One notification per person for a batch (``rule`` is a BatchNotificationRule), in a few statements.

    ``per_user`` lists ``(user, about, facts)``. Idempotent by ``key``: a person notified already is skipped.
    """
    from django.urls import reverse as reverse_plain

    users = [user for user, _about, _facts in per_user]
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=users)}
    done = set(Notification.objects.filter(key=key, recipient__in=users).values_list("recipient_id", flat=True))
    try:
        link = reverse_plain(rule.url) if rule.url else ""
    except NoReverseMatch:
        link = ""
    new = []
    for user, about, facts in per_user:
        if user.pk in done:
            continue
        language = language_of(preferences.get(user.pk, NotificationPreference(user=user)).language)
        with translation.override(language):
            text = render(rule.kind, language, facts)
        new.append(Notification(recipient=user, key=key, kind=rule.kind, title=text.title, body=text.body, link=link,
                                language=language, content_type=ContentType.objects.get_for_model(type(about)),
                                object_id=about.pk))
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    emailed = {user.pk: user for user, _a, _f in per_user
               if user.email and preferences.get(user.pk, NotificationPreference(user=user)).email_enabled}
    if emailed:
        for notification in Notification.objects.filter(key=key, recipient_id__in=emailed, emailed_at__isnull=True):
            send_copy(notification, emailed[notification.recipient_id])
    return new
