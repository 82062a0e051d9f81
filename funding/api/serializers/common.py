"""Field helpers and the related-object check the funding serializers share."""
from decimal import Decimal

from rest_framework import serializers


def money_field(**kw):
    return serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal("0"), **kw)


def percent_field(**kw):
    return serializers.DecimalField(max_digits=7, decimal_places=4, min_value=Decimal("0"),
                                    max_value=Decimal("100"), **kw)


def absolute_url(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


def user_of(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class VisibleRelatedMixin:
    """``visible_fields = {"decision": selectors.decisions_visible_to, …}``: related inputs the caller can see."""

    visible_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            for name, selector in self.visible_fields.items():
                self.fields[name].queryset = selector(request.user)
