"""API errors: JSON ``{"detail": …}`` (plus field errors), in the request's language."""
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from poc.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.detail}
        if exc.field_errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
        return Response(body, status=exc.status)
    return drf_exception_handler(exc, context)
