"""Notifications (站内通知) with their email copy, each user's preferences, and the outbox of background work.

A notification is written once per (recipient, key): the key names the event (a transition's audit row, or a
reminder's kind, subject and due date), so a task delivered twice, or a reminder job run twice, changes nothing.
"""
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationPreference(models.Model):
    """How a user wants to hear from PoC Hub: in the inbox only, or by email too, and in which language."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_enabled = models.BooleanField(_("also send me an email"), default=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language}, email {'on' if self.email_enabled else 'off'})"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("event key"), max_length=200,
                           help_text=_("The event it reports (kind, subject, audit row or due date): one per recipient."))
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxMessage(models.Model):
    """A task to enqueue, written in the same transaction as the user's change (transactional outbox).

    Published on commit; if the broker is unreachable the row stays unsent and the every-minute drain job
    publishes it once the broker is back. ``sent_at`` is set exactly once.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sent_at", "attempts", "created_at"], name="outbox_unsent")]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)} ({'sent' if self.sent_at else 'pending'})"

    @property
    def task_id(self) -> str:
        """The Celery task id it is published under: the same on every attempt, unique across databases."""
        return f"outbox-{self.pk}-{self.created_at:%Y%m%d%H%M%S%f}"
