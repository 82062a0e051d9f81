"""Serializers of institutions and memberships, and of the token login."""
from rest_framework import serializers

from poc.models import Institution, Membership
from poc.validators import validate_credit_code


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send it as `Authorization: Token <token>`.")


class InstitutionSerializer(serializers.ModelSerializer):
    type_display = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Institution
        fields = ("id", "name", "credit_code", "type", "type_display", "district", "address", "contact_name",
                  "contact_phone", "contact_email", "founded_on", "registered_capital", "paid_in_capital", "verified",
                  "verified_at", "created_at")
        read_only_fields = fields


class InstitutionInputSerializer(serializers.ModelSerializer):
    """Register or edit an institution; uniqueness and the rest are checked by the service."""

    class Meta:
        model = Institution
        fields = ("name", "credit_code", "type", "district", "address", "contact_name", "contact_phone",
                  "contact_email", "founded_on", "registered_capital", "paid_in_capital")
        extra_kwargs = {"credit_code": {"validators": [validate_credit_code]}}


class JoinByCodeSerializer(serializers.Serializer):
    credit_code = serializers.CharField(max_length=18, help_text="统一社会信用代码 of the institution to join.")


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Membership
        fields = ("id", "username", "institution", "institution_name", "status", "status_display", "is_admin",
                  "created_at", "decided_at")
        read_only_fields = fields
