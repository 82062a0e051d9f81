"""Uploaded files keep the name the client sent, so the one name check (poc.attachment_checks.check_file_name)
judges what was sent, on the pages as in the API.

Django's multipart parser cuts ``../../tmp/evil.pdf`` down to ``evil.pdf`` (and drops a NUL byte) before any
view sees it, so a page would quietly store ``evil.pdf``. :class:`ClientNameMultiPartParser` parses the same way
and keeps the name as sent on each file as ``client_name``; ``check_upload`` reads it. The pages' requests are
parsed with it through :class:`ClientFileNamesMiddleware`; the API's parser (poc.api.parsers) is built on it.
"""
import html

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList
from django.utils.encoding import force_str

# A name Django would drop entirely (".", ".."): the file is kept under this one so the check can refuse it.
UNNAMED = "unnamed"


def client_name(uploaded) -> str:
    """The file's name as the client sent it (its stored name when it did not come through the parser)."""
    return getattr(uploaded, "client_name", None) or getattr(uploaded, "name", "") or ""


class ClientNameMultiPartParser(MultiPartParser):
    _sent_name = ""

    def sanitize_file_name(self, file_name):
        self._sent_name = html.unescape(file_name or "")
        return super().sanitize_file_name(file_name) or (UNNAMED if self._sent_name else None)

    def handle_file_complete(self, old_field_name, counters):
        super().handle_file_complete(old_field_name, counters)
        files = self._files.getlist(force_str(old_field_name, self._encoding, errors="replace"))
        if files and not hasattr(files[-1], "client_name"):
            files[-1].client_name = self._sent_name


class ClientFileNamesMiddleware:
    """Before anything reads ``request.POST`` (the CSRF check does): multipart bodies of page requests are
    parsed by :class:`ClientNameMultiPartParser`. The API parses its own bodies (DRF parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def parse_file_upload(META, post_data):
            request.upload_handlers = ImmutableList(request.upload_handlers, warning=(
                "You cannot alter upload handlers after the upload has been processed."))
            return ClientNameMultiPartParser(META, post_data, request.upload_handlers, request.encoding).parse()

        request.parse_file_upload = parse_file_upload
        return self.get_response(request)
