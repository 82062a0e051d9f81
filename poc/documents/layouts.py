"""How poc's official documents look: ``render_*(letterhead, content) -> PDF bytes``, from plain data only.

Each document function in :mod:`poc.documents.poc_documents` reads the database, builds a ``content`` dict of
what is printed (strings, numbers, lists: the dict whose hash decides whether a regenerated document is the one
already issued) and passes a ``render`` that calls one of these. Nothing here touches the database or Django's
settings (beyond the kit's optional SITE_URL), so the benchmark (benchmarks/documents.py) and tests render
them from synthetic content.
"""
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, TableStyle

from .kit import ISSUER, build_pdf, esc, facts, facts_grid, heading_block, signature_block, styles, table


def _day(value) -> date:
    """A date from a ``date`` or its ISO text (content dicts hold ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def paragraphs(texts, style) -> list:
    return [Paragraph(esc(t), style) for t in texts]


def numbered(items: list[str], style) -> list:
    return [Paragraph(f"{n}. {esc(t)}", style) for n, t in enumerate(items, start=1)]


# ----------------------------------------------------- 认定通知书 / 立项通知书

def render_approval_notice(letterhead, content: dict, *, attachment_heading: str, day) -> bytes:
    """Page 1: the notice (addressee, body, issuer and date); page 2: the facts and the planned milestones.

    ``content``: {"body": [addressee, paragraph, …], "rows": [(label, value), …],
    "milestones": [[header…], [row…], …], "number": 文号}."""
    st = styles()
    body, rows, milestones = content["body"], content["rows"], content["milestones"]
    story = heading_block(letterhead)
    story += paragraphs(body[:1], st["body"])
    story += paragraphs(body[1:], st["para"])
    story += signature_block(ISSUER, _day(day))
    story += [PageBreak(), Paragraph(f"附件：{esc(attachment_heading)}", st["heading"]),
              facts([tuple(r) for r in rows])]
    if len(milestones) > 1:
        story += [Paragraph("计划里程碑", st["heading"]), table(milestones)]
    story += [Spacer(1, 6 * mm), Paragraph("本通知可通过页脚二维码或验证码在线核验真伪。", st["small"])]
    return build_pdf(letterhead, story)


# ------------------------------------------------------------------ 公示

PUBLIC_NOTICE_COLUMNS = ["序号", "申报编号", "申报单位", "名称", "类别", "公示期", "异议截止"]
PUBLIC_NOTICE_WIDTHS = [11 * mm, 24 * mm, 28 * mm, 33 * mm, 16 * mm, 29 * mm, 25 * mm]


def render_public_notice(letterhead, content: dict) -> bytes:
    """The public notice (公示) of a call's proposed approvals.

    ``content``: {"intro": [paragraph, …], "rows": [[no, number, institution, title, kind, period, deadline], …],
    "objection": [rule, …], "contact": text, "date": ISO date}."""
    st = styles()
    story = heading_block(letterhead)
    story += paragraphs(content["intro"], st["para"])
    rows = [row[:5] + [Paragraph(esc(row[5]).replace("至", "<br/>至"), st["cell"])] + row[6:]
            for row in content["rows"]]  # the period on two lines: from … / to …
    story += [Spacer(1, 2 * mm), table([PUBLIC_NOTICE_COLUMNS] + rows, col_widths=PUBLIC_NOTICE_WIDTHS)]
    story += [Paragraph("异议方式", st["heading"])]
    story += numbered(content["objection"], st["body"])
    closing = [Spacer(1, 2 * mm), Paragraph(esc(content["contact"]), st["body"])] if content.get("contact") else []
    story += [KeepTogether(closing + signature_block(ISSUER, _day(content["date"])))]
    return build_pdf(letterhead, story)


# ------------------------------------------------------------ 年度绩效评价结果

def render_evaluation_result(letterhead, content: dict) -> bytes:
    """The result of a center's annual performance evaluation (年度绩效评价结果), on one page.

    ``content``: {"addressee", "intro", "center": [(label, value)…], "metrics": [[指标, 数值]…],
    "score", "grade", "thresholds", "consequence": [paragraph…], "date"}."""
    st = styles()
    story = heading_block(letterhead)
    story += [Paragraph(esc(content["addressee"]), st["body"]), Paragraph(esc(content["intro"]), st["para"])]
    story += [Paragraph("一、中心基本情况", st["heading"]), facts_grid([tuple(r) for r in content["center"]])]
    story += [Paragraph("二、年度绩效指标", st["heading"]),
              facts_grid([tuple(r) for r in content["metrics"]], label_width=30 * mm)]
    story += [Paragraph("三、评价结果", st["heading"]),
              facts_grid([("综合得分", f"{content['score']} 分（满分 100 分）"), ("评价等级", content["grade"])]),
              facts([("等级标准", content["thresholds"])], widths=(26 * mm, 140 * mm))]
    story += [Paragraph("四、处理意见", st["heading"])]
    story += paragraphs(content["consequence"][:-1], st["para"])
    story += [KeepTogether(paragraphs(content["consequence"][-1:], st["para"])
                           + signature_block(ISSUER, _day(content["date"])))]
    return build_pdf(letterhead, story)


# ------------------------------------------------------------------ 验收意见

ACCEPTANCE_COLUMNS = ["评价内容", "评价项目", "满分", "得分"]


def render_acceptance_opinion(letterhead, content: dict) -> bytes:
    """The acceptance opinion (验收意见) of a funded project.

    ``content``: {"project": [(label, value)…], "scores": [[group, item, max, score]…], "total",
    "facts": [(label, value)…], "reasons": [text…], "outcome", "rule", "opinion", "date"}."""
    st = styles()
    story = heading_block(letterhead)
    story += [Paragraph("一、项目基本情况", st["heading"]), facts_grid([tuple(r) for r in content["project"]])]
    right = st["cell_right"]
    rows = [[group, item, Paragraph(esc(maximum), right), Paragraph(esc(score), right)]
            for group, item, maximum, score in content["scores"]]
    rows.append(["合计", "", Paragraph("100", right), Paragraph(esc(content["total"]), right)])
    scores = table([ACCEPTANCE_COLUMNS] + rows, col_widths=[40 * mm, 76 * mm, 22 * mm, 28 * mm], zebra=False)
    scores.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#EEF2F6"))]))
    story += [Paragraph("二、验收评分", st["heading"]), scores]
    story += [Paragraph("三、任务完成与一票否决情形", st["heading"]), facts_grid([tuple(r) for r in content["facts"]])]
    story += [Spacer(1, 2 * mm), Paragraph("一票否决情形：" + ("" if content["reasons"] else "无"), st["body"])]
    story += numbered(content["reasons"], st["body"])
    story += [Paragraph("四、验收结论", st["heading"]),
              facts([("验收结论", content["outcome"]), ("判定规则", content["rule"])], widths=(26 * mm, 140 * mm))]
    story += [Paragraph("五、验收意见", st["heading"])]
    opinion = paragraphs([p for p in content["opinion"].splitlines() if p.strip()] or ["—"], st["para"])
    story += opinion[:-1] + [KeepTogether(opinion[-1:] + signature_block(ISSUER, _day(content["date"])))]
    return build_pdf(letterhead, story)
