"""The review's official documents: 评审打分表 (one expert's score sheet) and 评审汇总表 (a call's summary).

Both are for bureau officers only (review/views/documents.py). The summary names no expert unless the officer
asks for the signed version, which adds the panel with a signature column. How they look is in
:mod:`review.document_layouts`; here the database is read into the printed ``content`` and issued.
"""
import re
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from poc.documents.issuing import is_current, issue, register_document_type
from poc.documents.poc_documents import in_chinese

from . import document_layouts as layouts
from .models import Aggregate, Assignment, AssignmentState, Recommendation, Review, ReviewState
from .ranking import call_ranking
from .services import ensure_plan


def _n(value, places: int = 2) -> str:
    return "—" if value is None else f"{Decimal(str(value)):.{places}f}"


def _points(value) -> str:
    """Weights and maxima without needless decimals: 1, 0.5, 25."""
    return f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ 评审打分表

BILINGUAL = re.compile(r"^(?P<zh>.*[\u4e00-\u9fff\uff09）])\s+[A-Za-z][\x20-\x7e]*$")


def chinese_name(name: str) -> str:
    """The Chinese part of a bilingual rubric name ("技术先进性 Technology" → "技术先进性"); others unchanged."""
    match = BILINGUAL.match(name.strip())
    return match.group("zh").strip() if match else name

@in_chinese
def score_sheet_content(review: Review) -> dict:
    assignment = review.assignment
    application = assignment.application
    expert = assignment.expert
    plan = ensure_plan(application.call)
    scores = {s.criterion_id: s for s in review.scores.all()}
    rows, total = [], Decimal("0")
    for n, criterion in enumerate(plan.criteria.all(), start=1):
        given = scores.get(criterion.pk)
        if given is not None:
            total += given.score * criterion.weight
        rows.append([str(n), chinese_name(criterion.name), _points(criterion.weight), _points(criterion.max_score),
                     _n(given.score) if given else "—", given.comment if given else ""])
    submitted = timezone.localdate(review.submitted_at).isoformat() if review.submitted_at else ""
    return {
        "application": [("评审批次", application.call.title), ("申报编号", application.number),
                        ("名称", application.title), ("申报单位", application.institution.name),
                        ("类别", application.get_kind_display())],
        "expert": [("评审专家", expert.name), ("工作单位", expert.affiliation), ("职称", expert.title or "—")],
        "rows": rows,
        "max_total": _points(plan.max_total),
        "total": _n(total),
        "recommendation": Recommendation(review.recommendation).label if review.recommendation else "—",
        "comment": review.overall_comment,
        "submitted": submitted,
    }


def _score_sheet_validity(document):
    review = document.subject
    if review.state != ReviewState.SUBMITTED:
        return False, "已失效（评审意见已退回修改）"
    if review.assignment.state != AssignmentState.ACTIVE:
        return False, "已失效（评审任务已撤销）"
    if not is_current(document, score_sheet_content(review)):
        return False, "已失效（评审意见已更新，以最新打分表为准）"
    return True, "有效"


register_document_type("score_sheet", "评审打分表", _score_sheet_validity)


def score_sheet(review: Review, user=None):
    """评审打分表 of a submitted review (the caller checks the state and that the user is an officer)."""
    content = score_sheet_content(review)
    application = review.assignment.application
    return issue("score_sheet", review, title="评审打分表", content=content,
                 render=lambda letterhead: layouts.render_score_sheet(letterhead, content),
                 document_number=f"{application.number}-R{review.pk}", user=user)


# ------------------------------------------------------------------ 评审汇总表

