"""验收意见: the opinion of a funded project's acceptance review on the 100-point form."""
from django.utils import translation

from poc.projects.thresholds import ACCEPTANCE_MAXIMA, MIN_TASKS_DONE_PERCENT, too_few_tasks_done

from .. import layouts
from ..issuing import issue, register_document_type
from ..kit import cn_date
from .common import in_chinese, joined, points, score_text

_TASKS = sum(ACCEPTANCE_MAXIMA[f] for f in ("content_score", "technical_score", "economic_score", "deliverables_score"))
ACCEPTANCE_ITEMS = [  # (field, group, item, maximum): the Guangdong form, 100 points (poc.projects.thresholds)
    ("content_score", f"任务完成情况（{_TASKS} 分）", "任务内容完成情况", ACCEPTANCE_MAXIMA["content_score"]),
    ("technical_score", "", "技术指标完成情况", ACCEPTANCE_MAXIMA["technical_score"]),
    ("economic_score", "", "经济指标完成情况", ACCEPTANCE_MAXIMA["economic_score"]),
    ("deliverables_score", "", "交付成果", ACCEPTANCE_MAXIMA["deliverables_score"]),
    ("funds_score", f"经费使用（{ACCEPTANCE_MAXIMA['funds_score']} 分）", "经费使用情况", ACCEPTANCE_MAXIMA["funds_score"]),
    ("other_score", f"其他（{ACCEPTANCE_MAXIMA['other_score']} 分）", "其他", ACCEPTANCE_MAXIMA["other_score"]),
]


def acceptance_fail_reasons(acceptance) -> list[str]:
    """The automatic-fail reasons, in Chinese, from the recorded facts.

    ``auto_fail_reasons`` holds the texts in the language of whoever recorded the review; the facts behind them
    are stored too (tasks done, false data, unapproved change), except lateness, which is the one reason left
    when the stored list is longer than what the facts explain."""
    reasons = []
    if too_few_tasks_done(acceptance.tasks_done_percent):
        reasons.append(f"任务完成比例为 {score_text(acceptance.tasks_done_percent)}%，低于 {MIN_TASKS_DONE_PERCENT}%。")
    if acceptance.false_data:
        reasons.append("验收材料存在数据弄虚作假。")
    if acceptance.unapproved_change:
        reasons.append("未经批准擅自变更考核目标。")
    obligation = 1 if acceptance.obligation_overdue else 0
    if len(acceptance.auto_fail_reasons or []) > len(reasons) + obligation:
        reasons.append(f"超过项目期限 {acceptance.days_late} 天（逾期超过 6 个月），且延期未获批准。")
    if obligation:
        reasons.append("成果转化义务逾期未履行（无已登记的技术合同、许可或其他转化记录），且延期未获批准。")
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
    scores = [[group, item, str(maximum), score_text(getattr(acceptance, field))]
              for field, group, item, maximum in ACCEPTANCE_ITEMS]
    return {
        "project": [("项目编号", project.project_number), ("项目名称", project.title),
                    ("承担单位", project.institution.name), ("项目类别", project.get_kind_display()),
                    ("立项日期", cn_date(project.approved_on)),
                    ("项目期限", cn_date(deadline) if deadline else "—"),
                    ("验收次数", f"第 {acceptance.attempt} 次"), ("验收日期", cn_date(acceptance.reviewed_on))],
        "scores": scores,
        "total": score_text(acceptance.total),
        "facts": [("任务完成比例", f"{score_text(acceptance.tasks_done_percent)}%"),
                  ("数据真实性", "发现数据弄虚作假" if acceptance.false_data else "未发现数据弄虚作假"),
                  ("目标变更", "存在未经批准的目标变更" if acceptance.unapproved_change else "无未经批准的目标变更"),
                  ("逾期情况", f"逾期 {acceptance.days_late} 天" if acceptance.days_late else "未逾期"),
                  ("成果转化义务", "已履行" if acceptance.obligation_met else "未履行")],
        "reasons": acceptance_fail_reasons(acceptance),
        "outcome": outcome,
        "rule": (f"总分 {points(call.acceptance_pass_from)} 分及以上为通过；{points(call.acceptance_rectify_from)} 分"
                 f"及以上、不足 {points(call.acceptance_pass_from)} 分的须整改（限一次）；低于 "
                 f"{points(call.acceptance_rectify_from)} 分，或任务完成不足 {MIN_TASKS_DONE_PERCENT}%、数据弄虚作假、未经批准变更目标、"
                 "逾期超过 6 个月未获延期、成果转化义务逾期未履行且未获延期的，验收不通过。"),
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
    return issue("acceptance_opinion", acceptance, title=joined(project.title, f"验收意见{suffix}"), content=content,
                 render=lambda letterhead: layouts.render_acceptance_opinion(letterhead, content),
                 document_number=f"温科验〔{acceptance.reviewed_on.year}〕{acceptance.pk}号", user=user)
