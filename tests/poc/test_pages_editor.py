"""The application editor and attachment files: only the applicant, only while draft or returned."""
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from poc.models import Attachment
from poc.workflow import run_transition
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    make_application,
    officer,
    pdf_bytes,
)

from .pages_support import TwoInstitutions, browser, messages_of, text

pytestmark = pytest.mark.django_db

ROW_KINDS = ("ip_items", "team_members", "budget_lines", "milestones")


def sections(pk):
    return [reverse("editor", args=[pk]), reverse("editor-basics", args=[pk]), reverse("editor-details", args=[pk]),
            reverse("editor-attachments", args=[pk]), reverse("editor-pledges", args=[pk])] + [
        reverse("editor-rows", args=[pk, kind]) for kind in ROW_KINDS]


def test_every_editor_section_renders_for_the_applicant_and_is_refused_to_officers():
    world = TwoInstitutions()
    client, staff = browser(world.applicant_a), browser(officer())
    for url in sections(world.app_a.pk):
        assert client.get(url).status_code == 200, url
        assert staff.get(url).status_code == 403, url


def test_a_center_application_has_no_row_sections():
    call = CallFactory(kind="pilot_base")
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    application = make_application(call, institution, created_by=applicant)
    client = browser(applicant)
    assert client.get(reverse("editor-details", args=[application.pk])).status_code == 200
    for kind in ROW_KINDS:
        assert client.get(reverse("editor-rows", args=[application.pk, kind])).status_code == 404
    assert client.get(reverse("editor-rows", args=[application.pk, "nonsense"])).status_code == 404


