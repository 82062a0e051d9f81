"""The applicant's journeys: an account and an institution, an application filled in from the checklist and
submitted, a return for revision answered, and a withdrawal."""
from poc.models import Application, Attachment, BudgetLine, Institution
from poc.workflow import run_transition
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    make_application,
    make_credit_code,
    officer,
)


def test_applicant_creates_an_account_and_registers_the_institution(ui):
    ui.goto("/accounts/register/")
    form = ui.page.locator("main form")
    form.locator("input[name=email]").fill("zhang.wei@wzu.example.cn")
    form.locator("input[name=name]").fill("张伟")
    form.locator("input[name=password]").fill("Ouj1ang-river-2026")
    form.locator("input[name=password_again]").fill("Ouj1ang-river-2026")
    form.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert "/institution/start/" in ui.page.url

    ui.click(ui.tr("Register an institution"))
    ui.audit()
    form = ui.page.locator("main form")
    form.locator("input[name=name]").fill("温州瓯江材料研究院")
    form.locator("input[name=credit_code]").fill(make_credit_code(424242))
    form.locator("select[name=type]").select_option(index=1)
    form.locator("[name=district]").fill("鹿城区")
    form.locator("[name=address]").fill("温州市鹿城区学院中路 1 号")
    form.locator("[name=contact_name]").fill("张伟")
    form.locator("[name=contact_phone]").fill("0577-88880000")
    form.locator("[name=contact_email]").fill("office@wzu.example.cn")
    form.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert "温州瓯江材料研究院" in ui.text() and "alert-success" in ui.page.content()
    assert Institution.objects.filter(name="温州瓯江材料研究院", verified=False).exists()
    ui.shot("registered")


def test_applicant_fills_the_editor_from_the_checklist_uploads_and_submits(ui, tmp_path):
    institution = InstitutionFactory(name="温州大学")
    applicant = applicant_of(institution)
    call = CallFactory(title="2026年度概念验证项目")
    application = make_application(call, institution, created_by=applicant, title="固态电池隔膜概念验证")
    # What is still missing: the summary, one budget line, the application form and both pledges.
    Application.objects.filter(pk=application.pk).update(summary="", integrity_pledged_at=None, ip_pledged_at=None)
    BudgetLine.objects.filter(application=application, source="self").delete()
    Attachment.objects.filter(application=application).delete()

    ui.login(applicant)
    ui.goto(f"/applications/{application.pk}/edit/")
    checklist = ui.page.locator("ul.checklist")
    assert checklist.locator("li.missing").count() == 5
    ui.shot("checklist")

    checklist.get_by_role("link", name=ui.tr("Summary is missing.")).click()
    ui.audit()
    ui.page.locator("textarea[name=summary]").fill("面向新能源汽车的固态电池隔膜工艺概念验证。")
    ui.click(ui.tr("Save"))
    ui.audit()

    ui.goto(f"/applications/{application.pk}/edit/")
    checklist.locator("li.missing a").filter(has_text="¥").click()  # the budget check names the figures
    ui.audit()
    form = ui.page.locator("main form.form-grid")
    form.locator("[name$=category]").fill("材料费")
    form.locator("select[name$=source]").select_option("self")
    form.locator("[name$=amount]").fill("100000")
    form.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()

    ui.goto(f"/applications/{application.pk}/edit/")
    checklist.locator("li.missing a").filter(has_text=ui.tr("Attachment missing: %(type)s.").split("%")[0]).click()
    ui.audit()
    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    upload = ui.page.locator("main form[enctype='multipart/form-data']")
    upload.locator("select[name=attachment_type]").select_option("application_form")
    upload.locator("input[type=file]").set_input_files(str(pdf))
    upload.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert "申报书.pdf" in ui.text()

    ui.goto(f"/applications/{application.pk}/edit/")
    checklist.locator("li.missing a").first.click()  # only the pledges are left
    ui.audit()
    ui.page.locator("input[name=integrity]").check()
    ui.page.locator("input[name=ip_compliance]").check()
    ui.click(ui.tr("Save"))
    ui.audit()

    ui.goto(f"/applications/{application.pk}/edit/")
    assert ui.tr("Everything required is present. You can submit.") in ui.text()
    ui.click(ui.tr("Submit"), within="#steps")
    ui.audit()
    assert Application.objects.get(pk=application.pk).state == "submitted"
    assert ui.tr("Submitted") in ui.text()
    ui.shot("submitted")


def test_applicant_answers_a_return_for_revision_then_withdraws_another(ui):
    institution = InstitutionFactory(name="温州医科大学")
    applicant = applicant_of(institution)
    call = CallFactory(title="2026年度中试熟化项目")
    returned = make_application(call, institution, created_by=applicant, state="submitted", title="眼视光器械中试")
    run_transition(returned, "return_for_revision", officer(), "请补充市场分析中的竞品对比。")
    pending = make_application(call, institution, created_by=applicant, state="submitted", title="康复机器人验证")

    ui.login(applicant)
    ui.goto(f"/applications/{returned.pk}/edit/")
    assert ui.tr("Returned for revision") in ui.text() and "请补充市场分析中的竞品对比。" in ui.text()
    ui.shot("returned")
    ui.goto(f"/applications/{returned.pk}/edit/details/")
    ui.page.locator("textarea[name=market_analysis]").fill("国内竞品三家，本项目在透光率和成本上领先。")
    ui.click(ui.tr("Save"))
    ui.audit()
    ui.goto(f"/applications/{returned.pk}/edit/")
    ui.click(ui.tr("Resubmit"), within="#steps")
    ui.audit()
    assert Application.objects.get(pk=returned.pk).state == "submitted"

    ui.goto(f"/applications/{pending.pk}/")
    steps = ui.page.locator("#steps")
    steps.locator("summary").filter(has_text=ui.tr("Withdraw")).click()
    steps.get_by_role("button", name=ui.tr("Confirm: %(action)s") % {"action": ui.tr("Withdraw")}).click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert Application.objects.get(pk=pending.pk).state == "withdrawn"
    assert ui.tr("Withdrawn") in ui.text()
    ui.shot("withdrawn")
