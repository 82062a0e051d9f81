"""A fund's portfolio figures are cached until money moves in it: saving or deleting an investment, an exit or a
valuation mark bumps the fund's ``figures_version`` (one UPDATE), and funding/figures.py caches under it.

Bulk writes (``bulk_create``, ``QuerySet.update``) send no signal: a service that writes these rows in bulk calls
``money_moved(fund_id)`` itself."""
from django.db.models import F


def money_moved(*fund_ids) -> None:
    from .models import Fund

    Fund.objects.filter(pk__in=[f for f in fund_ids if f is not None]).update(figures_version=F("figures_version") + 1)


def _investment_changed(sender, instance, **kwargs):
    money_moved(instance.fund_id)


def _holding_changed(sender, instance, **kwargs):
    from .models import Fund, Investment

    Fund.objects.filter(pk__in=Investment.objects.filter(pk=instance.investment_id).values("fund_id")).update(
        figures_version=F("figures_version") + 1)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Exit, Investment, ValuationMark

    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_investment_changed, sender=Investment, dispatch_uid=f"funding.figures.investment.{name}")
        for model in (Exit, ValuationMark):
            signal.connect(_holding_changed, sender=model,
                           dispatch_uid=f"funding.figures.{model._meta.model_name}.{name}")
