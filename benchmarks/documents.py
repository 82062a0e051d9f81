"""Section 4: official PDF documents — throughput and size.

The two-page approval notice (立项通知书) and a 200-row review summary (评审汇总表, landscape, header row
repeated on every page), rendered with the PDF kit straight from synthetic content (no database, no Django
setup): the same ``render_*`` functions the document views call. Every document gets its own verification code,
so its QR code is encoded afresh, as in production. One process, one thread: documents per second of CPU time
is the per-core figure.
"""

from __future__ import annotations

import re
import statistics
import time
from datetime import date

from poc.documents.kit import Letterhead, register_fonts
from poc.documents.layouts import render_approval_notice
from review.document_layouts import render_review_summary

TITLE = "4. Official documents (PDF): throughput and size"
TARGET_NOTICES_PER_SECOND = 40  # per core
TARGET_NOTICE_BYTES = 100 * 1024
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
INSTITUTIONS = ["温州大学", "温州医科大学", "温州理工学院", "浙江工贸职业技术学院", "瓯江实验室", "温州肯恩大学"]
TOPICS = ["固态电池隔膜", "眼科微创器械", "海水淡化膜", "模具钢热处理工艺", "激光熔覆再制造", "智能泵阀控制"]


def code(i: int) -> str:
    raw = "".join(ALPHABET[(i * 7 + k * 13 + (i >> (k % 5))) % 32] for k in range(16))
    return "-".join(raw[j:j + 4] for j in range(0, 16, 4))


def letterhead(i: int, title: str, number: str, landscape: bool = False) -> Letterhead:
    c = code(i)
    return Letterhead(title=title, document_number=number, verification_code=c,
                      verify_url=f"https://pochub.wzkj.gov.cn/verify/{c}/", landscape=landscape)


def notice_content(i: int) -> tuple[str, str, dict]:
    """(title, 文号, content) of a project's approval notice, as poc_documents.approval_notice builds it."""
    institution, topic = INSTITUTIONS[i % len(INSTITUTIONS)], TOPICS[i % len(TOPICS)]
    title = f"{topic}概念验证项目（{i}）"
    number = f"WZ-PP-2026-{i:03d}"
    content = {
        "body": [
            f"{institution}：",
            f"经专家评审和社会公示，你单位申报的“{title}”（T-{i:05d}-{i % 97}）列入市级概念验证项目计划，"
            f"项目编号 {number}。",
            "请于一个月内签订项目任务书，按任务书约定的里程碑推进实施，按期报告进展；项目须在2027年11月25日前"
            "完成成果转化义务（技术合同认定登记），并在验收时接受检查。",
        ],
        "rows": [("项目编号", number), ("承担单位", institution), ("实施期", "18 个月"),
                 ("申请资助", "¥500,000.00（50.00 万元）"),
                 ("转化义务", "自立项之日起12个月内实现项目成果转让或转化应用（技术合同须经认定登记）。"),
                 ("转化期限", "2027年11月25日")],
        "milestones": [["月份", "里程碑", "交付成果"]] + [
            [f"第 {m} 月", f"阶段 {k}：{topic}样机与验证", "样机、测试报告、工艺文件"]
            for k, m in enumerate((3, 6, 9, 12, 15, 18), start=1)],
        "number": f"温科计〔2026〕{i:03d}号",
    }
    return f"关于{title}立项的通知", content["number"], content


