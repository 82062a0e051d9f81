"""Document types are registered by the apps that issue them; poc's verification page only asks the register."""
import pytest
from django.contrib.contenttypes.models import ContentType

from poc.documents import issuing
from poc.documents.issuing import DocumentTypes, document_types, validity_of
from poc.models import IssuedDocument
from tests.factories import make_application

POC_TYPES = {"application_form", "designation_notice", "designation_certificate", "approval_notice",
             "public_notice", "evaluation_result", "acceptance_opinion"}


def test_a_type_is_registered_replaced_and_unregistered():
    types = DocumentTypes()
    types.register("memo", "备忘录")
    assert types.get("memo").name == "备忘录" and types.get("memo").validity(None) == (True, "有效")
    types.register("memo", "通知", lambda document: (False, "已撤回"))
    assert types.codes() == ("memo",)
    assert types.get("memo").name == "通知" and types.get("memo").validity(None) == (False, "已撤回")
    types.unregister("memo")
    assert types.codes() == ()


def test_an_unregistered_type_is_shown_by_its_code_and_taken_as_valid():
    stand_in = DocumentTypes().get("unknown")
    assert (stand_in.code, stand_in.name, stand_in.validity(None)) == ("unknown", "unknown", (True, "有效"))


def test_each_app_registered_its_own_types_once_the_apps_are_ready():
    owner = {code: document_types.get(code).validity.__module__.split(".")[0] for code in document_types.codes()}
    assert POC_TYPES <= set(owner)
    assert {"score_sheet", "review_summary", "funding_decision"} <= set(owner)
    assert owner["score_sheet"] == owner["review_summary"] == "review"
    assert owner["funding_decision"] == "funding"
    assert {owner[code] for code in POC_TYPES} == {"poc"}


def test_issuing_names_no_module_to_import():
    assert not hasattr(issuing, "DOCUMENT_MODULES") and not hasattr(issuing, "import_module")


@pytest.mark.django_db
def test_without_the_app_that_registered_it_a_document_still_verifies_by_its_code(monkeypatch):
    monkeypatch.setattr(document_types, "_types", dict(document_types._types))
    document_types.unregister("score_sheet")
    application = make_application()
    document = IssuedDocument(document_type="score_sheet", title="评审打分表",
                              content_type=ContentType.objects.get_for_model(application), object_id=application.pk)
    assert validity_of(document) == ("score_sheet", True, "有效")
