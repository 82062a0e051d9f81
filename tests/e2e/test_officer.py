"""The officer's journeys: formal check, optimal assignment (preview, then commit), random draw, closing the
review; then a center's site visit, proposal, objections dismissed, not accepted (不予受理) and upheld, approval."""
from datetime import timedelta

from django.utils import timezone

from poc.models import Application
from review.models import Assignment
from tests.factories import CallFactory, InstitutionFactory, make_application, officer
from tests.review.factories import ExpertFactory, review_call, submit_directly


def step_form(ui, label):
    """The form of a workflow step in the page's "next steps" panel (opened first when it is folded)."""
    panel = ui.page.locator("#steps")
    summary = panel.locator("summary").filter(has_text=label)
    if summary.count():
        summary.first.click()
        return summary.first.locator("xpath=..").locator("form")
    return panel.locator("form").filter(has=ui.page.get_by_role("button", name=label, exact=True))


def step(ui, label, *, comment=None, fields=None):
    """Run a workflow step from the page's "next steps" panel."""
    form = step_form(ui, label)
    for name, value in (fields or {}).items():
        form.locator(f"[name$={name}]").fill(value)
    if comment is not None:
        form.locator("textarea[name$=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()


def state_of(application) -> str:
    return Application.objects.get(pk=application.pk).state


def test_officer_checks_assigns_draws_and_closes_the_review(ui):
    staff = officer()
    call = review_call(title="2026年度概念验证项目", experts_per_application=2, min_reviews=2)
    for name in ("王建国", "李秀英", "陈志强"):
        ExpertFactory(name=name, affiliation="浙江大学")
    first = make_application(call, InstitutionFactory(name="温州大学"), state="submitted", title="固态电池隔膜")
    second = make_application(call, InstitutionFactory(name="温州医科大学"), state="submitted", title="眼视光器械")

    ui.login(staff)
    ui.goto(f"/applications/{first.pk}/")
    step(ui, ui.tr("Pass formal check"))
    assert state_of(first) == "under_review"
    ui.shot("formal-check")

    ui.goto(f"/review/calls/{call.pk}/")
    ui.click(ui.tr("Preview the automatic assignment"))
    ui.audit()
    assert "固态电池隔膜" in ui.text() and Assignment.objects.count() == 0  # a preview saves nothing
    ui.shot("optimal-preview")
    ui.page.locator("main form[method=post] button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert Assignment.objects.filter(application=first).count() == 2

    ui.goto(f"/applications/{second.pk}/")
    step(ui, ui.tr("Pass formal check"))
    ui.goto(f"/review/calls/{call.pk}/")
    ui.click(ui.tr("Preview a random draw"))
    ui.audit()
    assert "眼视光器械" in ui.text()
    ui.shot("draw-preview")
    ui.page.locator("main form[method=post] button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert Assignment.objects.filter(application=second).count() == 2

    for assignment in Assignment.objects.filter(application=first):
        submit_directly(assignment.review, 80)
    ui.goto(f"/applications/{first.pk}/")
    step(ui, ui.tr("Close review"))
    assert state_of(first) == "reviewed"
    ui.shot("reviewed")


def test_officer_visits_proposes_handles_objections_and_approves_a_center(ui):
    staff = officer()
    call = CallFactory(kind="poc_center", title="2026年度概念验证中心认定", site_visit_required=True)
    center = make_application(call, InstitutionFactory(name="瓯江实验室"), state="reviewed", title="瓯江材料概念验证中心")
    contested = make_application(call, InstitutionFactory(name="某科技公司"), state="reviewed", title="某中试基地")

    ui.login(staff)
    ui.goto(f"/applications/{center.pk}/")
    ui.page.locator("#site-visits summary").click()
    visit = ui.page.locator("#site-visits form")
    visit.locator("[name$=visited_on]").fill(timezone.localdate().isoformat())
    visit.locator("[name$=experts]").fill("王建国、李秀英")
    visit.locator("[name$=findings]").fill("场地、设备与服务团队与申报材料一致。")
    visit.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert "场地、设备与服务团队与申报材料一致。" in ui.text()

    step(ui, ui.tr("Propose and start public notice"))
    assert state_of(center) == "public_notice"
    step(ui, ui.tr("Record objection"), comment="认为场地面积不实。",
         fields={"objector": "张三", "contact": "13800000000", "received_on": timezone.localdate().isoformat()})
    assert state_of(center) == "objection"
    ui.shot("objection")
    step(ui, ui.tr("Dismiss objection"), comment="经核实场地面积属实，异议不成立。")
    assert state_of(center) == "public_notice"

    # The public notice runs its days. An anonymous objection that arrives the day after is recorded as not
    # accepted (不予受理), with its reasons, and the application stays where it was.
    Application.objects.filter(pk=center.pk).update(notice_ends_on=timezone.localdate() - timedelta(days=1))
    ui.goto(f"/applications/{center.pk}/")
    late = step_form(ui, ui.tr("Record objection"))
    late.locator("[name$=objector]").fill("")
    late.locator("[name$=contact]").fill("")
    late.locator("[name$=received_on]").fill(timezone.localdate().isoformat())
    late.locator("[name$=signed]").uncheck()
    late.locator("textarea[name$=comment]").fill("匿名来信：认为设备清单有误。")
    late.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert state_of(center) == "public_notice"
    assert ui.tr("Not accepted") in ui.text() and "匿名来信：认为设备清单有误。" in ui.text()
    [refused] = center.objections.filter(resolution="not_accepted")
    assert not refused.signed
    ui.shot("objection-not-accepted")

    # Then the officer approves.
    step(ui, ui.tr("Approve"))
    assert state_of(center) == "approved"
    assert ui.tr("Approved") in ui.text()
    ui.shot("approved")

    Application.objects.filter(pk=contested.pk).update(state="objection", notice_starts_on=timezone.localdate(),
                                                       notice_ends_on=timezone.localdate() + timedelta(days=6))
    ui.goto(f"/applications/{contested.pk}/")
    step(ui, ui.tr("Uphold objection"), comment="异议属实：申报材料中的设备并非本单位所有。")
    assert state_of(contested) == "rejected"


def test_officer_scores_an_annual_evaluation(ui):
    from tests.poc.after_approval_factories import make_center, make_evaluation

    center = make_center(institution=InstitutionFactory(name="瓯江实验室"), name="瓯江材料概念验证中心")
    evaluation = make_evaluation(center, state="filed")
    ui.login(officer())
    ui.goto(f"/evaluations/{evaluation.pk}/")
    assert "瓯江材料概念验证中心" in ui.text()
    form = ui.page.locator(f"form[action='/evaluations/{evaluation.pk}/score/']")
    form.locator("[name$=score]").first.fill("86")
    ui.click(ui.tr("Check the grade"))
    ui.audit()
    assert ui.page.locator("#score-preview").is_visible()
    ui.page.locator(f"form[action='/evaluations/{evaluation.pk}/score/'] [name$=score]").first.fill("86")
    ui.click(ui.tr("Record the score"))
    ui.audit()
    evaluation.refresh_from_db()
    assert evaluation.state == "scored" and evaluation.score == 86
    ui.shot("evaluation-scored")


def test_officer_records_an_acceptance(ui):
    from poc.models import Project
    from tests.poc.after_approval_factories import make_project

    project = make_project(institution=InstitutionFactory(name="温州大学"), title="固态电池隔膜概念验证",
                           state="acceptance", reported=True)
    ui.login(officer())
    ui.goto(f"/projects/{project.pk}/")
    ui.click(ui.tr("Record the acceptance review"))
    ui.audit()
    form = ui.page.locator("#acceptance-form")
    for name, value in (("content_score", "18"), ("technical_score", "18"), ("economic_score", "8"),
                        ("deliverables_score", "18"), ("funds_score", "18"), ("other_score", "8"),
                        ("tasks_done_percent", "95")):
        form.locator(f"[name={name}]").fill(value)
    form.locator("[name=opinion]").fill("项目按计划完成，同意通过验收。")
    ui.click(ui.tr("Check the result"))
    ui.audit()
    ui.click(ui.tr("Record the acceptance"))
    ui.audit()
    assert Project.objects.get(pk=project.pk).state == "completed"
    assert "88" in ui.text()
    ui.shot("acceptance")