def summary_content(n_rows: int) -> dict:
    """A call's summary with ``n_rows`` ranked applications, as review.documents.summary_content builds it."""
    rows = []
    for r in range(1, n_rows + 1):
        mean = 95 - r * 30 / n_rows
        rows.append([str(r), f"T-{r:05d}-{r % 89}", f"{INSTITUTIONS[r % 6]}（第{r % 13}研究所）",
                     f"{TOPICS[r % 6]}中试熟化项目第{r}期", "5", f"{mean:.2f}", f"{mean + 0.5:.2f}",
                     f"{mean + 0.2:.2f} *", f"{3 + r % 7:.2f}", f"{8 + r % 17:.2f}", f"{mean - 0.3:.2f}",
                     "需讨论" if r % 11 == 0 else "—"])
    return {
        "facts": [("评审批次", "2026年度中试熟化项目"), ("类别", "中试项目"), ("排序依据", "去掉一个最高分和一个最低分后的平均分"),
                  ("去极值规则", "评审意见达到 5 份时，去掉一个最高分和一个最低分"), ("分歧阈值", "极差超过 20 分提示讨论"),
                  ("满分", "100 分"), ("汇总", f"进入评审 {n_rows} 项")],
        "rows": rows,
        "legend": ["排名并列规则：依次比较排序依据、中位数、极差、评审意见份数、申报先后。", "去极值平均：带 * 的为已去掉最高分和最低分。"],
        "panel": None,
        "signed": False,
        "date": date(2026, 11, 25).isoformat(),
    }


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def font_check(pdf: bytes) -> str:
    """Embedded TrueType programs, and fonts named as a standard (never embedded) PDF font: must be none."""
    embedded = len(re.findall(rb"/FontFile2", pdf))
    standard = len(re.findall(rb"/BaseFont /(?:Helvetica|Times|Courier|Symbol|ZapfDingbats)", pdf))
    return f"{embedded} embedded subset(s), {standard} standard (non-embedded) font(s)"


def measure(render, n: int) -> dict:
    sizes, page_counts = [], []
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(n):
        pdf = render(i)
        sizes.append(len(pdf))
        page_counts.append(pages(pdf))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"n": n, "cpu": cpu, "wall": wall, "per_cpu_second": n / cpu if cpu else float("inf"),
            "per_second": n / wall, "sizes": sizes, "pages": page_counts, "last": pdf}


def render_notice(i: int) -> bytes:
    title, number, content = notice_content(i)
    return render_approval_notice(letterhead(i, title, number), content, attachment_heading="立项信息",
                                  day=date(2026, 11, 25))


def run(small: bool = False) -> str:
    n_notices, n_summaries, n_rows = (8, 1, 40) if small else (300, 12, 200)
    t0 = time.perf_counter()
    register_fonts()
    render_notice(10_000)  # warm-up: font file parsed once per process, glyph widths cached
    warmup = time.perf_counter() - t0

    notices = measure(render_notice, n_notices)
    content = summary_content(n_rows)
    summaries = measure(lambda i: render_review_summary(
        letterhead(20_000 + i, "2026年度中试熟化项目评审汇总表", "温科评审〔2026〕1号", landscape=True), content),
        n_summaries)

    def row(name, m, target_rate=None, target_size=None):
        size_kb = statistics.mean(m["sizes"]) / 1024
        rate = m["per_cpu_second"]
        verdict = ""
        if target_rate is not None:
            ok = rate >= target_rate and max(m["sizes"]) <= target_size
            verdict = f" ({'meets' if ok else 'misses'} ≥ {target_rate}/s and ≤ {target_size // 1024} KB)"
        return (f"| {name} | {m['n']} | {statistics.mean(m['pages']):.0f} | {rate:,.1f}{verdict} | "
                f"{m['per_second']:,.1f} | {1000 * m['cpu'] / m['n']:,.1f} | {size_kb:,.1f} | "
                f"{max(m['sizes']) / 1024:,.1f} |")

    lines = [
        f"Synthetic content, no database. Approval notice: 2 pages (letter, then facts and 6 milestones). Review "
        f"summary: {n_rows} ranked rows × 12 columns, A4 landscape, header row repeated on every page. Each document "
        f"has its own verification code and QR code. Font: WenQuanYi Micro Hei, subset-embedded. Warm-up (font "
        f"registration and a first document): {warmup:.2f} s, not counted.",
        "",
        "| document | rendered | pages | per CPU-second (one core) | per wall-second | CPU ms each | mean KB | "
        "max KB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        row("approval notice (立项通知书)", notices, TARGET_NOTICES_PER_SECOND, TARGET_NOTICE_BYTES),
        row(f"review summary, {n_rows} rows (评审汇总表)", summaries),
        "",
        f"- Fonts in the last notice: {font_check(notices['last'])}; in the last summary: "
        f"{font_check(summaries['last'])}.",
        "- Streams are Flate-compressed binary (no ASCII85); the QR code is drawn as one path per page from a "
        "cached module matrix (the ReportLab widget built a shape per dark run and encoded the code twice a page).",
    ]
    return "\n".join(lines)
