"""Who must sign in with a second factor (TOTP, django-otp), and the middleware that holds them to it.

Officers, fund managers and superusers must, whenever ``settings.REQUIRE_SECOND_FACTOR`` is on (the default;
only the embedded demo turns it off, and a deploy check warns if it is off with DEBUG off). Applicants and
experts may: once they have set up an authenticator, they are asked for its code too. Until a signed-in user
who must has passed the second factor, every page leads to the set-up or code page and the API (with the
session) answers 403; API tokens for these roles are issued only after it (accounts/api.py)."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from poc.access import district_officer, fund_manager, officer

OPEN_PATHS = ("/accounts/two-factor/", "/accounts/login/", "/accounts/logout/", "/static/", "/health/", "/i18n/",
              "/verify/", "/public/")


def enabled() -> bool:
    return bool(getattr(settings, "REQUIRE_SECOND_FACTOR", True))


def role_requires(user) -> bool:
    """Officers (the bureau's and the districts'), fund managers and superusers must use a second factor."""
    return bool(user.is_authenticated
                and (user.is_superuser or (officer | district_officer | fund_manager).holds(user)))


def has_authenticator(user) -> bool:
    return user_has_device(user, confirmed=True)


def must_verify(user) -> bool:
    """Signed in, not yet verified in this session, and required to (by role, or by their own choice)."""
    if not enabled() or not user.is_authenticated or user.is_verified():
        return False
    return role_requires(user) or has_authenticator(user)


def refusal() -> str:
    return _("Sign in with your second factor first (the authenticator code).")


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: sends a signed-in user who must verify to the set-up or code page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(OPEN_PATHS) and must_verify(user):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": refusal()}, status=403)
            page = "accounts:two-factor-verify" if has_authenticator(user) else "accounts:two-factor-setup"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
