"""Public journeys: the designated centers list, and checking a document by its verification code."""
from django.utils import timezone

from poc.documents.poc_documents import designation_certificate
from poc.models import Center
from tests.factories import InstitutionFactory, officer
from tests.poc.after_approval_factories import make_center


def test_public_centers_list_shows_the_designated_centers(ui):
    make_center(institution=InstitutionFactory(name="瓯江实验室"), name="瓯江材料概念验证中心")
    make_center(state="revoked", name="已撤销的中心")
    ui.goto("/public/centers/")
    main = ui.text()
    assert ui.t("已认定的概念验证中心和中试基地", "Designated PoC centers and pilot bases") in main
    assert "瓯江材料概念验证中心" in main and "瓯江实验室" in main
    assert "已撤销的中心" not in main
    ui.shot("centers")


def test_verify_a_valid_then_revoked_certificate_and_an_unknown_code(ui):
    center = make_center(institution=InstitutionFactory(name="瓯江实验室"))
    document = designation_certificate(center, officer())
    ui.goto(f"/verify/{document.code}/")
    main = ui.text()
    assert document.code in main and "认定证书" in main and "有效" in main
    assert ui.t("文书核验", "Document verification") in main
    ui.shot("valid")

    Center.objects.filter(pk=center.pk).update(state="revoked", revoked_on=timezone.localdate())
    ui.goto(f"/verify/{document.code}/")
    assert "已撤销" in ui.text()
    ui.shot("revoked")

    ui.expect_status("/verify/", 404)
    response = ui.goto("/verify/ABCD-EFGH-JKLM-NPQR/")
    assert response.status == 404
    main = ui.text()
    assert ui.t("未找到该核验码对应的文书", "No document has this verification code") in main
    ui.shot("unknown")
