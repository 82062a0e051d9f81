from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """Funds, 投拨结合 decisions, investments and post-investment records (builds on poc and review)."""

    name = "funding"
    verbose_name = _("Funding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from poc.homes import register_home
        from poc.roles import FUND_MANAGER

        register_home(FUND_MANAGER, "funding:home")  # where this role lands after signing in
        from poc import gates

        from . import policies  # noqa: F401  (declares access to this app's models; widens poc's)
        from .figures_version import connect as cache_figures_until_money_moves
        from .gates import funding_approved, funding_proposed, registered_contracts

        cache_figures_until_money_moves()

        gates.funding_proposed.register(funding_proposed)
        gates.funding_approved.register(funding_approved)
        gates.transfer_records.register(self.name, registered_contracts)

        # What poc asks of funding, answered by registration (poc never names funding): the rules of its events,
        # what fulfils a conversion obligation, and its document types (registered as funding.documents is
        # imported).
        from poc.notifications.registry import notification_rules, unfulfilled_obligations

        from . import (
            documents,  # noqa: F401  (registers the funding decision)
            notifications,
        )

        notification_rules.register(self.name, transitions=notifications.TRANSITIONS,
                                    creations=notifications.CREATIONS)
        unfulfilled_obligations.register(notifications.without_tech_contract)

        from .exports import register_funding_exports

        register_funding_exports()  # the technology contracts, through poc's export framework

        from poc.signals import demo_seeded

        from .demo import seed

        demo_seeded.connect(seed, dispatch_uid="funding.demo.seed")

        from poc.charts import PROGRAMME, register_chart

        from .charts import contracts_per_year

        register_chart(PROGRAMME, 60, contracts_per_year)
