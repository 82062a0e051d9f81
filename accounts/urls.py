from django.urls import path

from . import passwords, two_factor, views

app_name = "accounts"

urlpatterns = [
    path("lockouts/", views.lockouts, name="lockouts"),
    path("two-factor/", two_factor.setup, name="two-factor-setup"),
    path("two-factor/code/", two_factor.verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two-factor-recovery-codes"),
    path("two-factor/token/", two_factor.api_token, name="two-factor-token"),
    # set-password links (accounts/links.py): the password reset, and the invitation of an imported expert
    path("password-reset/", passwords.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", passwords.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("invitation/<uidb64>/<token>/", passwords.InvitationView.as_view(), name="invitation"),
    path("password-set/", passwords.PasswordSetView.as_view(), name="password-set"),
]
