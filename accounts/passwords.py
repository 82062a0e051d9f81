"""Pages of the set-password links (accounts/links.py): asking for a password reset, setting a new password
from a reset link or from an invitation.

Asking for a reset answers the same page whether or not the address has an account (nothing tells who is
registered), and is rate limited per client address and per email address (``PASSWORD_RESET_RATE``).
"""
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from poc.throttle import over_limit

from .links import invitation_tokens, recipient_language


class PasswordResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Django's email, written in the recipient's language."""
        with translation.override(recipient_language(context["user"])):
            subject = " ".join(render_to_string(subject_template_name, context).split())
            body = render_to_string(email_template_name, context)
        EmailMultiAlternatives(subject, body, from_email, [to_email]).send()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        rate = settings.PASSWORD_RESET_RATE
        if over_limit(self.request, "password-reset", rate) or over_limit(self.request, "password-reset-email",
                                                                           rate, who=email):
            form.add_error(None, _("Too many requests for a password reset. Please wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/"),
                                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
        return super().form_valid(form)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_set_form.html"
    success_url = reverse_lazy("accounts:password-set")
    extra_context = {"invitation": False}


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invited account sets its first password (the link of accounts.links.send_invitation)."""

    template_name = "registration/password_set_form.html"
    token_generator = invitation_tokens
    reset_url_token = "set-password"
    success_url = reverse_lazy("accounts:password-set")
    extra_context = {"invitation": True}


class PasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_set_done.html"