LEGEND = [
    "排名并列规则：依次比较排序依据（高者在前）、中位数（高者在前）、极差（小者在前）、评审意见份数（多者在前）、"
    "申报先后；数值比较到小数点后 6 位。尚无评审意见的申报列于最后。“=n”表示按排序依据与第 n 名同分。",
    "去极值平均：评审意见达到规定份数时去掉一个最高分和一个最低分后的平均分，带 * 的为已去掉最高分和最低分。",
    "校准平均：消除各评审专家整体偏松或偏严（偏差）后的平均分，与原始统计量并列显示，供参考，不替代原始分。",
    "分歧：最高分与最低分之差（极差）超过分歧阈值的，标注“需讨论”。",
]


def panel_of(call) -> list[list[str]]:
    """The experts with an active assignment in ``call``, and how many reviews each submitted (officers only)."""
    experts = (Assignment.objects.filter(application__call=call, state=AssignmentState.ACTIVE)
               .values("expert_id", "expert__name", "expert__affiliation", "expert__title")
               .annotate(submitted=Count("pk", filter=Q(review__state=ReviewState.SUBMITTED)))
               .order_by("expert__name", "expert_id"))
    return [[str(n), e["expert__name"], e["expert__affiliation"], e["expert__title"] or "—", str(e["submitted"]), ""]
            for n, e in enumerate(experts, start=1)]


@in_chinese
def summary_content(call, *, signed: bool = False, ranking=None) -> dict:
    """What the summary prints. ``ranking``: call_ranking(call), when the caller has it already."""
    plan = ensure_plan(call)
    rows, _calibration = ranking if ranking is not None else call_ranking(call)
    table_rows = []
    for r in rows:
        rank = str(r.rank) if r.shared_rank == r.rank else f"{r.rank}（={r.shared_rank}）"
        trimmed = _n(r.trimmed_mean) + (" *" if r.trimmed and r.trimmed_mean is not None else "")
        table_rows.append([rank, r.application.number, r.application.institution.name, r.application.title,
                           str(r.n_reviews), _n(r.mean), _n(r.median), trimmed, _n(r.std), _n(r.spread),
                           _n(r.calibrated_mean), "需讨论" if r.divergent else "—"])
    last = (Review.objects.filter(assignment__application__call=call, state=ReviewState.SUBMITTED)
            .aggregate(last=Max("submitted_at"))["last"])
    day = timezone.localdate(last) if last else timezone.localdate()
    divergent = sum(1 for r in rows if r.divergent)
    content = {
        "facts": [("评审批次", call.title), ("类别", call.get_kind_display()),
                  ("排序依据", Aggregate(plan.ranking_aggregate).label),
                  ("去极值规则", f"评审意见达到 {plan.trim_min_reviews} 份时，去掉一个最高分和一个最低分"),
                  ("分歧阈值", f"极差超过 {_points(plan.divergence_threshold)} 分提示讨论"),
                  ("满分", f"{_points(plan.max_total)} 分"),
                  ("汇总", f"进入评审 {len(rows)} 项，需讨论 {divergent} 项")],
        "rows": table_rows,
        "legend": LEGEND,
        "panel": panel_of(call) if signed else None,
        "signed": signed,
        "date": day.isoformat(),
    }
    return content


def _summary_validity(document):
    call = document.subject
    ranking = call_ranking(call)
    if any(is_current(document, summary_content(call, signed=signed, ranking=ranking)) for signed in (False, True)):
        return True, "有效（与当前评审数据一致）"
    return False, "已过时（评审数据已更新，以最新生成的汇总表为准）"


register_document_type("review_summary", "评审汇总表", _summary_validity)


def review_summary(call, user=None, *, signed: bool = False):
    """评审汇总表 of a call; ``signed`` adds the panel (expert names) with a signature column."""
    content = summary_content(call, signed=signed)
    title = call.title + ("" if call.title.endswith("评审") else "评审") + "汇总表" + ("（签署版）" if signed else "")
    day = content["date"][:4]
    return issue("review_summary", call, title=title, content=content,
                 render=lambda letterhead: layouts.render_review_summary(letterhead, content),
                 document_number=f"温科评审〔{day}〕{call.pk}号", user=user, landscape=True)
