"""The audit trail: one immutable row for every state change of any workflow object."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    pass


class TransitionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk)

    def update(self, **kwargs):
        raise ImmutableRecordError("The audit trail cannot be changed.")

    def delete(self):
        raise ImmutableRecordError("The audit trail cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError("The audit trail cannot be changed.")

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        # An upsert (INSERT … ON CONFLICT DO UPDATE) would overwrite existing rows.
        if update_conflicts:
            raise ImmutableRecordError("The audit trail cannot be changed.")
        return super().bulk_create(objs, *args, **kwargs)


class TransitionLog(models.Model):
    """Who moved what from which state to which, when and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=64)
    source = models.CharField(_("from"), max_length=32)
    target = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    objects = TransitionLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("transition record")
        verbose_name_plural = _("transition records")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.source or '∅'} → {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecordError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("The audit trail cannot be deleted.")
