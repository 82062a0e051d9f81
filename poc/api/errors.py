"""API errors: JSON ``{"detail": …}`` (plus field errors), in the request's language.

Domain errors (poc.errors) carry their own status; DRF's validation errors are reshaped into the
same form, so a client reads one shape: ``{"detail": "…", "errors": {"field": ["…"]}}``; a refusal with
several reasons also lists them one by one in ``reasons``.
"""
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from poc.errors import DomainError

NON_FIELD = "non_field_errors"


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field.sub": ["message", …]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if not prefix else (prefix if key == NON_FIELD else f"{prefix}.{key}")
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        for i, item in enumerate(detail):
            if isinstance(item, dict | list):
                for k, v in _flatten(item, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
            else:
                out.setdefault(prefix or NON_FIELD, []).append(str(item))
    else:
        out.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return out


def validation_body(detail) -> dict:
    errors = _flatten(detail)
    parts = []
    for field, messages in errors.items():
        for message in messages:
            parts.append(message if field == NON_FIELD else f"{field}: {message}")
    return {"detail": " ".join(parts), "errors": errors}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.detail}
        if len(exc.messages) > 1:
            body["reasons"] = list(exc.messages)
        if exc.field_errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
        return Response(body, status=exc.status)
    if isinstance(exc, Http404):
        # One translated body whether the object is missing or hidden from the caller (never the model name).
        exc = NotFound()
    if isinstance(exc, ValidationError):
        response = drf_exception_handler(exc, context)
        if response is not None:
            response.data = validation_body(exc.detail)
        return response
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (for the OpenAPI schema)."""

    detail = serializers.CharField(help_text="What went wrong, in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Messages per input field, when the error concerns fields.",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="The reasons one by one, when there are several (e.g. every failing condition of a step).",
    )


ERROR_DESCRIPTIONS = {
    400: "Bad input (`errors` names the fields).",
    403: "Not permitted for this user (the body says why).",
    404: "No such object, or the caller may not see it.",
    409: "Not possible in the current state (the body says why).",
}


def error_responses(*codes: int, **descriptions: str) -> dict:
    """OpenAPI responses for error ``codes``; ``descriptions`` overrides them as ``e400="…"``."""
    return {
        code: OpenApiResponse(ErrorSerializer, description=descriptions.get(f"e{code}", ERROR_DESCRIPTIONS[code]))
        for code in codes
    }