@pytest.mark.parametrize("state", ["submitted", "under_review", "approved", "rejected", "withdrawn"])
def test_the_editor_refuses_edits_outside_draft_and_returned(state):
    world = TwoInstitutions(state=state)
    client = browser(world.applicant_a)
    pk = world.app_a.pk
    response = client.get(reverse("editor", args=[pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("application-detail", args=[pk])
    assert any("can no longer be edited" in m for m in messages_of(response))
    line = world.app_a.budget_lines.first()
    attachment = world.app_a.attachments.first()
    client.post(reverse("editor-basics", args=[pk]), {"title": "Changed", "summary": "Changed"})
    client.post(reverse("editor-details", args=[pk]), {"trl_now": 4, "trl_target": 6, "duration_months": 12,
                                                      "requested_grant": "1", "requested_investment": "0",
                                                      "self_funded": "0", "market_analysis": "x"})
    client.post(reverse("editor-rows", args=[pk, "milestones"]), {"new-month": 3, "new-title": "New",
                                                                  "new-deliverables": "x"})
    client.post(reverse("editor-row-delete", args=[pk, "budget_lines", line.pk]))
    client.post(reverse("editor-attachments", args=[pk]), {
        "attachment_type": "other", "file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    client.post(reverse("attachment-delete", args=[pk, attachment.pk]))
    client.post(reverse("editor-pledges", args=[pk]), {})
    world.app_a.refresh_from_db()
    assert world.app_a.title == "Alpha secret project" and world.app_a.summary == "A summary."
    assert world.app_a.project_details.trl_now == 3
    assert world.app_a.milestones.count() == 1 and world.app_a.budget_lines.count() == 2
    assert world.app_a.attachments.count() == 1
    assert world.app_a.integrity_pledged_at is not None


def test_a_returned_application_is_editable_and_shows_the_reason():
    world = TwoInstitutions()
    run_transition(world.app_a, "submit", world.applicant_a)
    run_transition(world.app_a, "return_for_revision", officer(), "Add the audit report.")
    client = browser(world.applicant_a)
    body = text(client.get(reverse("editor", args=[world.app_a.pk])))
    assert "Add the audit report." in body and "Revise and resubmit by" in body
    assert reverse("application-transition", args=[world.app_a.pk, "resubmit"]) in body
    client.post(reverse("application-transition", args=[world.app_a.pk, "resubmit"]))
    world.app_a.refresh_from_db()
    assert world.app_a.state == "submitted"


def test_the_checklist_says_exactly_what_is_missing_and_submit_waits_for_it():
    world = TwoInstitutions(complete=False)
    body = text(browser(world.applicant_a).get(reverse("editor", args=[world.app_a.pk])))
    for item in ("Current and target TRL are required.", "Market analysis is missing.", "List the team.",
                 "Attachment missing: Signed application form.",
                 "The research-integrity pledge has not been confirmed."):
        assert item in body
    assert reverse("application-transition", args=[world.app_a.pk, "submit"]) not in body
    body = text(browser(world.applicant_a).get(reverse("editor", args=[make_application(
        world.call, world.inst_a, created_by=world.applicant_a).pk])))
    assert "Everything required is present. You can submit." in body


def test_basics_are_saved():
    world = TwoInstitutions()
    response = browser(world.applicant_a).post(reverse("editor-basics", args=[world.app_a.pk]),
                                               {"title": "新标题", "summary": "新摘要", "keywords": "a, b"})
    assert response.status_code == 302
    world.app_a.refresh_from_db()
    assert (world.app_a.title, world.app_a.summary, world.app_a.keywords) == ("新标题", "新摘要", "a, b")


def test_bad_basics_are_refused_and_nothing_changes():
    world = TwoInstitutions()
    response = browser(world.applicant_a).post(reverse("editor-basics", args=[world.app_a.pk]),
                                               {"title": "", "summary": "Changed"})
    assert response.status_code == 200
    assert "This field is required." in text(response) and "Nothing was saved" in text(response)
    world.app_a.refresh_from_db()
    assert world.app_a.summary == "A summary."


def project_details_post(**overrides):
    data = {"trl_now": "4", "trl_target": "6", "duration_months": "20", "requested_grant": "450000.50",
            "requested_investment": "1000000", "self_funded": "200000", "market_analysis": "Large market."}
    data.update(overrides)
    return data


def test_project_details_are_saved_as_decimal_yuan():
    world = TwoInstitutions()
    browser(world.applicant_a).post(reverse("editor-details", args=[world.app_a.pk]), project_details_post())
    details = world.app_a.project_details
    details.refresh_from_db()
    assert details.requested_grant == Decimal("450000.50") and details.trl_target == 6


@pytest.mark.parametrize("overrides, message", [
    ({"requested_grant": "-1"}, "greater than or equal to 0"),
    ({"requested_grant": "12.345"}, "no more than 2 decimal places"),
    ({"trl_now": "6", "trl_target": "5"}, "Target TRL must be above the current TRL."),
    ({"duration_months": "30"}, "less than or equal to 24"),
])
def test_bad_project_details_are_refused_with_a_clear_message_and_nothing_changes(overrides, message):
    world = TwoInstitutions()
    response = browser(world.applicant_a).post(reverse("editor-details", args=[world.app_a.pk]),
                                               project_details_post(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    details = world.app_a.project_details
    details.refresh_from_db()
    assert (details.trl_now, details.trl_target, details.duration_months) == (3, 5, 18)
    assert details.requested_grant == Decimal("500000.00")


def test_center_details_take_services_as_checkboxes():
    call = CallFactory(kind="poc_center")
    institution = InstitutionFactory()
    applicant = applicant_of(institution)
    application = make_application(call, institution, created_by=applicant, complete=False)
    response = browser(applicant).post(reverse("editor-details", args=[application.pk]), {
        "site_area_m2": "800", "equipment_value": "3000000", "service_team_size": "9",
        "services": ["testing", "incubation"], "audited_spend_last_year": "100000.00",
        "audited_spend_year_before": "90000", "advisory_panel": "A; B; C", "pipeline_size": "7"})
    assert response.status_code == 302
    details = application.center_details
    details.refresh_from_db()
    assert details.services == ["testing", "incubation"] and details.equipment_value == Decimal("3000000")


def test_rows_are_added_edited_and_deleted():
    world = TwoInstitutions()
    client = browser(world.applicant_a)
    pk = world.app_a.pk
    response = client.post(reverse("editor-rows", args=[pk, "team_members"]),
                           {"new-name": "王工", "new-role": "工艺", "new-title": "高工", "new-organisation": "X"})
    assert response.status_code == 302
    member = world.app_a.team_members.get(name="王工")
    line = world.app_a.budget_lines.get(category="设备费")
    client.post(reverse("editor-row-edit", args=[pk, "budget_lines", line.pk]),
                {"category": "设备费", "source": "grant", "amount": "450000.00", "note": ""})
    line.refresh_from_db()
    assert line.amount == Decimal("450000.00")
    client.post(reverse("editor-row-delete", args=[pk, "team_members", member.pk]))
    assert not world.app_a.team_members.filter(name="王工").exists()
    body = text(client.get(reverse("editor", args=[pk])))
    assert "The budget lines paid by the grant add up to ¥450,000.00" in body  # the checklist follows the rows


def test_a_bad_row_is_refused_and_nothing_is_added():
    world = TwoInstitutions()
    response = browser(world.applicant_a).post(reverse("editor-rows", args=[world.app_a.pk, "milestones"]),
                                               {"new-month": "30", "new-title": "Late", "new-deliverables": "x"})
    assert response.status_code == 200 and "less than or equal to 24" in text(response)
    assert not world.app_a.milestones.filter(title="Late").exists()


def test_pledges_are_two_explicit_confirmations():
    world = TwoInstitutions(complete=False)
    client = browser(world.applicant_a)
    url = reverse("editor-pledges", args=[world.app_a.pk])
    body = text(client.get(url))
    assert "research-integrity pledge" in body and "IP-compliance statement" in body
    client.post(url, {"integrity": "on"})
    world.app_a.refresh_from_db()
    assert world.app_a.integrity_pledged_at is not None and world.app_a.ip_pledged_at is None
    client.post(url, {"integrity": "on", "ip_compliance": "on"})
    world.app_a.refresh_from_db()
    assert world.app_a.ip_pledged_by == world.applicant_a
    client.post(url, {})
    world.app_a.refresh_from_db()
    assert world.app_a.integrity_pledged_at is None and world.app_a.ip_pledged_at is None


# ----------------------------------------------------------------- attachments

def upload(client, application, name, content, kind="ip_evidence"):
    return client.post(reverse("editor-attachments", args=[application.pk]),
                       {"attachment_type": kind, "file": SimpleUploadedFile(name, content)})


def test_an_upload_is_listed_with_type_and_size_and_downloads_under_its_chinese_name():
    world = TwoInstitutions()
    client = browser(world.applicant_a)
    response = upload(client, world.app_a, "专利证书.pdf", pdf_bytes())
    assert response.status_code == 302
    attachment = world.app_a.attachments.get(original_name="专利证书.pdf")
    assert attachment.size == len(pdf_bytes())
    body = text(client.get(reverse("editor-attachments", args=[world.app_a.pk])))
    assert "专利证书.pdf" in body and "IP certificates" in body and f"{len(pdf_bytes())}\xa0bytes" in body

    for user in (world.applicant_a, officer()):
        response = browser(user).get(reverse("attachment-download", args=[world.app_a.pk, attachment.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"filename*=utf-8''{quote('专利证书.pdf')}" in disposition
        assert response["Cache-Control"] == "private, no-store"


def test_the_stored_file_is_not_under_a_public_url():
    world = TwoInstitutions()
    attachment = world.app_a.attachments.first()
    assert "/media/" not in text(browser(world.applicant_a).get(reverse("application-detail", args=[world.app_a.pk])))
    assert attachment.file.name not in text(browser(world.applicant_a).get(
        reverse("application-detail", args=[world.app_a.pk])))


def test_a_file_whose_content_does_not_match_its_name_is_refused_and_not_stored():
    world = TwoInstitutions()
    before = Attachment.objects.count()
    response = upload(browser(world.applicant_a), world.app_a, "fake.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "is not a real .pdf file" in text(response) and "Nothing was saved" in text(response)
    response = upload(browser(world.applicant_a), world.app_a, "tool.exe", b"MZ\x90\x00")
    assert "are not accepted" in text(response)
    assert Attachment.objects.count() == before


def test_an_attachment_is_deleted_by_the_applicant_only():
    world = TwoInstitutions()
    attachment = world.app_a.attachments.first()
    response = browser(officer()).post(reverse("attachment-delete", args=[world.app_a.pk, attachment.pk]),
                                       follow=True)
    assert "Only members of the applicant institution can edit this application." in messages_of(response)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    browser(world.applicant_a).post(reverse("attachment-delete", args=[world.app_a.pk, attachment.pk]))
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_an_attachment_of_another_application_is_not_reachable_through_this_one():
    world = TwoInstitutions()
    own = make_application(world.call, world.inst_b, created_by=world.applicant_b)
    foreign = world.app_a.attachments.first()
    url = reverse("attachment-download", args=[own.pk, foreign.pk])
    assert browser(world.applicant_b).get(url).status_code == 404


def test_disciplines_and_experts_to_exclude_are_chosen_in_the_editor():
    from poc.models import Discipline

    world = TwoInstitutions(complete=False)
    client = browser(world.applicant_a)
    url = reverse("editor-review", args=[world.app_a.pk])
    assert "Choose at least one discipline" in text(client.get(reverse("editor", args=[world.app_a.pk])))
    materials, ai = Discipline.objects.get(code="ENG.MAT"), Discipline.objects.get(code="ICT.AI")
    response = client.post(url, {"disciplines": [materials.pk, ai.pk], "excluded_experts": "Prof. Rival\n\nDr. X\n"})
    assert response.status_code == 302
    assert set(world.app_a.disciplines.values_list("code", flat=True)) == {"ENG.MAT", "ICT.AI"}
    world.app_a.refresh_from_db()
    assert world.app_a.excluded_experts == ["Prof. Rival", "Dr. X"]
    assert "Choose at least one discipline" not in text(client.get(reverse("editor", args=[world.app_a.pk])))
    # More than three names: refused, nothing changes.
    response = client.post(url, {"disciplines": [materials.pk], "excluded_experts": "A\nB\nC\nD"})
    assert response.status_code == 200 and "at most 3 experts" in text(response)
    world.app_a.refresh_from_db()
    assert world.app_a.excluded_experts == ["Prof. Rival", "Dr. X"] and world.app_a.disciplines.count() == 2
    # The bureau sees whom the applicant asked to exclude; an assigned expert does not.
    from tests.factories import assign_expert, expert

    assert "Prof. Rival" in text(browser(officer()).get(reverse("application-detail", args=[world.app_a.pk])))
    reviewer = expert()
    assign_expert(reviewer, world.app_a)
    body = text(browser(reviewer).get(reverse("application-detail", args=[world.app_a.pk])))
    assert "New materials" in body and "Prof. Rival" not in body
