"""Official PDF documents: what they print, that every font is embedded, verification codes, reissuing, and who
may download them.

Each document is fetched through its URL as a user who may see it, read back with pypdf (text, fonts),
checked on the public verification page, and refused (404) to those who may not see its subject.
Set POCHUB_DUMP_PDFS=/some/dir to keep the PDFs the tests download (to look at them).
"""
import os
import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from funding import services as funding_services
from poc.documents.kit import Letterhead, cn_date
from poc.models import Acceptance, AnnualEvaluation, Center, IssuedDocument
from review.document_layouts import render_review_summary
from review.models import CriterionScore, Review
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    expert,
    fund_manager,
    make_application,
    officer,
)
from tests.poc.after_approval_factories import make_center, make_evaluation, make_project, scores_totalling
from tests.review.factories import ExpertFactory, assign, review_call, submit_directly, under_review

pytestmark = pytest.mark.django_db

CODE = re.compile(r"验证码\s*([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# ------------------------------------------------------------------ helpers

def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(user, url, name="document") -> bytes:
    response = client_for(user).get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    if os.environ.get("POCHUB_DUMP_PDFS"):
        Path(os.environ["POCHUB_DUMP_PDFS"]).mkdir(parents=True, exist_ok=True)
        (Path(os.environ["POCHUB_DUMP_PDFS"]) / f"{name}.pdf").write_bytes(data)
    return data


def status(user, url) -> int:
    return client_for(user).get(url).status_code


def text_of(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def compact(text: str) -> str:
    """The text without whitespace (CJK lines wrap anywhere, and extraction adds spaces between runs)."""
    return re.sub(r"\s+", "", text)


def _fonts_in(resources, seen: set) -> list:
    """Every font dictionary reachable from ``resources`` (a page's, or a form XObject's, recursively)."""
    if resources is None or id(resources) in seen:
        return []
    seen.add(id(resources))
    resources = resources.get_object()
    found = []
    fonts = resources.get("/Font")
    if fonts is not None:
        found += [f.get_object() for f in fonts.get_object().values()]
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for xobject in xobjects.get_object().values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                found += _fonts_in(xobject.get("/Resources"), seen)
    return found


def assert_fonts_embedded(data: bytes) -> None:
    """Every font used on every page is a TrueType font with its program embedded (/FontFile2)."""
    reader = PdfReader(BytesIO(data))
    fonts = []
    seen = set()
    for page in reader.pages:
        fonts += _fonts_in(page.get("/Resources"), seen)
    assert fonts, "no font at all"
    for font in fonts:
        if font.get("/Subtype") == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{font.get('/BaseFont')} is not embedded (no descriptor)"
        assert "/FontFile2" in descriptor.get_object(), f"{font.get('/BaseFont')} has no embedded TrueType program"


def code_of(data: bytes) -> str:
    match = CODE.search(text_of(data))
    assert match, "no verification code in the footer"
    return match.group(1)


def verify(code: str) -> dict:
    response = Client().get(reverse("verify-document", args=[code]))  # public: nobody signed in
    assert response.status_code == 200
    return {"type": response.context["type_name"], "valid": response.context["valid"],
            "status": response.context["status"], "title": response.context["document"].title}


def check(data: bytes, *expected: str) -> str:
    """The PDF's text holds every expected string; its fonts are embedded. Returns the compacted text."""
    assert_fonts_embedded(data)
    text = compact(text_of(data))
    for needle in expected:
        assert compact(needle) in text, needle
    return text


YEAR = f"{timezone.localdate().year}年"


# ------------------------------------------------------------------ 申报书, 立项通知书, 认定证书

def test_application_form_and_approval_notice_of_a_project():
    institution = InstitutionFactory(name="温州大学")
    project = make_project(institution=institution, title="固态电池隔膜概念验证")
    application = project.application
    staff = officer()
    form = download(staff, reverse("application-document", args=[application.pk, "form"]), "application_form")
    check(form, "概念验证项目申报书", "温州大学", "¥500,000.00", "¥600,000.00（60.00 万元）", "知识产权", "附件清单")
    assert verify(code_of(form))["type"] == "申报书"

    notice = download(staff, reverse("application-document", args=[application.pk, "notice"]), "approval_notice")
    check(notice, "关于固态电池隔膜概念验证立项的通知", "温州大学", "¥500,000.00", "50.00 万元", YEAR, "第 1 页 / 共 2 页",
          project.project_number, "计划里程碑")
    assert len(PdfReader(BytesIO(notice)).pages) == 2
    checked = verify(code_of(notice))
    assert checked["type"] == "立项通知书" and checked["valid"] is True

    # The institution's own member downloads the same document (same code); another institution's gets 404.
    member = applicant_of(institution)
    assert code_of(download(member, reverse("application-document", args=[application.pk, "notice"]))) == \
        code_of(notice)
    stranger = applicant_of(InstitutionFactory())
    assert status(stranger, reverse("application-document", args=[application.pk, "notice"])) == 404


def test_the_certificate_of_a_revoked_center_verifies_as_revoked():
    center = make_center(institution=InstitutionFactory(name="瓯江实验室"))
    staff = officer()
    url = reverse("application-document", args=[center.application_id, "certificate"])
    data = download(staff, url, "designation_certificate")
    check(data, "证书", "瓯江实验室", center.designation_number, "有效期")
    code = code_of(data)
    assert verify(code)["valid"] is True
    notice = download(staff, reverse("application-document", args=[center.application_id, "notice"]),
                      "designation_notice")
    check(notice, "认定", "瓯江实验室", center.designation_number, "第 1 页 / 共 2 页")
    assert verify(code_of(notice))["type"] == "认定通知书"
    Center.objects.filter(pk=center.pk).update(state="revoked", revoked_on=timezone.localdate())
    checked = verify(code)
    assert checked["type"] == "认定证书"
    assert checked["valid"] is False and "已撤销" in checked["status"]
    assert verify(code_of(notice))["valid"] is False


# ------------------------------------------------------------------ 公示

def test_public_notice_lists_the_applications_in_public_notice_and_how_to_object():
    call = CallFactory(title="2026年度概念验证项目", notice_days=7)
    first = make_application(call, InstitutionFactory(name="温州医科大学"), title="眼科微创器械验证", state="public_notice")
    make_application(call, InstitutionFactory(name="温州理工学院"), title="海水淡化膜中试", state="public_notice")
    make_application(call, InstitutionFactory(name="未公示单位"), title="尚在评审的项目", state="reviewed")
    staff = officer()
    url = reverse("call-public-notice-document", args=[call.pk])
    data = download(staff, url, "public_notice")
    ends = cn_date(first.notice_ends_on)
    text = check(data, "2026年度概念验证项目拟立项名单公示", "温州医科大学", "眼科微创器械验证", "温州理工学院", "海水淡化膜中试",
                 "概念验证项目", f"{cn_date(first.notice_starts_on)}至{ends}", "异议方式", "书面形式", "实名",
                 "加盖本单位公章", YEAR)
    assert "尚在评审的项目" not in text and "未公示单位" not in text
    code = code_of(data)
    checked = verify(code)
    assert checked["type"] == "公示" and checked["valid"] is True

    # Unchanged: the same document. Another application enters the notice: a new one; the first says so.
    assert code_of(download(staff, url)) == code
    make_application(call, InstitutionFactory(name="温州肯恩大学"), title="智能泵阀控制验证", state="public_notice")
    new = download(staff, url)
    assert code_of(new) != code
    check(new, "温州肯恩大学", "智能泵阀控制验证", "以下 3 个概念验证项目")
    assert IssuedDocument.objects.filter(document_type="public_notice", object_id=call.pk).count() == 2
    assert "其后另有" in verify(code)["status"]

    # Officers only; a call without applications in public notice has none.
    assert status(applicant_of(first.institution), url) == 404
    assert status(expert(), url) == 404
    empty = CallFactory()
    assert status(staff, reverse("call-public-notice-document", args=[empty.pk])) == 404


# ------------------------------------------------------------------ 年度绩效评价结果

def test_evaluation_result_prints_metrics_score_grade_and_follows_the_centers_state():
    institution = InstitutionFactory(name="温州市激光与光电子概念验证中心依托单位")
    center = make_center(institution=institution, name="激光与光电子概念验证中心")
    evaluation = make_evaluation(center, state="scored", score=Decimal("85.5"))
    member = applicant_of(institution)
    url = reverse("evaluation-document", args=[evaluation.pk])
    data = download(member, url, "evaluation_result")
    check(data, "激光与光电子概念验证中心", f"{evaluation.data_year}年度绩效评价结果", "85.50", "良好",
          "¥8,000,000.00", "800.00 万元", "¥2,500,000.00", "92.50%", "90 分及以上为优秀", "继续保持市级概念验证中心认定资格")
    code = code_of(data)
    checked = verify(code)
    assert checked["type"] == "年度绩效评价结果" and checked["valid"] is True

    # The same result downloaded again (by an officer) is the same document; a corrected score is a new one.
    assert code_of(download(officer(), url)) == code
    AnnualEvaluation.objects.filter(pk=evaluation.pk).update(score=Decimal("91"), grade="excellent")
    assert code_of(download(member, url)) != code

    # Validity follows the center: revoked, every result about it says so.
    Center.objects.filter(pk=center.pk).update(state="revoked", revoked_on=timezone.localdate())
    checked = verify(code)
    assert checked["valid"] is False and "已撤销" in checked["status"]

    assert status(applicant_of(InstitutionFactory()), url) == 404
    assert status(expert(), url) == 404
    draft = make_evaluation(center, evaluation.data_year - 1)
    assert status(member, reverse("evaluation-document", args=[draft.pk])) == 404


def test_a_second_failed_evaluation_says_the_designation_is_revoked():
    center = make_center(state="rectifying")
    year = timezone.localdate().year - 1
    make_evaluation(center, year - 1, state="scored", score=50)
    evaluation = make_evaluation(center, year, state="scored", score=Decimal("55"))
    first = download(officer(), reverse("evaluation-document", args=[evaluation.pk]), "evaluation_fail")
    check(first, "55.00", "不合格", "连续不合格", "撤销")


# ------------------------------------------------------------------ 验收意见

def make_acceptance(project, *, total=85, tasks="75", outcome="failed", reasons=("Less than 80% of the tasks…",),
                    **fields):
    return Acceptance.objects.create(
        project=project, attempt=fields.pop("attempt", 1), tasks_done_percent=Decimal(tasks),
        false_data=fields.pop("false_data", False), unapproved_change=fields.pop("unapproved_change", False),
        obligation_met=True, opinion="项目完成了主要研究内容。\n经济指标未达预期。", total=Decimal(total),
        outcome=outcome, auto_fail_reasons=list(reasons), days_late=fields.pop("days_late", 0),
        reviewed_by=officer(), reviewed_on=timezone.localdate(), **scores_totalling(total), **fields)


def test_acceptance_opinion_prints_the_six_scores_the_automatic_fail_and_the_outcome():
    institution = InstitutionFactory(name="浙江工贸职业技术学院")
    project = make_project(institution=institution, state="failed", title="模具钢热处理工艺中试")
    acceptance = make_acceptance(project)
    member = applicant_of(institution)
    url = reverse("acceptance-document", args=[acceptance.pk])
    data = download(member, url, "acceptance_opinion")
    check(data, "模具钢热处理工艺中试验收意见", project.project_number, "任务内容完成情况", "技术指标完成情况",
          "经济指标完成情况", "交付成果", "经费使用情况", "85.00", "75.00%", "低于 80%", "验收不通过", "项目完成了主要研究内容",
          "第 1 次", YEAR)
    code = code_of(data)
    checked = verify(code)
    assert checked["type"] == "验收意见" and checked["valid"] is True and "验收不通过" in checked["status"]
    assert code_of(download(officer(), url)) == code
    assert status(applicant_of(InstitutionFactory()), url) == 404
    assert status(expert(), url) == 404


def test_acceptance_opinion_of_a_rectification_and_of_a_late_project():
    project = make_project(state="rectifying")
    rectify = make_acceptance(project, total=70, tasks="90", outcome="rectify", reasons=())
    data = download(officer(), reverse("acceptance-document", args=[rectify.pk]), "acceptance_rectify")
    check(data, "70.00", "需整改", "3 个月内完成整改后申请复验", "一票否决情形：无")
    late = make_acceptance(project, attempt=2, total=90, tasks="95", outcome="failed", days_late=200,
                           reasons=("The project is 200 days past its deadline…",))
    check(download(officer(), reverse("acceptance-document", args=[late.pk])), "超过项目期限 200 天", "第 2 次")
    assert "其后已有第 2 次验收意见" in verify(code_of(data))["status"]


# ------------------------------------------------------------------ 评审打分表 and 评审汇总表

@pytest.fixture
def reviewed_call():
    """A call with three applications, each reviewed by the same three named experts."""
    staff = officer()
    call = review_call(title="2026年度中试熟化项目评审")
    experts = [ExpertFactory(name=name, affiliation=affiliation, title="教授")
               for name, affiliation in (("王建国", "浙江大学"), ("李秀英", "温州大学"), ("陈志强", "宁波大学"))]
    applications, reviews = [], []
    for n, (name, totals) in enumerate((("瑞安汽配", (80, 84, 90)), ("乐清电气", (60, 95, 70)),
                                        ("永嘉泵阀", (75, 77, 79)))):
        application = under_review(call, InstitutionFactory(name=f"{name}有限公司"), title=f"{name}中试项目")
        applications.append(application)
        for e, total in zip(experts, totals, strict=True):
            assignment = assign(application, e, staff)
            reviews.append(submit_directly(assignment.review, total, comment=f"评语{n}"))
    return {"call": call, "officer": staff, "experts": experts, "applications": applications, "reviews": reviews}


def test_score_sheet_names_the_expert_and_prints_every_criterion(reviewed_call):
    review = reviewed_call["reviews"][0]
    staff = reviewed_call["officer"]
    url = reverse("review:score-sheet", args=[review.pk])
    data = download(staff, url, "score_sheet")
    check(data, "评审打分表", "王建国", "浙江大学", "教授", "瑞安汽配中试项目", "技术先进性", "市场前景", "评语0", "合计（加权）", "80.00",
          "支持", "评审专家（签名）", "请托")
    code = code_of(data)
    assert verify(code) | {"title": None} == {"type": "评审打分表", "valid": True, "status": "有效", "title": None}

    # Reopened for changes: the sheet no longer holds; a changed score makes a new sheet once resubmitted.
    Review.objects.filter(pk=review.pk).update(state="draft")
    assert verify(code)["valid"] is False
    assert status(staff, url) == 404  # a draft has no score sheet
    Review.objects.filter(pk=review.pk).update(state="submitted")
    CriterionScore.objects.filter(review=review, criterion__code="budget").update(score=Decimal("5"))
    new = download(staff, url)
    assert code_of(new) != code
    assert verify(code)["valid"] is False and verify(code_of(new))["valid"] is True

    # Officers, and the expert who wrote it (their own record); not another expert of the same application,
    # not the applicant.
    expert_user = reviewed_call["experts"][0].user
    assert code_of(download(expert_user, url)) == code_of(new)
    assert status(reviewed_call["experts"][1].user, url) == 404
    assert status(applicant_of(reviewed_call["applications"][0].institution), url) == 404


def test_summary_ranks_without_expert_names_and_the_signed_version_adds_the_panel(reviewed_call):
    call, staff = reviewed_call["call"], reviewed_call["officer"]
    url = reverse("review:summary-document", args=[call.pk])
    data = download(staff, url, "review_summary")
    text = check(data, "2026年度中试熟化项目评审汇总表", "瑞安汽配有限公司", "乐清电气中试项目", "平均分", "中位数",
                 "去极值平均", "标准差", "极差", "校准平均", "需讨论", "84.67", "排名并列规则")
    for e in reviewed_call["experts"]:
        assert e.name not in text and e.affiliation not in text
    # Ranked by the trimmed mean (plain mean with 3 reviews): 瑞安 84.67, 永嘉 77.00, 乐清 75.00.
    assert text.index("瑞安汽配有限公司") < text.index("永嘉泵阀有限公司") < text.index("乐清电气有限公司")
    code = code_of(data)
    assert verify(code)["type"] == "评审汇总表" and verify(code)["valid"] is True
    assert code_of(download(staff, url)) == code

    signed = download(staff, url + "?signed=1", "review_summary_signed")
    check(signed, "评审汇总表（签署版）", "评审专家组", "王建国", "李秀英", "陈志强", "宁波大学", "签名", "专家组组长")
    assert code_of(signed) != code
    assert verify(code_of(signed))["valid"] is True

    # A score changes: both versions are out of date; the next download is a new document.
    CriterionScore.objects.filter(review=reviewed_call["reviews"][0], criterion__code="budget").update(
        score=Decimal("1"))
    checked = verify(code)
    assert checked["valid"] is False and "已过时" in checked["status"]
    assert code_of(download(staff, url)) != code

    # Officers only.
    assert status(reviewed_call["experts"][0].user, url) == 404
    assert status(applicant_of(reviewed_call["applications"][0].institution), url) == 404
    assert status(fund_manager(), url + "?signed=1") == 404


def test_a_200_row_summary_spans_pages_and_repeats_its_header_row():
    rows = [[str(n), f"T-{n:05d}", f"申报单位{n}", f"名称{n}", "5", "80.00", "81.00", "80.50 *", "3.20", "9.00", "79.80",
             "—"] for n in range(1, 211)]
    content = {"facts": [("评审批次", "合成数据")], "rows": rows, "legend": ["图例"], "panel": None,
               "date": date(2026, 11, 25).isoformat()}
    data = render_review_summary(Letterhead(title="评审汇总表", verification_code="ABCD-EFGH-JKLM-NPQR",
                                            verify_url="http://testserver/verify/ABCD-EFGH-JKLM-NPQR/",
                                            landscape=True), content)
    assert_fonts_embedded(data)
    reader = PdfReader(BytesIO(data))
    assert len(reader.pages) >= 5
    pages = [compact(page.extract_text()) for page in reader.pages]
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页/共{len(pages)}页" in page
        assert "去极值平均" in page and "申报编号" in page  # the header row on every page
    everything = "".join(pages)
    assert all(f"T-{n:05d}" in everything for n in range(1, 211))


# ------------------------------------------------------------------ 投拨结合资助决定书

@pytest.fixture
def funding_scene():
    staff = officer()
    fund = funding_services.create_fund(staff, name="温州科创天使子基金", manager_organisation="温州科创投资管理有限公司",
                                        size=Decimal("500000000"))
    manager = fund_manager()
    funding_services.add_fund_manager(staff, fund, manager)
    institution = InstitutionFactory(name="温州瓯海新材料有限公司")
    call = CallFactory(title="2026年度投拨结合项目")

    def decision(approve=True, **fields):
        application = make_application(call, institution, state="reviewed")
        made = funding_services.propose_decision(staff, application, **fields)
        if approve:
            if made.has_grant_part:
                made = funding_services.approve_grant(staff, made)
            if made.has_equity_part:
                made = funding_services.approve_equity(manager, made)
        made.refresh_from_db()
        return made

    return {"officer": staff, "fund": fund, "manager": manager, "institution": institution, "decision": decision}


def test_funding_decision_prints_both_parts_and_their_approvals(funding_scene):
    decision = funding_scene["decision"](
        instrument="grant_equity", grant_amount=Decimal("500000"), grant_programme="温州市概念验证专项",
        equity_amount=Decimal("2000000"), fund=funding_scene["fund"], pre_money_valuation=Decimal("18000000"),
        exit_method="buyback", buyback_rate=Decimal("6"))
    assert decision.state == "approved"
    url = reverse("funding:decision-document", args=[decision.pk])
    member = applicant_of(funding_scene["institution"])
    data = download(member, url, "funding_decision")
    text = check(data, "投拨结合资助决定书", "温州瓯海新材料有限公司", "¥500,000.00", "50.00 万元", "温州市概念验证专项",
                 "¥2,000,000.00", "200.00 万元", "温州科创天使子基金", "温州科创投资管理有限公司", "¥18,000,000.00", "10%",
                 "年化 6% 单利", "财政资助部分", "股权投资部分", cn_date(timezone.localdate()), "¥2,500,000.00")
    for user in (funding_scene["officer"], funding_scene["manager"]):  # no approver's name is printed
        assert user.username not in text
    code = code_of(data)
    checked = verify(code)
    assert checked["type"] == "投拨结合资助决定书" and checked["valid"] is True
    assert code_of(download(funding_scene["officer"], url)) == code
    assert code_of(download(funding_scene["manager"], url)) == code

    # Not for another institution, another fund's manager, or an expert.
    assert status(applicant_of(InstitutionFactory()), url) == 404
    assert status(fund_manager(), url) == 404
    assert status(expert(), url) == 404

    # Rejected (say, annulled by hand): the document no longer holds.
    type(decision).objects.filter(pk=decision.pk).update(state="rejected")
    checked = verify(code)
    assert checked["valid"] is False and "未通过" in checked["status"]


def test_convertible_grant_decision_prints_the_conversion_terms(funding_scene):
    decision = funding_scene["decision"](
        instrument="convertible", grant_amount=Decimal("1000000"), grant_programme="温州市中试熟化专项",
        fund=funding_scene["fund"], qualifying_round_minimum=Decimal("5000000"), conversion_discount=Decimal("20"),
        valuation_cap=Decimal("80000000"), conversion_deadline=timezone.localdate() + timedelta(days=730),
        exit_method="sale")
    data = download(funding_scene["officer"], reverse("funding:decision-document", args=[decision.pk]),
                    "funding_decision_convertible")
    check(data, "拨投结合（先投后股）资助决定书", "¥1,000,000.00", "100.00 万元", "转股条款", "¥5,000,000.00",
          "20% 的折让", "¥80,000,000.00", cn_date(decision.conversion_deadline), "结项免责", "转让退出")


def test_a_proposed_decision_has_no_document_yet(funding_scene):
    decision = funding_scene["decision"](approve=False, instrument="grant", grant_amount=Decimal("300000"),
                                         grant_programme="温州市概念验证专项")
    assert status(funding_scene["officer"], reverse("funding:decision-document", args=[decision.pk])) == 404
