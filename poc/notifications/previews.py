"""What officers see of the notifications: every kind's email rendered in both languages with sample values,
and what was sent to whom and when (the inbox rows with their email time, and the outbox's delivery state)."""
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.models import Notification, OutboxMessage

from .emails import render_email
from .messages import EN, MESSAGES, ZH, local_minute, render

RECENT = 50


@dataclass(frozen=True)
class Preview:
    kind: str
    language: str
    title: str
    subject: str
    body: str


def sample_values() -> dict:
    """Placeholders filled the way a real event fills them, so a preview reads like a real email."""
    return {"subject": "WZ-PP-2026-001 柔性钙钛矿光伏组件概念验证", "date": local_minute(timezone.now() + timedelta(days=7)),
            "detail": _("(the details of the event)"), "year": timezone.localdate().year, "score": "86.5",
            "grade": _("Good"), "amount": "¥500,000.00", "count": 12}


def previews() -> list[tuple[str, list[Preview]]]:
    """Each kind of notification, with its email in Chinese and in English (nothing is saved or sent)."""
    user = get_user_model()(username="preview", first_name="王", last_name="")
    values = sample_values()
    out = []
    for kind in sorted(MESSAGES):
        pair = []
        for language in (ZH, EN):
            text = render(kind, language, values, comment=_("(the reason the officer gave)"))
            notification = Notification(kind=kind, title=text.title, body=text.body, language=language,
                                        link="/applications/1/")
            subject, body = render_email(notification, user)
            pair.append(Preview(kind, language, text.title, subject, body))
        out.append((kind, pair))
    return out


def recent_deliveries(limit: int = RECENT):
    """The latest notifications: who, what, when, and when (if ever) the email copy went out."""
    return (Notification.objects.select_related("recipient").order_by("-created_at", "-pk")
            .only("kind", "title", "language", "created_at", "emailed_at", "read_at", "recipient__username",
                  "recipient__first_name", "recipient__last_name")[:limit])


def outbox_state(limit: int = RECENT):
    """The background work behind them: published or still waiting, with its attempts and last error."""
    return OutboxMessage.objects.order_by("-created_at", "-pk")[:limit]
