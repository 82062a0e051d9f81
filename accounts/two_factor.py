"""The second-factor pages: set up an authenticator (TOTP, with recovery codes), enter its code after the
password, new recovery codes, and the API token of a user who passed the second factor."""
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from reportlab.graphics.barcode import qrencoder
from rest_framework.authtoken.models import Token

from .second_factor import has_authenticator

RECOVERY_CODES = 10


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=16,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


def qr_svg(value: str) -> str:
    """The QR code of ``value`` as an inline SVG (ReportLab's encoder: no image library, nothing fetched)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    count, border = qr.getModuleCount(), 4
    rects = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in groupby(bool(m) for m in row):
            n = sum(1 for _ in group)
            if dark:
                rects.append(f"M{c + border} {r + border}h{n}v1h-{n}z")
            c += n
    size = count + 2 * border
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="220" height="220" '
            f'role="img" aria-label="QR"><rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path d="{"".join(rects)}" fill="#000"/></svg>')


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes (each works once) and return them, to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Scan the QR code into an authenticator app, enter its code: the authenticator is on, recovery codes shown."""
    if has_authenticator(request.user) and not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()  # one authenticator
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_recovery_codes(request.user)
            otp_login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("This code is not right. Check your authenticator's clock and try again."))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr": qr_svg(device.config_url), "secret": _spaced(device), "next": _next(request),
        "active": has_authenticator(request.user)})


def _spaced(device) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: the authenticator's code, or one recovery code."""
    if not has_authenticator(request.user):
        return redirect("accounts:two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(request, _("You used a recovery code; it will not work again."))
            return redirect(_next(request))
        form.add_error("code", _("This code is not right. Check your authenticator's clock and try again."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working); only after the second factor."""
    if not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    return render(request, "registration/two_factor_codes.html",
                  {"codes": new_recovery_codes(request.user), "next": "/"})


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's API token, shown after the second factor (officers, fund managers, superusers get it here)."""
    if not request.user.is_verified():
        return redirect("accounts:two-factor-verify")
    token = None
    if request.method == "POST":
        Token.objects.filter(user=request.user).delete()  # a new one replaces the old
        token = Token.objects.create(user=request.user)
    return render(request, "registration/two_factor_token.html", {"token": token})
