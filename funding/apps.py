from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Funds, 投拨结合 decisions, investments and post-investment records (builds on poc and review)."""

    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from poc import gates

        from .gates import funding_approved, funding_proposed

        gates.funding_proposed.register(funding_proposed)
        gates.funding_approved.register(funding_approved)

        from poc.signals import demo_seeded

        from . import documents  # noqa: F401  (registers the funding decision)
        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="funding.demo.seed")
