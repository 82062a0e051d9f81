"""poc's documents of an approved application: 申报书, 认定通知书 / 立项通知书, 认定证书.

Each function reads what the document prints into a ``content`` dict and issues it (poc.documents.issuing:
the same content gives back the document already issued); how it looks is in :mod:`poc.documents.layouts`.
"""
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from poc.attachment_checks import human_size
from poc.models import Application, Center

from .. import layouts
from ..issuing import issue, register_document_type
from ..kit import (
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
from .common import center_validity, in_chinese

register_document_type("application_form", "申报书")
register_document_type("designation_notice", "认定通知书", center_validity)
register_document_type("designation_certificate", "认定证书", center_validity)
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
    if application.call.requires_district_recommendation:
        # 区县推荐意见: the district's latest opinion, or that it is still awaited.
        opinion = application.district_recommendation()
        content["district_recommendation"] = (
            [opinion.bureau, opinion.get_outcome_display(), opinion.opinion, cn_date(timezone.localtime(opinion.decided_at).date())]
            if opinion else [f"{application.institution.district}科技局", "待推荐", "", ""])

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
        if "district_recommendation" in content:
            bureau, outcome, opinion, day = content["district_recommendation"]
            story += [Paragraph("区县推荐意见", st["heading"]),
                      facts([("推荐单位", bureau), ("推荐结论", outcome), ("推荐意见", opinion or "—"),
                             ("日期", day or "—")])]
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
