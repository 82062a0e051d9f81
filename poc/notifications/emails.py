"""The email copy of a notification, through Django's email backend, in the recipient's language.

Sent at most once per notification: the send is claimed by setting ``emailed_at`` with a conditional update,
and the claim is given back if the backend fails (the task retries, and only the unsent email goes again).
"""
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from poc.models import Notification

from .messages import language_of


def template_names(language: str) -> tuple[str, str]:
    code = language_of(language)
    return f"poc/notifications/email_subject_{code}.txt", f"poc/notifications/email_{code}.txt"


def render_email(notification, user) -> tuple[str, str]:
    subject_template, body_template = template_names(notification.language)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    context = {"notification": notification, "user": user, "name": user.get_full_name() or user.username,
               "url": f"{site}{notification.link}" if notification.link else "",
               "inbox_url": site + reverse("notification-list"),
               "settings_url": site + reverse("notification-settings")}
    with translation.override(language_of(notification.language)):
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    return subject, body


def send_copy(notification, user) -> bool:
    """Email ``notification`` to ``user`` unless it was emailed already; True if this call sent it."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return False
    try:
        subject, body = render_email(notification, user)
        send_mail(subject, body, None, [user.email], fail_silently=False)
    except Exception:
        Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
        raise
    return True
