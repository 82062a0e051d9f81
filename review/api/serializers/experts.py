"""Serializers of the expert pool: experts and their affiliations."""
from rest_framework import serializers

from poc.models import Discipline, Institution
from review.models import Expert, ExpertAffiliation


class ExpertAffiliationSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = ExpertAffiliation
        fields = ("id", "institution", "institution_name", "started_on", "ended_on")
        read_only_fields = fields


class ExpertAffiliationInputSerializer(serializers.Serializer):
    institution = serializers.PrimaryKeyRelatedField(queryset=Institution.objects.all(), help_text="Institution id.")
    started_on = serializers.DateField(required=False, allow_null=True)
    ended_on = serializers.DateField(required=False, allow_null=True, help_text="Empty while it lasts.")


class ExpertSerializer(serializers.ModelSerializer):
    """An expert of the pool, as officers (or the expert, for their own profile) see it."""

    username = serializers.CharField(source="user.username", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True, allow_null=True)
    disciplines = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                               help_text="Discipline codes (see `disciplines/`).")
    affiliations = ExpertAffiliationSerializer(many=True, read_only=True)
    qualified = serializers.BooleanField(read_only=True, help_text="Active and has signed the pledge.")

    class Meta:
        model = Expert
        fields = ("id", "username", "name", "institution", "institution_name", "affiliation", "title", "disciplines",
                  "keywords", "max_load_per_call", "active", "pledge_signed_on", "qualified", "affiliations",
                  "created_at")
        read_only_fields = fields


class ExpertUpdateSerializer(serializers.ModelSerializer):
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), allow_null=True, required=False,
        help_text="The expert's current employer when it is a registered institution (id).")
    disciplines = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Discipline.objects.all(),
        help_text="Discipline codes (see `disciplines/`); they replace the current ones.")
    affiliations = ExpertAffiliationInputSerializer(
        many=True, required=False,
        help_text="Past and present affiliations (for the 3-year conflict rule); they replace the current ones.")

    class Meta:
        model = Expert
        fields = ("name", "institution", "affiliation", "title", "disciplines", "keywords", "max_load_per_call",
                  "active", "pledge_signed_on", "affiliations")


class ExpertCreateSerializer(ExpertUpdateSerializer):
    username = serializers.CharField(
        max_length=150, help_text="The expert's account: an existing one is linked, otherwise one is created.")
    email = serializers.EmailField(required=False, allow_blank=True, help_text="For a new account.")

    class Meta(ExpertUpdateSerializer.Meta):
        fields = ("username", "email", *ExpertUpdateSerializer.Meta.fields)
