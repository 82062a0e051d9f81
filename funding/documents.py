"""The funding decision (投拨结合资助决定书): the grant part and its programme, the equity part and its fund, the
conversion terms of a convertible grant, the exit terms and both approvals, with a verification code.

Visible to officers, the managers of the decision's fund and the applicant institution (the view uses
``selectors.decisions_visible_to``); issued once the decision is approved. Approvals name the approving bodies,
never the officers or managers who clicked.
"""
from datetime import date
from decimal import Decimal

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from poc.documents.issuing import issue, register_document_type
from poc.documents.kit import (
    FONT,
    ISSUER,
    build_pdf,
    cn_date,
    esc,
    facts,
    facts_grid,
    heading_block,
    styles,
    table,
    wan,
    yuan,
)
from poc.documents.poc_documents import in_chinese

from .models import ConversionState, DecisionState, ExitMethod, FundingDecision, Instrument, stake_percent

TITLES = {
    Instrument.GRANT_EQUITY: "投拨结合资助决定书",
    Instrument.CONVERTIBLE: "拨投结合（先投后股）资助决定书",
    Instrument.GRANT: "财政资助决定书",
    Instrument.EQUITY: "股权投资决定书",
}


def _money(value) -> str:
    return f"{yuan(value or 0)}（{wan(value or 0)}）"


def _percent(value) -> str:
    return f"{Decimal(str(value)):.4f}".rstrip("0").rstrip(".") + "%"


def _local_day(moment):
    return timezone.localdate(moment) if moment else None


@in_chinese
def decision_content(decision: FundingDecision) -> dict:
    application = decision.application
    institution = application.institution
    fund = decision.fund
    manager = fund.manager_organisation if fund else ""
    deciders = ISSUER + (f"与{manager}" if decision.has_equity_part and manager else "")
    sections = []
    if decision.has_grant_part:
        label = "可转股资助（拨）" if decision.instrument == Instrument.CONVERTIBLE else "财政资助（拨）"
        sections.append([label, [("资助金额", _money(decision.grant_amount)),
                                 ("资助计划", decision.grant_programme or "—"), ("批准机关", ISSUER)]])
    if decision.instrument in (Instrument.EQUITY, Instrument.GRANT_EQUITY):
        rows = [("投资金额", _money(decision.equity_amount)), ("出资基金", fund.name if fund else "—"),
                ("基金管理机构", manager or "—")]
        if decision.pre_money_valuation:
            rows += [("预计投前估值", _money(decision.pre_money_valuation)),
                     ("预计持股比例", _percent(stake_percent(decision.equity_amount, decision.pre_money_valuation))
                      + "（以投资协议为准）")]
        sections.append(["股权投资（投）", rows])
    if decision.instrument == Instrument.CONVERTIBLE:
        price = "以该轮融资的投前估值为转股估值"
        if decision.conversion_discount:
            price += f"，并给予 {_percent(decision.conversion_discount)} 的折让"
        if decision.valuation_cap:
            price += f"；转股估值不高于估值上限 {_money(decision.valuation_cap)}"
        deadline = cn_date(decision.conversion_deadline) if decision.conversion_deadline else "—"
        sections.append(["转股条款（拨投结合 / 先投后股）", [
            ("转股方式", "资助资金先行拨付，不登记股权；被资助企业在转股期限内完成首轮合格股权融资时，"
                     f"资助资金按约定价格转为由{fund.name if fund else '科创基金'}持有的股权。"),
            ("合格融资", f"单轮股权融资金额不低于 {_money(decision.qualifying_round_minimum)}"
             if decision.qualifying_round_minimum is not None else "—"),
            ("转股价格", price + "。"),
            ("转股期限", deadline),
            ("未转股的处理", f"至{deadline}未发生合格融资的，按财政资助结项（结项免责）。"),
            ("持股与管理", f"转股后由{manager or '基金管理机构'}代为持有并行使股东权利。"),
        ]])
    if decision.exit_method:
        rows = [("退出方式", ExitMethod(decision.exit_method).label)]
        if decision.exit_method == ExitMethod.BUYBACK and decision.buyback_rate is not None:
            rows.append(("回购价格", f"按投资本金加年化 {_percent(decision.buyback_rate)} 单利计算"))
        rows.append(("退出原则", "按“合理回报”原则逐步退出，不谋求控股。"))
        sections.append(["退出安排", rows])
    approvals = [["审批事项", "审批机构", "批准日期"]]
    days = []
    if decision.has_grant_part:
        day = _local_day(decision.grant_approved_at)
        approvals.append(["财政资助部分", ISSUER, cn_date(day) if day else "待批准"])
        days.append(day)
    if decision.has_equity_part:
        day = _local_day(decision.equity_approved_at)
        approvals.append(["股权投资部分", manager or "—", cn_date(day) if day else "待批准"])
        days.append(day)
    known = [d for d in days if d]
    decided_on = max(known) if known else timezone.localdate()
    return {
        "title": TITLES.get(decision.instrument, "资助决定书"),
        "addressee": f"{institution.name}：",
        "intro": f"经专家评审和社会公示，{deciders}决定，对你单位申报的“{application.title}”（{application.number}）"
                 f"给予{Instrument(decision.instrument).label}支持。具体如下：",
        "basics": [("支持方式", Instrument(decision.instrument).label),
                   ("支持总额", _money(decision.grant_amount + decision.equity_amount))],
        "sections": sections,
        "approvals": approvals,
        "closing": "请你单位在收到本决定书后一个月内签订资助（投资）协议，资金专款专用、按里程碑分期拨付；"
                   "按期报送季度财务报表、里程碑报告和重大事项，接受市科学技术局和基金管理机构的监督检查。",
        "signers": [ISSUER] + ([manager] if decision.has_equity_part and manager else []),
        "date": decided_on.isoformat(),
    }


