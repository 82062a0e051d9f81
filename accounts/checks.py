"""Deploy check: the second factor is never off in production."""
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def second_factor_required(app_configs=None, **kwargs):
    if not settings.DEBUG and not getattr(settings, "REQUIRE_SECOND_FACTOR", True):
        return [checks.Warning(
            "REQUIRE_SECOND_FACTOR is off while DEBUG is off: officers, fund managers and administrators "
            "sign in with a password alone.",
            hint="Unset REQUIRE_SECOND_FACTOR (it is on by default); only the embedded demo turns it off.",
            id="accounts.W001")]
    return []
