"""poc's official documents: 申报书, 认定通知书 / 立项通知书, 认定证书, 公示, 年度绩效评价结果, 验收意见.

Each function reads what the document prints into a ``content`` dict and issues it (poc.documents.issuing:
the same content gives back the document already issued); how it looks is in :mod:`.layouts`.
"""
from decimal import Decimal
from functools import wraps

from django.utils import timezone, translation
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from poc.attachment_checks import human_size
from poc.models import Application, Center, CenterState

from . import layouts
from .issuing import issue, register_document_type
from .kit import (
    ISSUER,
    build_pdf,
    cn_date,
    esc,
    facts,
    heading_block,
    signature_block,
    styles,
    table,
    wan,
    yuan,
)


def in_chinese(function):
    """Official documents are in Chinese whatever the language of the page that asks for them: labels of
    choices (kinds, states, grades) come out of the translation catalogue in zh-hans, so the content (and its
    hash) is the same for every user."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override("zh-hans"):
            return function(*args, **kwargs)

    return wrapper


def _center_validity(document):
    """A document about a center (its notice, certificate, an evaluation result) holds while the center does."""
    center = document.subject
    if not isinstance(center, Center):
        center = getattr(center, "center", None)
    if center is None:
        return False, "无效"
    if center.state == CenterState.REVOKED:
        return False, f"已撤销（{cn_date(center.revoked_on)}）" if center.revoked_on else "已撤销"
    if center.state == CenterState.EXPIRED or center.valid_until < timezone.localdate():
        return False, f"已过有效期（有效期至 {cn_date(center.valid_until)}）"
    if center.state == CenterState.RECTIFYING:
        return True, f"有效（整改期内，有效期至 {cn_date(center.valid_until)}）"
    return True, f"有效（有效期至 {cn_date(center.valid_until)}）"


register_document_type("application_form", "申报书")
register_document_type("designation_notice", "认定通知书", _center_validity)
register_document_type("designation_certificate", "认定证书", _center_validity)
register_document_type("approval_notice", "立项通知书")


# ------------------------------------------------------------------ 申报书

@in_chinese
def application_form(application: Application, user=None):
    """The application form: every section and the list of attachments."""
    details = application.details
    sections = [("申报编号", application.number), ("申报类别", application.get_kind_display()),
                ("申报批次", application.call.title), ("申报单位", application.institution.name),
                ("统一社会信用代码", application.institution.credit_code),
                ("所在区县", application.institution.district),
                ("联系人", f"{application.institution.contact_name} {application.institution.contact_phone}"),
                ("项目/中心名称", application.title), ("关键词", application.keywords or "—"),
                ("学科领域", "、".join(d.name_zh for d in application.disciplines.all()) or "—"),
                ("状态", application.get_state_display())]
    content = {"sections": sections, "summary": application.summary, "details": {}, "rows": {}, "attachments": []}
    if application.is_center and details:
        content["details"] = {
            "场地面积（平方米）": str(details.site_area_m2 or "—"), "设备原值": yuan(details.equipment_value or 0),
            "专职服务团队（人）": str(details.service_team_size or "—"), "服务内容": "、".join(details.service_labels()),
            "近一年服务支出（审计）": yuan(details.audited_spend_last_year or 0),
            "前一年服务支出（审计）": yuan(details.audited_spend_year_before or 0),
            "咨询专家组": details.advisory_panel, "在库项目数": str(details.pipeline_size or "—")}
    elif details:
        content["details"] = {
            "技术就绪度（现状 → 目标）": f"TRL {details.trl_now or '—'} → TRL {details.trl_target or '—'}",
            "实施期（月）": str(details.duration_months or "—"), "申请资助": yuan(details.requested_grant),
            "申请投资": yuan(details.requested_investment), "自筹资金": yuan(details.self_funded),
            "总预算": f"{yuan(details.total_budget)}（{wan(details.total_budget)}）",
            "依托中心": str(details.hosting_center or "—"), "市场分析": details.market_analysis}
        content["rows"] = {
            "知识产权": [["编号", "名称", "类型", "权利人", "状态"]] + [
                [i.number, i.title, i.get_ip_type_display(), i.owner, i.get_status_display()]
                for i in application.ip_items.all()],
            "团队成员": [["姓名", "分工", "职称", "单位", "负责人"]] + [
                [m.name, m.role, m.title, m.organisation, "是" if m.is_lead else ""] for m in application.team_members.all()],
            "经费预算": [["科目", "来源", "金额", "说明"]] + [
                [b.category, b.get_source_display(), yuan(b.amount), b.note] for b in application.budget_lines.all()],
            "里程碑": [["月份", "里程碑", "交付成果"]] + [
                [f"第 {m.month} 月", m.title, m.deliverables] for m in application.milestones.all()],
        }
    content["attachments"] = [[a.get_attachment_type_display(), a.original_name, human_size(a.size), a.sha256[:16]]
                              for a in application.attachments.all()]
    content["pledges"] = [bool(application.integrity_pledged_at), bool(application.ip_pledged_at)]

    def render(letterhead):
        st = styles()
        story = heading_block(letterhead)
        story += [Paragraph("一、基本信息", st["heading"]), facts(sections)]
        story += [Paragraph("二、摘要", st["heading"]), Paragraph(esc(application.summary or "—"), st["body"])]
        if content["details"]:
            story += [Paragraph("三、" + ("中心建设条件" if application.is_center else "项目情况"), st["heading"]),
                      facts(list(content["details"].items()))]
        for n, (name, rows) in enumerate(content["rows"].items(), start=4):
            story += [Paragraph(f"{'四五六七'[n - 4]}、{name}", st["heading"])]
            story += [table(rows) if len(rows) > 1 else Paragraph("—", st["body"])]
        story += [Paragraph("附件清单", st["heading"]),
                  table([["类型", "文件名", "大小", "SHA-256（前16位）"]] + content["attachments"])
                  if content["attachments"] else Paragraph("—", st["body"])]
        story += [Paragraph("承诺", st["heading"]),
                  facts([("科研诚信承诺书", "已确认" if content["pledges"][0] else "未确认"),
                         ("知识产权合规声明", "已确认" if content["pledges"][1] else "未确认")])]
        return build_pdf(letterhead, story)

    return issue("application_form", application, title=f"{application.get_kind_display()}申报书", content=content,
                 render=render, document_number=application.number, user=user)


# ----------------------------------------------------- 认定通知书 / 立项通知书

@in_chinese
def approval_notice(application: Application, user=None):
    """认定通知书 for a designated center, 立项通知书 for a funded project (two pages)."""
    inst = application.institution
    if application.is_center:
        center = application.center
        doc_type, title = "designation_notice", f"关于认定{center.name}为市级{center.get_center_type_display()}的通知"
        number = f"温科认〔{center.designated_on.year}〕{center.designation_number.rsplit('-', 1)[1]}号"
        subject = center
        body = [
            f"{inst.name}：",
            f"经单位申报、形式审查、专家评审、现场考察和社会公示，你单位申报的“{center.name}”符合"
            f"《概念验证中心与中试基地建设指引（试行）》的认定条件，现认定为温州市{center.get_center_type_display()}，"
            f"认定编号 {center.designation_number}，有效期自{cn_date(center.designated_on)}至{cn_date(center.valid_until)}。",
            "请你单位按照建设方案，完善服务制度和专业团队，承接高校院所科技成果开展二次开发、工艺验证和中试熟化，"
            "每年按时报送年度绩效评价材料。年度绩效评价不合格的，限期一年整改；整改后仍不合格的，撤销认定。",
        ]
        rows = [("认定编号", center.designation_number), ("类型", center.get_center_type_display()),
                ("依托单位", inst.name), ("有效期", f"{cn_date(center.designated_on)} 至 {cn_date(center.valid_until)}"),
                ("服务内容", "、".join(center.service_labels()) or "—")]
        day = center.designated_on
    else:
        project = application.project
        details = application.project_details
        doc_type, title = "approval_notice", f"关于{project.title}立项的通知"
        number = f"温科计〔{project.approved_on.year}〕{project.project_number.rsplit('-', 1)[1]}号"
        subject = project
        body = [
            f"{inst.name}：",
            f"经专家评审和社会公示，你单位申报的“{project.title}”（{application.number}）列入市级"
            f"{application.get_kind_display()}计划，项目编号 {project.project_number}。",
            "请于一个月内签订项目任务书，按任务书约定的里程碑推进实施，按期报告进展；"
            f"项目须在{cn_date(project.obligation_due_on)}前完成成果转化义务（技术合同认定登记），并在验收时接受检查。",
        ]
        rows = [("项目编号", project.project_number), ("承担单位", inst.name),
                ("实施期", f"{project.duration_months} 个月"),
                ("申请资助", f"{yuan(details.requested_grant)}（{wan(details.requested_grant)}）" if details else "—"),
                ("转化义务", project.obligation), ("转化期限", cn_date(project.obligation_due_on))]
        day = project.approved_on
    milestones = [["月份", "里程碑", "交付成果"]] + [[f"第 {m.month} 月", m.title, m.deliverables]
                                               for m in application.milestones.all()]
    content = {"body": body, "rows": rows, "milestones": milestones, "number": number}
    heading = "认定信息" if application.is_center else "立项信息"

    def render(letterhead):
        return layouts.render_approval_notice(letterhead, content, attachment_heading=heading, day=day)

    return issue(doc_type, subject, title=title, content=content, render=render, document_number=number, user=user)


# ------------------------------------------------------------------ 认定证书

@in_chinese
def designation_certificate(center: Center, user=None):
    """The designation certificate (landscape)."""
    content = {"name": center.name, "number": center.designation_number, "type": center.center_type,
               "institution": center.institution.name, "from": str(center.designated_on),
               "until": str(center.valid_until)}

    def render(letterhead):
        st = styles()
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle

        big = ParagraphStyle("big", parent=st["title"], fontSize=34, leading=46)
        name = ParagraphStyle("name", parent=st["body"], fontSize=22, leading=34, alignment=TA_CENTER)
        line = ParagraphStyle("line", parent=st["body"], fontSize=13, leading=22, alignment=TA_CENTER)
        story = [Spacer(1, 8 * mm), Paragraph("证　书", big), Spacer(1, 6 * mm),
                 Paragraph(esc(center.institution.name), name),
                 Paragraph(f"认定为温州市{esc(center.get_center_type_display())}", line),
                 Paragraph(f"（{esc(center.name)}）", line), Spacer(1, 8 * mm),
                 Paragraph(f"编号：{esc(center.designation_number)}", line),
                 Paragraph(f"有效期：{cn_date(center.designated_on)} 至 {cn_date(center.valid_until)}", line)]
        story += signature_block(ISSUER, center.designated_on)
        return build_pdf(letterhead, story)

    return issue("designation_certificate", center, title=f"温州市{center.get_center_type_display()}认定证书",
                 content=content, render=render, document_number=center.designation_number, user=user,
                 landscape=True)


# ------------------------------------------------------------------ shared

def _points(value) -> str:
    """A threshold or score without needless decimals: 90, 89.5, 82.25."""
    return f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")


def _score(value) -> str:
    """A score as printed: two decimals (82.50)."""
    return "—" if value is None else f"{Decimal(str(value)):.2f}"


def _money(value) -> str:
    return f"{yuan(value or 0)}（{wan(value or 0)}）"


def _joined(name: str, rest: str) -> str:
    """``name`` + ``rest``, with a space after a name ending in a Latin letter or digit ("中心 1 2025年度…")."""
    return f"{name} {rest}" if name[-1:].isascii() and name[-1:].isalnum() else f"{name}{rest}"


# ------------------------------------------------------------------ 公示

OBJECTION_RULES = [
    "异议应以书面形式提出，写明异议对象（申报编号和名称）、异议事项和理由，并附必要的证明材料。",
    "单位提出异议的，须在书面材料上加盖本单位公章，并写明联系人和联系电话；个人提出异议的，须在书面材料上签署"
    "本人真实姓名（实名），并写明工作单位和联系电话。",
    "匿名或冒名的异议、超过异议截止日期提出的异议、没有具体事实和证据的异议，不予受理。",
    "市科学技术局对异议人的身份予以保密，对受理的异议组织调查核实，并将处理结果告知异议人。",
]
OBJECTION_CONTACT = "受理单位：温州市科学技术局。书面材料可当面递交或邮寄，邮寄的以收到日期为准。"


def _period(application) -> str:
    start, end = application.notice_starts_on, application.notice_ends_on
    if not (start and end):
        return "—"
    return f"{cn_date(start)}至{cn_date(end)}"


@in_chinese
def public_notice_content(call):
    """(content, the applications listed) of the call's public notice: its applications in public notice."""
    from poc.models import ApplicationState

    applications = list(Application.objects.filter(call=call, state=ApplicationState.PUBLIC_NOTICE)
                        .select_related("institution").order_by("notice_starts_on", "number"))
    verb = "认定" if call.is_center_call else "立项"
    measure = "家" if call.is_center_call else "个"
    starts = sorted({a.notice_starts_on for a in applications if a.notice_starts_on})
    ends = sorted({a.notice_ends_on for a in applications if a.notice_ends_on})
    steps = "单位申报、形式审查、专家评审" + ("、现场考察" if call.site_visit_required else "")
    intro = [f"根据《概念验证中心与中试基地建设指引（试行）》和“{call.title}”申报要求，经{steps}，市科学技术局拟"
             f"{verb}以下 {len(applications)} {measure}{call.get_kind_display()}，现予以公示。"]
    if len(starts) == 1 and len(ends) == 1:
        intro.append(f"公示期为{cn_date(starts[0])}至{cn_date(ends[0])}。公示期内，任何单位和个人对公示对象有异议的，"
                     f"请于{cn_date(ends[0])}（含当日）前按下列方式提出。")
    else:
        intro.append("各公示对象的公示期和异议截止日期见下表。公示期内，任何单位和个人对公示对象有异议的，"
                     "请于所列异议截止日期（含当日）前按下列方式提出。")
    rows = [[str(n), a.number, a.institution.name, a.title, a.get_kind_display(), _period(a),
             cn_date(a.notice_ends_on) if a.notice_ends_on else "—"] for n, a in enumerate(applications, start=1)]
    day = starts[0] if starts else timezone.localdate()
    content = {"call": call.pk, "intro": intro, "rows": rows, "objection": OBJECTION_RULES,
               "contact": OBJECTION_CONTACT, "date": day.isoformat()}
    return content, applications


