"""The expert's journey: declare a conflict on one application, score another with the rubric, submit it
(after confirming), and download the score sheet of the submitted review."""
from review.models import Review
from tests.factories import InstitutionFactory, officer
from tests.review.factories import ExpertFactory, assign, review_call, under_review


def test_expert_declares_a_conflict_scores_submits_and_downloads_the_score_sheet(ui):
    staff = officer()
    call = review_call(title="2026年度概念验证项目评审")
    expert = ExpertFactory(name="王建国", affiliation="浙江大学", title="教授")
    conflicted = under_review(call, InstitutionFactory(name="温州大学"), title="瓯江新材料概念验证")
    scored = under_review(call, InstitutionFactory(name="温州医科大学"), title="眼视光器械中试熟化")
    conflict_review = assign(conflicted, expert, staff).review
    review = assign(scored, expert, staff).review

    ui.login(expert.user)
    ui.goto("/review/")
    assert "瓯江新材料概念验证" in ui.text() and "眼视光器械中试熟化" in ui.text()
    ui.shot("queue")

    # A conflict of interest: the assignment is void, the application closes to the expert.
    ui.goto(f"/review/reviews/{conflict_review.pk}/")
    ui.page.get_by_text(ui.t("声明利益冲突（申请回避）…", "Declare a conflict of interest…")).click()
    conflict = ui.page.locator("#conflict form")
    conflict.locator("textarea").fill("申请单位是我的现任工作单位的合作方。")
    conflict.locator("button[type=submit]").click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert "瓯江新材料概念验证" not in ui.text("main")
    ui.shot("after-conflict")

    # Score with the rubric: every criterion, a recommendation, then submit; the first time the expert
    # changes their mind at the confirmation, the second time they confirm.
    ui.goto(f"/review/reviews/{review.pk}/")
    sheet = ui.page.locator("#score-sheet")
    for fieldset in sheet.locator("fieldset.criterion").all():
        maximum = fieldset.locator(".criterion-score .sub").inner_text().split("/")[1].split("·")[0].strip()
        fieldset.locator("input").fill(str(int(float(maximum) * 0.8)))
        fieldset.locator("textarea").fill("技术路线清晰，验证方案可行。")
    sheet.locator("select[name=recommendation]").select_option(index=1)
    sheet.locator("textarea[name=overall_comment]").fill("建议支持。")
    sheet.get_by_role("button", name=ui.t("保存草稿", "Save draft")).click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert ui.t("草稿已保存", "Draft saved") in ui.text()

    submit = ui.page.locator("#score-sheet").get_by_role("button", name=ui.t("提交评审意见", "Submit review"))
    questions = []
    ui.page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    submit.click()
    ui.page.wait_for_timeout(300)
    assert questions and ui.t("无法修改", "cannot change it") in questions[0]
    assert Review.objects.get(pk=review.pk).state == "draft"

    ui.page.once("dialog", lambda dialog: dialog.accept())
    submit.click()
    ui.page.wait_for_load_state()
    ui.audit()
    assert ui.t("已提交", "is submitted") in ui.text()
    ui.shot("submitted")

    ui.goto(f"/review/reviews/{review.pk}/")
    assert ui.t("只有科技局可以重新开放", "Only the bureau can reopen it") in ui.text()
    link = ui.page.get_by_role("link", name=ui.t("评分表（PDF）", "Score sheet (PDF)"))
    response = ui.context.request.get(ui.url(link.get_attribute("href")))  # the PDF, with the expert's session
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
