"""Server errors: a database that is down or does not answer gives a quick 503 (JSON under /api/, a page
otherwise), any other failure Django's 500 (JSON under /api/ too).

Installed as ``handler500`` (config/urls.py): Django calls it with the exception being handled, wherever it
was raised (a view, a middleware, a template). Nothing here touches the database."""
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER = "30"  # seconds


def _database_unavailable() -> bool:
    exc = sys.exc_info()[1]
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request):
    unavailable = _database_unavailable()
    if request.path.startswith("/api/"):
        if unavailable:
            response = JsonResponse({"detail": _("The service is briefly unavailable. Please try again in a "
                                                 "few minutes.")}, status=503)
            response["Retry-After"] = RETRY_AFTER
            return response
        return JsonResponse({"detail": _("Something went wrong on our side; please try again later.")},
                            status=500)
    if unavailable:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    return defaults.server_error(request)