CHINESE_NUMERALS = "一二三四五六七八九十"


def _visual_length(text: str) -> float:
    """Width in CJK characters (Latin letters and digits are about half as wide)."""
    return sum(0.55 if ord(c) < 0x2E80 else 1 for c in text)


def render_decision(letterhead, content: dict) -> bytes:
    st = styles()
    story = heading_block(letterhead)
    story += [Paragraph(esc(content["addressee"]), st["body"]), Paragraph(esc(content["intro"]), st["para"])]
    story += [Paragraph("一、基本情况", st["heading"]), facts_grid([tuple(r) for r in content["basics"]])]
    n = 1
    for heading, rows in content["sections"]:
        pairs = [tuple(r) for r in rows]
        short = all(_visual_length(v) <= 18 for _label, v in pairs)  # short values: two pairs a row
        story += [Paragraph(f"{CHINESE_NUMERALS[n]}、{esc(heading)}", st["heading"]),
                  facts_grid(pairs) if short else facts(pairs, widths=(32 * mm, 134 * mm))]
        n += 1
    story += [Paragraph(f"{CHINESE_NUMERALS[n]}、审批情况", st["heading"]),
              table(content["approvals"], col_widths=[40 * mm, 80 * mm, 46 * mm])]
    day = cn_date(date.fromisoformat(content["date"]))
    signers = content["signers"]
    cells = [[Paragraph(f"{esc(s)}<br/>{day}", st["center"]) for s in signers]]
    sign = Table(cells, colWidths=[166 * mm / len(signers)] * len(signers))
    sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [KeepTogether([Spacer(1, 3 * mm), Paragraph(esc(content["closing"]), st["para"]), Spacer(1, 10 * mm),
                            sign])]
    return build_pdf(letterhead, story)


def _decision_validity(document):
    decision = document.subject
    if decision.state == DecisionState.REJECTED:
        return False, "无效（决定未通过）"
    if decision.state != DecisionState.APPROVED:
        return False, "未生效（尚待批准）"
    conversion = getattr(decision, "conversion", None)
    if conversion is not None and conversion.state == ConversionState.CONVERTED:
        return True, "有效（资助资金已转为股权）"
    if conversion is not None and conversion.state == ConversionState.LAPSED:
        return True, "有效（未发生合格融资，已按财政资助结项）"
    return True, "有效（已批准）"


register_document_type("funding_decision", "投拨结合资助决定书", _decision_validity)


def funding_decision(decision: FundingDecision, user=None):
    """The decision document of an approved decision (the caller checks the state and the visibility)."""
    content = decision_content(decision)
    year = content["date"][:4]
    return issue("funding_decision", decision, title=content["title"], content=content,
                 render=lambda letterhead: render_decision(letterhead, content),
                 document_number=f"温科投拨〔{year}〕{decision.pk}号", user=user)
