"""Official documents issued by the bureau, each with an unguessable verification code."""
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and type


def new_verification_code() -> str:
    """16 characters from a 32-letter alphabet: 80 bits, unguessable; shown as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def document_path(instance, filename):
    return f"documents/{instance.document_type}/{instance.code}.pdf"


class IssuedDocument(models.Model):
    code = models.CharField(_("verification code"), max_length=19, unique=True, default=new_verification_code)
    document_type = models.CharField(_("document type"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=64, blank=True)  # 文号
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to=document_path, max_length=300)
    size = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["document_type", "content_type", "object_id", "content_hash"],
                                               name="one_document_per_content")]
        indexes = [models.Index(fields=["content_type", "object_id", "document_type"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