def _public_notice_validity(document):
    from poc.models import IssuedDocument

    newer = (IssuedDocument.objects.filter(document_type=document.document_type, content_type=document.content_type,
                                           object_id=document.object_id, issued_at__gt=document.issued_at)
             .order_by("-issued_at").first())
    if newer is not None:
        return True, f"有效（该批次其后另有 {cn_date(timezone.localdate(newer.issued_at))} 发布的公示）"
    return True, "有效"


register_document_type("public_notice", "公示", _public_notice_validity)


def public_notice(call, user=None):
    """公示 of the call's proposed approvals, or None when no application of the call is in public notice."""
    content, applications = public_notice_content(call)
    if not applications:
        return None
    day = layouts._day(content["date"])
    verb = "认定" if call.is_center_call else "立项"
    return issue("public_notice", call, title=f"{call.title}拟{verb}名单公示", content=content,
                 render=lambda letterhead: layouts.render_public_notice(letterhead, content),
                 document_number=f"温科公〔{day.year}〕{call.pk}号", user=user)


# ------------------------------------------------------------ 年度绩效评价结果

@in_chinese
def evaluation_content(evaluation) -> dict:
    from poc.models import EvaluationState, Grade

    center = evaluation.center
    call = center.call
    inst = center.institution
    satisfaction = evaluation.user_satisfaction
    metrics = [
        ["验证项目数", f"{evaluation.projects_validated} 项"],
        ["转化成果数", f"{evaluation.results_transferred} 项"],
        ["孵化企业数", f"{evaluation.companies_incubated} 家"],
        ["带动后续融资", _money(evaluation.follow_on_financing)],
        ["技术合同成交额", _money(evaluation.contract_turnover)],
        ["服务收入", _money(evaluation.service_revenue)],
        ["用户满意度", f"{satisfaction:.2f}%" if satisfaction is not None else "—"],
    ]
    grade = Grade(evaluation.grade).label if evaluation.grade else "—"
    thresholds = (f"{_points(call.grade_excellent_from)} 分及以上为优秀，{_points(call.grade_good_from)} 分及以上为良好，"
                  f"{_points(call.grade_pass_from)} 分及以上为合格，低于 {_points(call.grade_pass_from)} 分为不合格。")
    previous = (center.evaluations.filter(state=EvaluationState.SCORED, data_year__lt=evaluation.data_year)
                .order_by("-data_year").first())
    type_name = center.get_center_type_display()
    if evaluation.grade == Grade.FAIL and previous is not None and previous.grade == Grade.FAIL:
        consequence = [f"你中心 {previous.data_year} 年度和 {evaluation.data_year} 年度绩效评价连续不合格，整改后仍不合格，"
                       f"按规定撤销其市级{type_name}认定，收回认定证书。",
                       f"自撤销之日起，你单位不得继续以市级{type_name}名义开展服务和宣传。"]
    elif evaluation.grade == Grade.FAIL:
        due = f"（整改期至{cn_date(center.rectification_due)}）" if center.rectification_due else ""
        consequence = [f"你中心本年度绩效评价不合格，请于 {call.center_rectification_months} 个月内完成整改{due}。"
                       "整改期满后重新评价，仍不合格的，撤销认定。"]
    elif previous is not None and previous.grade == Grade.FAIL:
        consequence = [f"你中心整改后绩效评价为{grade}，整改通过，继续保持市级{type_name}认定资格。"]
    else:
        consequence = [f"你中心本年度绩效评价为{grade}，继续保持市级{type_name}认定资格。"]
    if len(consequence) == 1:
        consequence.append("请对照评价指标持续完善服务体系，按时报送下一年度绩效评价材料。")
    scored_on = timezone.localdate(evaluation.scored_at) if evaluation.scored_at else timezone.localdate()
    return {
        "addressee": f"{inst.name}：",
        "intro": f"根据《概念验证中心与中试基地建设指引（试行）》，市科学技术局对你单位“{center.name}”"
                 f"{evaluation.data_year} 年度绩效进行了评价，现将结果通知如下。",
        "center": [("中心名称", center.name), ("认定编号", center.designation_number), ("类型", type_name),
                   ("依托单位", inst.name), ("评价年度", f"{evaluation.data_year} 年度"),
                   ("认定有效期", f"{cn_date(center.designated_on)} 至 {cn_date(center.valid_until)}")],
        "metrics": metrics, "score": _score(evaluation.score), "grade": grade, "thresholds": thresholds,
        "consequence": consequence, "date": scored_on.isoformat(),
    }


