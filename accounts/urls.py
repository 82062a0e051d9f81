from django.urls import path

from . import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("lockouts/", views.lockouts, name="lockouts"),
    path("two-factor/", two_factor.setup, name="two-factor-setup"),
    path("two-factor/code/", two_factor.verify, name="two-factor-verify"),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two-factor-recovery-codes"),
    path("two-factor/token/", two_factor.api_token, name="two-factor-token"),
]
