"""How the review's official documents look: ``render_*(letterhead, content) -> PDF bytes`` from plain data.

:mod:`review.documents` reads the database into the ``content`` dicts (whose hash decides whether a regenerated
document is the one already issued); nothing here touches the database, so the benchmark renders a 200-row
summary from synthetic content.
"""
from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, TableStyle

from poc.documents.kit import ISSUER, build_pdf, cn_date, esc, facts, facts_grid, heading_block, styles, table

SCORE_COLUMNS = ["序号", "评审指标", "权重", "满分", "得分", "评语"]
SCORE_WIDTHS = [11 * mm, 36 * mm, 12 * mm, 14 * mm, 16 * mm, 77 * mm]
SCORE_NUMERIC = (2, 3, 4)

SUMMARY_COLUMNS = ["排名", "申报编号", "申报单位", "名称", "评审数", "平均分", "中位数", "去极值平均", "标准差", "极差",
                   "校准平均", "分歧"]
SUMMARY_WIDTHS = [16 * mm, 24 * mm, 36 * mm, 55 * mm, 13 * mm, 15 * mm, 15 * mm, 20 * mm, 15 * mm, 13 * mm,
                  17 * mm, 14 * mm]
SUMMARY_NUMERIC = (4, 5, 6, 7, 8, 9, 10)
PANEL_COLUMNS = ["序号", "姓名", "工作单位", "职称", "评审份数", "签名"]
PANEL_WIDTHS = [12 * mm, 32 * mm, 90 * mm, 45 * mm, 22 * mm, 52 * mm]

PLEDGE = ("本人承诺：与评审对象不存在需要回避的利害关系；独立、客观、公正地作出评价；对评审内容和评审结果严格保密，"
          "不接受任何单位和个人的请托。")


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _right_aligned(rows: list[list], columns) -> list[list]:
    """The rows with the cells of ``columns`` as right-aligned paragraphs (numbers line up)."""
    style = styles()["cell_right"]
    return [[Paragraph(esc(c), style) if i in columns else c for i, c in enumerate(row)] for row in rows]


def _panel_table(panel: list[list[str]]):
    """The panel list, its rows tall enough to sign in."""
    t = table([PANEL_COLUMNS] + _right_aligned(panel, (4,)), col_widths=PANEL_WIDTHS)
    t.setStyle(TableStyle([("TOPPADDING", (0, 1), (-1, -1), 7), ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
                           ("VALIGN", (0, 1), (-1, -1), "MIDDLE")]))
    return t


def render_score_sheet(letterhead, content: dict) -> bytes:
    """One expert's score sheet (评审打分表) of one application.

    ``content``: {"application": [(label, value)…], "expert": [(label, value)…],
    "rows": [[no, criterion, weight, max, score, comment]…], "max_total", "total", "recommendation", "comment",
    "submitted": ISO date or ""}."""
    st = styles()
    story = heading_block(letterhead)
    story += [Paragraph("一、评审对象", st["heading"]), facts_grid([tuple(r) for r in content["application"]])]
    story += [Paragraph("二、评审专家", st["heading"]), facts_grid([tuple(r) for r in content["expert"]])]
    rows = _right_aligned(content["rows"] + [["", "合计（加权）", "", content["max_total"], content["total"], ""]],
                          SCORE_NUMERIC)
    scores = table([SCORE_COLUMNS] + rows, col_widths=SCORE_WIDTHS)
    scores.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#EEF2F6"))]))
    story += [Paragraph("三、评分", st["heading"]), scores]
    story += [Paragraph("四、综合意见", st["heading"]),
              facts([("推荐意见", content["recommendation"]), ("综合评语", content["comment"] or "—")],
                    widths=(26 * mm, 140 * mm))]
    submitted = content.get("submitted")
    signature = [
        Spacer(1, 5 * mm), Paragraph(esc(PLEDGE), st["para"]), Spacer(1, 8 * mm),
        Paragraph("评审专家（签名）：________________　　　　日期：______年____月____日", st["body"]),
    ]
    if submitted:
        signature += [Spacer(1, 1 * mm),
                      Paragraph(f"（评审意见于{cn_date(_day(submitted))}在系统中提交。）", st["small"])]
    signature += [Spacer(1, 4 * mm),
                  Paragraph("本表含评审专家信息和评审意见，仅供评审工作使用，严格保密。", st["small"])]
    story += [KeepTogether(signature)]
    return build_pdf(letterhead, story)


def render_review_summary(letterhead, content: dict) -> bytes:
    """A call's review summary (评审汇总表), landscape: the settings, the ranking with its statistics (the header
    row repeats on every page), the legend, and in the signed version the panel with a signature column.

    ``content``: {"facts": [(label, value)…], "rows": [[12 cells]…], "legend": [text…], "panel": [[…]…] or None,
    "date": ISO date}."""
    st = styles()
    story = heading_block(letterhead)
    story += [facts_grid([tuple(r) for r in content["facts"]], width=253 * mm), Spacer(1, 4 * mm)]
    if content["rows"]:
        story += [table([SUMMARY_COLUMNS] + _right_aligned(content["rows"], SUMMARY_NUMERIC),
                        col_widths=SUMMARY_WIDTHS)]
    else:
        story += [Paragraph("本批次尚无进入专家评审的申报。", st["body"])]
    story += [Spacer(1, 3 * mm)] + [Paragraph(esc(t), st["small"]) for t in content["legend"]]
    story += [Spacer(1, 4 * mm), Paragraph(esc(ISSUER) + f"　数据截至{cn_date(_day(content['date']))}", st["right"])]
    panel = content.get("panel")
    if panel is not None:
        # The panel signs on the same page as its list (the list splits across pages only when it must).
        story += [KeepTogether([
            Paragraph("评审专家组", st["heading"]),
            _panel_table(panel) if panel else Paragraph("—", st["body"]),
            Spacer(1, 8 * mm),
            Paragraph("专家组组长（签名）：________________　　　　经办人（签名）：________________　　　　"
                      "日期：______年____月____日", st["body"]),
        ])]
    return build_pdf(letterhead, story)
