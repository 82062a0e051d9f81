"""Issuing a document: render once per distinct content, store privately, give it a verification code.

The content hash is taken over the document's *content* (the data printed), not the PDF bytes, so
regenerating an unchanged document returns the document already issued (same code, same file) instead of
issuing a new one. A changed content issues a new document with a new code.

The public verification page needs each type's Chinese name and validity check. Every app registers the types it
issues (:func:`register_document_type`, as its documents module is imported from its ``AppConfig.ready()``:
``poc.documents.poc_documents``, and the documents of the apps above poc), so poc never names another app's
module; a type nobody registered is shown by its code and taken as valid.
"""
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from poc.models import IssuedDocument

from .kit import Letterhead, site_url


def _always_valid(document) -> tuple[bool, str]:
    return True, "有效"


@dataclass(frozen=True)
class DocumentType:
    code: str  # IssuedDocument.document_type
    name: str  # in Chinese, as the verification page shows it
    validity: Callable = _always_valid  # document -> (still valid?, status text in Chinese)


class DocumentTypes:
    """The register of document types, filled by each app from its ``AppConfig.ready()``."""

    def __init__(self):
        self._types: dict[str, DocumentType] = {}

    def register(self, code: str, name: str, validity: Callable | None = None) -> None:
        """Register (or replace) the type ``code``."""
        self._types[code] = DocumentType(code, name, validity or _always_valid)

    def unregister(self, code: str) -> None:
        self._types.pop(code, None)

    def get(self, code: str) -> DocumentType:
        """The registered type, or a stand-in named by its code that takes every document as valid."""
        return self._types.get(code) or DocumentType(code, code)

    def codes(self) -> tuple[str, ...]:
        return tuple(self._types)


document_types = DocumentTypes()


def register_document_type(document_type: str, name: str, validity: Callable | None = None) -> None:
    document_types.register(document_type, name, validity)


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
    kind = document_types.get(document.document_type)
    if document.subject is None:
        return kind.name, False, "已失效（对象已不存在）"
    valid, text = kind.validity(document)
    return kind.name, valid, text
