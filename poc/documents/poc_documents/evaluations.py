"""年度绩效评价结果: the result of a center's annual performance evaluation, and what follows from it."""
from django.utils import timezone

from .. import layouts
from ..issuing import issue, register_document_type
from ..kit import cn_date
from .common import center_validity, in_chinese, joined, money, points, score_text


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
        ["带动后续融资", money(evaluation.follow_on_financing)],
        ["技术合同成交额", money(evaluation.contract_turnover)],
        ["服务收入", money(evaluation.service_revenue)],
        ["用户满意度", f"{satisfaction:.2f}%" if satisfaction is not None else "—"],
    ]
    grade = Grade(evaluation.grade).label if evaluation.grade else "—"
    thresholds = (f"{points(call.grade_excellent_from)} 分及以上为优秀，{points(call.grade_good_from)} 分及以上为良好，"
                  f"{points(call.grade_pass_from)} 分及以上为合格，低于 {points(call.grade_pass_from)} 分为不合格。")
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
        "metrics": metrics, "score": score_text(evaluation.score), "grade": grade, "thresholds": thresholds,
        "consequence": consequence, "date": scored_on.isoformat(),
    }


register_document_type("evaluation_result", "年度绩效评价结果", center_validity)


def evaluation_result(evaluation, user=None):
    """年度绩效评价结果 of a scored annual evaluation (the caller checks that it is scored)."""
    content = evaluation_content(evaluation)
    center = evaluation.center
    year = layouts._day(content["date"]).year
    return issue("evaluation_result", evaluation, title=joined(center.name, f"{evaluation.data_year}年度绩效评价结果"),
                 content=content, render=lambda letterhead: layouts.render_evaluation_result(letterhead, content),
                 document_number=f"温科评〔{year}〕{evaluation.pk}号", user=user)