register_document_type("evaluation_result", "年度绩效评价结果", _center_validity)


def evaluation_result(evaluation, user=None):
    """年度绩效评价结果 of a scored annual evaluation (the caller checks that it is scored)."""
    content = evaluation_content(evaluation)
    center = evaluation.center
    year = layouts._day(content["date"]).year
    return issue("evaluation_result", evaluation, title=_joined(center.name, f"{evaluation.data_year}年度绩效评价结果"),
                 content=content, render=lambda letterhead: layouts.render_evaluation_result(letterhead, content),
                 document_number=f"温科评〔{year}〕{evaluation.pk}号", user=user)


# ------------------------------------------------------------------ 验收意见

ACCEPTANCE_ITEMS = [  # (field, group, item, maximum): the Guangdong form, 100 points
    ("content_score", "任务完成情况（70 分）", "任务内容完成情况", 20),
    ("technical_score", "", "技术指标完成情况", 20),
    ("economic_score", "", "经济指标完成情况", 10),
    ("deliverables_score", "", "交付成果", 20),
    ("funds_score", "经费使用（20 分）", "经费使用情况", 20),
    ("other_score", "其他（10 分）", "其他", 10),
]


def acceptance_fail_reasons(acceptance) -> list[str]:
    """The automatic-fail reasons, in Chinese, from the recorded facts.

    ``auto_fail_reasons`` holds the texts in the language of whoever recorded the review; the facts behind them
    are stored too (tasks done, false data, unapproved change), except lateness, which is the one reason left
    when the stored list is longer than what the facts explain."""
    from decimal import Decimal

    reasons = []
    if Decimal(str(acceptance.tasks_done_percent)) < Decimal("80"):
        reasons.append(f"任务完成比例为 {_score(acceptance.tasks_done_percent)}%，低于 80%。")
    if acceptance.false_data:
        reasons.append("验收材料存在数据弄虚作假。")
    if acceptance.unapproved_change:
        reasons.append("未经批准擅自变更考核目标。")
    if len(acceptance.auto_fail_reasons or []) > len(reasons):
        reasons.append(f"超过项目期限 {acceptance.days_late} 天（逾期超过 6 个月），且延期未获批准。")
    return reasons


