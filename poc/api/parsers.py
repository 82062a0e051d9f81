"""A multipart parser that refuses file names with a path instead of quietly trimming them.

Django's parser cuts ``../../etc/x.pdf`` down to ``x.pdf`` before any view sees it. The API answers 400 with
the reason as soon as it reads such a name, through the same check the pages' uploads meet in
``check_upload`` (poc.attachment_checks.check_file_name on the name as sent, see poc.uploads).
"""
import html

from django.http.multipartparser import MultiPartParserError
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser, get_encoding

from poc.attachment_checks import check_file_name
from poc.uploads import ClientNameMultiPartParser


class _StrictDjangoMultiPartParser(ClientNameMultiPartParser):
    def sanitize_file_name(self, file_name):
        check_file_name(html.unescape(file_name or ""))  # raises BadInput (400) on a path
        return super().sanitize_file_name(file_name)


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        request = parser_context["request"]
        encoding = get_encoding(parser_context)
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            parser = _StrictDjangoMultiPartParser(meta, stream, request.upload_handlers, encoding)
            data, files = parser.parse()
            return DataAndFiles(data, files)
        except MultiPartParserError as exc:
            raise ParseError(f"Multipart form parse error - {exc}") from exc
