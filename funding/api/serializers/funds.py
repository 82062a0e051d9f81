"""Serializers of funds, their portfolio figures and managers."""
from decimal import Decimal

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from funding import figures
from funding.api.serializers.common import money_field
from funding.models import Fund
from poc.api.serializers.common import nested
from poc.roles import FUND_MANAGER


class PortfolioSerializer(serializers.Serializer):
    invested = money_field(read_only=True, help_text="Paid in by investments (yuan).")
    converted = money_field(read_only=True, help_text="Convertible grants converted into equity (yuan).")
    realised = money_field(read_only=True, help_text="Exit proceeds (yuan).")
    unrealised = money_field(read_only=True, help_text="The latest valuation marks of the holdings (yuan).")
    moic = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True,
                                    help_text="(realised + unrealised) / cost; null with no cost.")
    irr = serializers.DecimalField(max_digits=16, decimal_places=6, read_only=True, allow_null=True,
                                   help_text="XIRR over the dated flows, annualised, as a fraction (0.125 = 12.5 %); "
                                             "null where undefined.")
    investments = serializers.IntegerField(read_only=True)
    cash_flows = serializers.IntegerField(read_only=True)

    def to_representation(self, portfolio):
        data = super().to_representation({
            "invested": portfolio.invested, "converted": portfolio.converted, "realised": portfolio.realised,
            "unrealised": portfolio.unrealised, "moic": portfolio.moic,
            "irr": None if portfolio.irr is None else Decimal(str(round(portfolio.irr, 6))),
            "investments": portfolio.investments, "cash_flows": portfolio.cash_flows,
        })
        return data


class FundSerializer(serializers.ModelSerializer):
    """A fund with its derived figures (never stored): committed, invested, available, and its portfolio."""

    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    committed = serializers.SerializerMethodField(help_text="Equity parts of approved decisions (yuan).")
    invested = serializers.SerializerMethodField(help_text="Recorded investments, conversions excluded (yuan).")
    available = serializers.SerializerMethodField(help_text="Size less committed (yuan).")
    portfolio = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ("id", "name", "parent", "parent_name", "manager_organisation", "size", "cap_per_project",
                  "cap_share_per_project", "cap_stake", "entry_max_company_age_years", "entry_min_paid_in_percent",
                  "committed", "invested", "available", "portfolio")
        read_only_fields = fields

    def _batch(self, fund) -> list:
        """The funds serialised together with this one (the page of a list), so figures are read for all at once."""
        listed = getattr(self.parent, "instance", None) if isinstance(self.parent, serializers.ListSerializer) else None
        funds = list(listed) if listed is not None else []
        return funds if any(f.pk == fund.pk for f in funds) else [fund]

    def _figures(self, fund):
        cache = self.context.setdefault("_fund_figures", {})
        if fund.pk not in cache:
            cache.update(figures.fund_figures_of(self._batch(fund)))
        return cache[fund.pk]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_committed(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).committed)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_invested(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).invested)

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_available(self, fund):
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(
            self._figures(fund).available)

    @extend_schema_field(PortfolioSerializer)
    def get_portfolio(self, fund):
        cache = self.context.setdefault("_portfolios", {})
        if fund.pk not in cache:
            cache.update(figures.portfolios_of(self._batch(fund)))
        return nested(self, PortfolioSerializer, cache[fund.pk])


class FundInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = ("name", "parent", "manager_organisation", "size", "cap_per_project", "cap_share_per_project",
                  "cap_stake")


class EntryRulesInputSerializer(serializers.ModelSerializer):
    """The fund's entry rules for a convertible grant (先投后股); null removes a rule."""

    class Meta:
        model = Fund
        fields = ("entry_max_company_age_years", "entry_min_paid_in_percent")


class FundManagerInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(groups__name=FUND_MANAGER, is_active=True),
        help_text="A user holding the fund-manager role.")