@in_chinese
def acceptance_content(acceptance) -> dict:
    project = acceptance.project
    call = project.call
    deadline = project.approved_deadline
    outcome = acceptance.get_outcome_display()
    if acceptance.outcome == acceptance.Outcome.RECTIFY:
        outcome = (f"{outcome}：请于 {call.project_rectification_months} 个月内完成整改后申请复验（限一次），"
                   "复验仍未通过的，验收不通过。")
    scores = [[group, item, str(maximum), _score(getattr(acceptance, field))]
              for field, group, item, maximum in ACCEPTANCE_ITEMS]
    return {
        "project": [("项目编号", project.project_number), ("项目名称", project.title),
                    ("承担单位", project.institution.name), ("项目类别", project.get_kind_display()),
                    ("立项日期", cn_date(project.approved_on)),
                    ("项目期限", cn_date(deadline) if deadline else "—"),
                    ("验收次数", f"第 {acceptance.attempt} 次"), ("验收日期", cn_date(acceptance.reviewed_on))],
        "scores": scores,
        "total": _score(acceptance.total),
        "facts": [("任务完成比例", f"{_score(acceptance.tasks_done_percent)}%"),
                  ("数据真实性", "发现数据弄虚作假" if acceptance.false_data else "未发现数据弄虚作假"),
                  ("目标变更", "存在未经批准的目标变更" if acceptance.unapproved_change else "无未经批准的目标变更"),
                  ("逾期情况", f"逾期 {acceptance.days_late} 天" if acceptance.days_late else "未逾期"),
                  ("成果转化义务", "已履行" if acceptance.obligation_met else "未履行")],
        "reasons": acceptance_fail_reasons(acceptance),
        "outcome": outcome,
        "rule": (f"总分 {_points(call.acceptance_pass_from)} 分及以上为通过；{_points(call.acceptance_rectify_from)} 分"
                 f"及以上、不足 {_points(call.acceptance_pass_from)} 分的须整改（限一次）；低于 "
                 f"{_points(call.acceptance_rectify_from)} 分，或任务完成不足 80%、数据弄虚作假、未经批准变更目标、"
                 "逾期超过 6 个月未获延期的，验收不通过。"),
        "opinion": acceptance.opinion,
        "date": acceptance.reviewed_on.isoformat(),
    }


def _acceptance_validity(document):
    acceptance = document.subject
    later = acceptance.project.acceptances.filter(attempt__gt=acceptance.attempt).order_by("-attempt").first()
    with translation.override("zh-hans"):
        outcome = acceptance.get_outcome_display()
    if later is not None:
        return True, f"有效（第 {acceptance.attempt} 次验收，结论：{outcome}；其后已有第 {later.attempt} 次验收意见）"
    return True, f"有效（第 {acceptance.attempt} 次验收，结论：{outcome}）"


register_document_type("acceptance_opinion", "验收意见", _acceptance_validity)


def acceptance_opinion(acceptance, user=None):
    """验收意见 of one acceptance review of a funded project."""
    content = acceptance_content(acceptance)
    project = acceptance.project
    suffix = f"（第 {acceptance.attempt} 次）" if acceptance.attempt > 1 else ""
    return issue("acceptance_opinion", acceptance, title=_joined(project.title, f"验收意见{suffix}"), content=content,
                 render=lambda letterhead: layouts.render_acceptance_opinion(letterhead, content),
                 document_number=f"温科验〔{acceptance.reviewed_on.year}〕{acceptance.pk}号", user=user)
