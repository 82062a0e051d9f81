"""What the published schema promises about a read-only field holds for every value the model allows.

DRF drops ``allow_blank`` from a model field listed in ``read_only_fields``, and a related field is not
nullable unless it says so; the schema then promised ``disciplines.parent`` never null and
``funding-decisions.exit_method`` and ``reviews.recommendation`` always one of their choices, and the
answers broke it. Every model serializer of the API is checked here, so a new one is covered by itself.
"""
import pytest
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

PROJECT_APPS = ("poc", "review", "funding", "transfer", "accounts")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def api_model_serializers():
    SchemaGenerator().get_schema(request=None, public=True)  # imports every serializer the API uses
    found = {cls for cls in _subclasses(serializers.ModelSerializer)
             if cls.__module__.split(".")[0] in PROJECT_APPS and getattr(getattr(cls, "Meta", None), "model", None)}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def broken_promises(serializer_class):
    model = serializer_class.Meta.model
    for name, field in serializer_class().fields.items():
        if not field.read_only or isinstance(field, serializers.BaseSerializer | serializers.ManyRelatedField):
            continue
        if field.source == "*" or "." in field.source:
            continue
        try:
            model_field = model._meta.get_field(field.source)
        except FieldDoesNotExist:
            continue
        if getattr(model_field, "null", False) and not field.allow_null:
            yield f"{name}: may be null, declared never null"
        if (getattr(model_field, "choices", None) and getattr(model_field, "blank", False)
                and isinstance(field, serializers.ChoiceField) and not field.allow_blank):
            yield f"{name}: may be empty, declared one of its choices"


def test_the_api_has_model_serializers_to_check():
    assert len(api_model_serializers()) > 40


@pytest.mark.parametrize("serializer_class", api_model_serializers(), ids=lambda cls: cls.__qualname__)
def test_a_read_only_field_declares_the_empty_values_its_model_allows(serializer_class):
    assert list(broken_promises(serializer_class)) == []


def test_the_schema_allows_the_empty_values_the_issue_found():
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    assert components["Discipline"]["properties"]["parent"].get("nullable") is True
    for component, field in (("FundingDecision", "exit_method"), ("Review", "recommendation")):
        refs = [part["$ref"] for part in components[component]["properties"][field]["oneOf"]]
        assert "#/components/schemas/BlankEnum" in refs, (component, field, refs)
