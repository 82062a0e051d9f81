"""Set-password links sent by email: the password reset (Django's), and the invitation of an account that has
no usable password yet (an expert imported into the pool).

Both links carry a token signed with the secret key over the account's password hash and last sign-in, so a
link stops working once it has been used (the password changed) and after its lifetime: the reset's
``PASSWORD_RESET_TIMEOUT``, the invitation's ``INVITATION_TIMEOUT``. Each email is written in the recipient's
language (their notification preference, else the site's). Nothing in a link or an email names another
account.
"""
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


def recipient_language(user) -> str:
    """The language the user reads PoC Hub in: their notification preference, else the site's."""
    preference = getattr(user, "notification_preference", None) if user.pk else None
    code = getattr(preference, "language", "") or settings.LANGUAGE_CODE
    return "en" if code.lower().startswith("en") else "zh-hans"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password reset's tokens, under another salt and with the invitation's own lifetime."""

    key_salt = "pochub.accounts.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _signature = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()


def invitation_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse("accounts:invitation", kwargs={"uidb64": uid, "token": invitation_tokens.make_token(user)})
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(user) -> None:
    """Email ``user`` a link to set their password, in their language. The caller checks who may invite and
    writes the audit row."""
    context = {"user": user, "name": user.get_full_name() or user.username, "url": invitation_url(user),
               "days": settings.INVITATION_TIMEOUT // 86400, "username": user.get_username()}
    with translation.override(recipient_language(user)):
        subject = " ".join(render_to_string("registration/invitation_subject.txt", context).split())
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
