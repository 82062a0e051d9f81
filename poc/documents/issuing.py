"""Issuing a document: render once per distinct content, store privately, give it a verification code.

The content hash is taken over the document's *content* (the data printed), not the PDF bytes, so
regenerating an unchanged document returns the document already issued (same code, same file) instead of
issuing a new one. A changed content issues a new document with a new code.
"""
import hashlib
import json
from collections.abc import Callable
from importlib import import_module

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from poc.models import IssuedDocument

from .kit import Letterhead, site_url

# document_type → (Chinese name, function(document) -> (valid: bool, status text)) for the public check.
VALIDITY: dict[str, tuple[str, Callable]] = {}
# The modules that register document types (at import): the public check loads them all first, so a process
# that has not issued a document of some type yet still knows its name and its validity check.
DOCUMENT_MODULES = ("poc.documents.poc_documents", "review.documents", "funding.documents")


def register_document_type(document_type: str, name: str, validity: Callable | None = None) -> None:
    VALIDITY[document_type] = (name, validity or (lambda doc: (True, "有效")))


def content_hash(document_type: str, content: dict) -> str:
    payload = json.dumps({"type": document_type, "content": content}, sort_keys=True, ensure_ascii=False,
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def is_current(document, content: dict) -> bool:
    """Does ``document`` print ``content`` (its subject's data as it is now)?"""
    return content_hash(document.document_type, content) == document.content_hash


def issue(document_type: str, subject, *, title: str, content: dict, render: Callable[[Letterhead], bytes],
          document_number: str = "", user=None, landscape: bool = False) -> IssuedDocument:
    """The issued document for ``subject`` with this ``content``: the existing one if unchanged, else a new one.

    ``render(letterhead)`` builds the PDF bytes; the letterhead carries the verification code and its URL.
    """
    ct = ContentType.objects.get_for_model(type(subject))
    digest = content_hash(document_type, content)
    existing = IssuedDocument.objects.filter(document_type=document_type, content_type=ct, object_id=subject.pk,
                                             content_hash=digest).first()
    if existing is not None:
        return existing
    document = IssuedDocument(document_type=document_type, title=title, document_number=document_number,
                              content_type=ct, object_id=subject.pk, content_hash=digest,
                              issued_by=user if getattr(user, "pk", None) else None)
    letterhead = Letterhead(title=title, document_number=document_number, verification_code=document.code,
                            verify_url=site_url() + reverse("verify-document", args=[document.code]),
                            landscape=landscape)
    pdf = render(letterhead)
    try:
        with transaction.atomic():
            document.size = len(pdf)
            document.file.save(f"{document.code}.pdf", ContentFile(pdf), save=False)
            document.save()
    except IntegrityError:  # issued meanwhile by a concurrent request
        document.file.delete(save=False)
        return IssuedDocument.objects.get(document_type=document_type, content_type=ct, object_id=subject.pk,
                                          content_hash=digest)
    return document


def validity_of(document: IssuedDocument) -> tuple[str, bool, str]:
    """(Chinese name of the type, still valid?, status text) for the public verification page."""
    for module in DOCUMENT_MODULES:
        import_module(module)
    name, check = VALIDITY.get(document.document_type, (document.document_type, lambda d: (True, "有效")))
    subject = document.subject
    if subject is None:
        return name, False, "已失效（对象已不存在）"
    valid, text = check(document)
    return name, valid, text
