"""Login lockout (django-axes): after LOGIN_FAILURE_LIMIT failures for one account, or from one address, that
account or address is refused for LOGIN_LOCKOUT_MINUTES, with a message in the user's language; an officer
unlocks it earlier on the lockouts page (views.lockouts) or in the admin."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address: behind our TLS proxy, the last X-Forwarded-For entry (the one the proxy added)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "BEHIND_TLS_PROXY", False):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed sign-in attempts for this account or from this address. Try again in %(minutes)s "
             "minutes, or ask the bureau to unlock the account.") % {"minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429 with the message (JSON under /api/)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message()}, status=429)
    return render(request, "registration/locked_out.html", {"message": message()}, status=429)
