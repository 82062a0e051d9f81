"""Checks on an uploaded file: name, size and type by content (not only by name)."""
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import BadInput
from .uploads import client_name

# extension → (MIME type, how the content is recognised)
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OOXML_MARKER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


@dataclass
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def human_size(n: int) -> str:
    """1.5 MB, 1 MB, 200 KB: megabytes from 1 MB up, kilobytes below."""
    if n >= 1048576:
        text = f"{n / 1048576:.1f}".removesuffix(".0")
        return f"{text} MB"
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.0f} KB"


def check_file_name(name: str) -> str:
    if not name or not name.strip():
        raise BadInput(_("The file has no name."))
    if "/" in name or "\\" in name or "\x00" in name or name.strip() in (".", "..") or ".." in name.split("."):
        raise BadInput(_("The file name “%(name)s” is not allowed: it must not contain a path.") % {"name": name[:80]})
    if os.path.basename(name) != name:
        raise BadInput(_("The file name “%(name)s” is not allowed: it must not contain a path.") % {"name": name[:80]})
    if len(name) > 200:
        raise BadInput(_("The file name is too long (at most 200 characters)."))
    return name.strip()


def _detect(content: bytes, extension: str) -> str | None:
    """The allowed extension the content really is, or None."""
    if extension in OOXML_MARKER:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for ext, marker in OOXML_MARKER.items():
            if marker in names:
                return ext
        return None
    kind = filetype.guess(content)
    if kind is None:
        return None
    return {"pdf": "pdf", "png": "png", "jpg": "jpg"}.get(kind.extension)


def check_upload(uploaded) -> CheckedFile:
    """Validate an uploaded file; raise BadInput with a clear message, or return its checked facts."""
    name = check_file_name(client_name(uploaded))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise BadInput(_("Files of type “.%(ext)s” are not accepted; use PDF, DOCX, XLSX, PNG or JPEG.")
                       % {"ext": extension or "?"})
    limit = settings.ATTACHMENT_MAX_BYTES
    size = getattr(uploaded, "size", None)
    if size is not None and size > limit:
        raise BadInput(_("The file is %(size)s; the limit is %(limit)s.")
                       % {"size": human_size(size), "limit": human_size(limit)})
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise BadInput(_("The file is larger than the limit of %(limit)s.") % {"limit": human_size(limit)})
    if not content:
        raise BadInput(_("The file is empty."))
    detected = _detect(content, extension)
    wanted = "jpg" if extension == "jpeg" else extension
    if detected != wanted:
        raise BadInput(
            _("“%(name)s” is not a real .%(ext)s file (its content does not match its name).")
            % {"name": name, "ext": extension}
        )
    return CheckedFile(
        name=name, extension=extension, content_type=ALLOWED[extension], size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content=content,
    )
