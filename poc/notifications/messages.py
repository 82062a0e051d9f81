"""What each kind of notification says, in Chinese and in English (the recipient's language).

Placeholders: ``{subject}`` (the application, center or project, by number and title), ``{date}``, ``{detail}``,
``{year}``, ``{score}``, ``{grade}``, ``{amount}``. A transition's comment is added as the reason by
:func:`render`. Messages never name the person who acted, so an applicant never learns who reviewed them.
"""
from dataclasses import dataclass

from django.utils import timezone

ZH, EN = "zh-hans", "en"


@dataclass(frozen=True)
class Text:
    title: str
    body: str


MESSAGES: dict[str, dict[str, Text]] = {
    # ------------------------------------------------------------------ applications
    "application_submitted": {
        ZH: Text("新申报待形式审查：{subject}", "申报 {subject} 已提交，等待形式审查。"),
        EN: Text("New application to check: {subject}", "The application {subject} was submitted and awaits the formal check."),
    },
    "application_resubmitted": {
        ZH: Text("申报已重新提交：{subject}", "退回修改的申报 {subject} 已重新提交，等待形式审查。"),
        EN: Text("Application resubmitted: {subject}", "The application {subject} was revised and resubmitted; it awaits the formal check."),
    },
    "application_withdrawn": {
        ZH: Text("申报已撤回：{subject}", "申报单位撤回了申报 {subject}。"),
        EN: Text("Application withdrawn: {subject}", "The applicant institution withdrew the application {subject}."),
    },
    "application_formal_check_passed": {
        ZH: Text("形式审查已通过：{subject}", "您的申报 {subject} 已通过形式审查，进入专家评审。"),
        EN: Text("Formal check passed: {subject}", "Your application {subject} passed the formal check and goes to expert review."),
    },
    "application_returned": {
        ZH: Text("申报被退回修改：{subject}", "您的申报 {subject} 被退回修改，请于 {date} 前修改并重新提交。"),
        EN: Text("Application returned for revision: {subject}", "Your application {subject} was returned for revision; please revise and resubmit it by {date}."),
    },
    "application_rejected": {
        ZH: Text("申报未获通过：{subject}", "很遗憾，您的申报 {subject} 未获通过。"),
        EN: Text("Application not approved: {subject}", "We regret that your application {subject} was not approved."),
    },
    "application_public_notice": {
        ZH: Text("申报进入公示：{subject}", "您的申报 {subject} 已拟立项（认定）并进入公示，公示期至 {date}。"),
        EN: Text("Application in public notice: {subject}", "Your application {subject} is proposed for approval and in public notice until {date}."),
    },
    "application_approved": {
        ZH: Text("申报已批准：{subject}", "祝贺！您的申报 {subject} 已获批准。"),
        EN: Text("Application approved: {subject}", "Congratulations: your application {subject} was approved."),
    },
    "application_awaiting_recommendation": {
        ZH: Text("申报待区县推荐：{subject}", "辖区单位的申报 {subject} 已提交，等待区县科技局出具推荐意见。"),
        EN: Text("Application to recommend: {subject}", "The application {subject} from an institution of your district was submitted and awaits the district's recommendation."),
    },
    "application_recommended": {
        ZH: Text("申报已获区县推荐：{subject}", "您的申报 {subject} 已获所在区县科技局推荐，等待市科技局形式审查。"),
        EN: Text("Application recommended by the district: {subject}", "Your application {subject} was recommended by the science bureau of your district; it awaits the bureau's formal check."),
    },
    "application_recommended_to_bureau": {
        ZH: Text("区县推荐申报待形式审查：{subject}", "申报 {subject} 已获所在区县科技局推荐，等待形式审查。"),
        EN: Text("Recommended application to check: {subject}", "The application {subject} was recommended by its district's science bureau and awaits the formal check."),
    },
    "application_not_recommended": {
        ZH: Text("申报未获区县推荐：{subject}", "很遗憾，所在区县科技局未推荐您的申报 {subject}，本次申报终止。"),
        EN: Text("Application not recommended by the district: {subject}", "We regret that the science bureau of your district did not recommend your application {subject}; the application ends here."),
    },
    "application_not_recommended_to_bureau": {
        ZH: Text("区县不予推荐：{subject}", "所在区县科技局未推荐申报 {subject}，申报终止。"),
        EN: Text("District declined to recommend: {subject}", "The district's science bureau declined to recommend the application {subject}; the application ends here."),
    },
    "application_cultivation": {
        ZH: Text("申报列入培育库：{subject}", "您的申报 {subject} 本次未予认定，已列入培育库。"),
        EN: Text("Application placed in the cultivation pool: {subject}", "Your application {subject} was not designated this time and was placed in the cultivation pool."),
    },
    # ------------------------------------------------------------------ expert review
    "assignment_created": {
        ZH: Text("新的评审任务：{subject}", "您受邀评审申报 {subject}。评审截止时间：{date}。请登录系统查看材料并提交评审意见。"),
        EN: Text("New review assignment: {subject}", "You are asked to review the application {subject}. Review deadline: {date}. Please sign in to read it and submit your review."),
    },
    "assignments_created": {
        ZH: Text("新的评审任务：{count} 项", "您有 {count} 项新的评审任务，评审截止时间：{date}。请登录系统查看材料并提交评审意见。"),
        EN: Text("New review assignments: {count}", "You have {count} new applications to review, due {date}. Please sign in to read them and submit your reviews."),
    },
    "assignment_voided": {
        ZH: Text("评审任务已取消：{subject}", "您对申报 {subject} 的评审任务已取消。"),
        EN: Text("Review assignment cancelled: {subject}", "Your assignment to review the application {subject} was cancelled."),
    },
    "conflict_declared": {
        ZH: Text("专家声明利益冲突：{subject}", "一位评审专家就申报 {subject} 声明了利益冲突，评审任务已作废，请考虑补充指派。"),
        EN: Text("Conflict of interest declared: {subject}", "An expert declared a conflict of interest on the application {subject}; the assignment is void. Consider assigning another expert."),
    },
    "conflict_found": {
        ZH: Text("发现利益冲突，评审任务已作废：{subject}", "专家信息或申报团队变更后，系统发现一位评审专家与申报 {subject} 存在利益冲突，其评审任务已作废，请考虑补充指派。"),
        EN: Text("Conflict of interest found: {subject}", "After a change to an expert's details or to the application's team, a conflict of interest was found between an assigned expert and the application {subject}; the assignment is void. Consider assigning another expert."),
    },
    "review_submitted": {
        ZH: Text("评审意见已提交：{subject}", "申报 {subject} 收到一份新提交的评审意见。"),
        EN: Text("Review submitted: {subject}", "A review of the application {subject} was submitted."),
    },
    "review_reopened": {
        ZH: Text("评审意见被退回：{subject}", "您对申报 {subject} 的评审意见已被退回，请修改后重新提交。"),
        EN: Text("Review reopened: {subject}", "Your review of the application {subject} was reopened; please revise and submit it again."),
    },
    # ------------------------------------------------------------------ funding
    "decision_proposed": {
        ZH: Text("待审批的资金支持决策：{subject}", "申报 {subject} 的资金支持决策已提出，其中的股权投资部分需要基金管理人审批。"),
        EN: Text("Funding decision to approve: {subject}", "A funding decision was proposed for {subject}; its equity part needs the fund manager's approval."),
    },
    "decision_grant_approved": {
        ZH: Text("资金支持决策财政资助部分已批准：{subject}", "申报 {subject} 的资金支持决策中，财政资助部分已批准。"),
        EN: Text("Grant part approved: {subject}", "The grant part of the funding decision on {subject} was approved."),
    },
    "decision_equity_approved": {
        ZH: Text("资金支持决策股权部分已批准：{subject}", "申报 {subject} 的资金支持决策中，股权投资部分已批准。"),
        EN: Text("Equity part approved: {subject}", "The equity part of the funding decision on {subject} was approved."),
    },
    "decision_approved": {
        ZH: Text("资金支持决策已批准：{subject}", "申报 {subject} 的资金支持决策已全部批准。"),
        EN: Text("Funding decision approved: {subject}", "The funding decision on {subject} is approved in full."),
    },
    "decision_rejected": {
        ZH: Text("资金支持决策未获批准：{subject}", "申报 {subject} 的资金支持决策未获批准。"),
        EN: Text("Funding decision rejected: {subject}", "The funding decision on {subject} was rejected."),
    },
    "tranche_released": {
        ZH: Text("分期款已拨付：{subject}", "{subject} 的第 {detail} 期款项（{amount} 元）已拨付，等待到账。"),
        EN: Text("Tranche released: {subject}", "Tranche {detail} of {subject} (¥{amount}) was released for payment."),
    },
    "tranche_paid": {
        ZH: Text("分期款已到账：{subject}", "{subject} 的第 {detail} 期款项（{amount} 元）已到账。"),
        EN: Text("Tranche paid: {subject}", "Tranche {detail} of {subject} (¥{amount}) was paid."),
    },
    "conversion_waiting_on_cap": {
        ZH: Text("转股因超出基金上限暂缓：{subject}", "{subject} 的合格融资轮次将使转股超出基金上限，转股暂缓：请基金管理人按上限转股（其余按财政资助结项），或申请上限豁免。"),
        EN: Text("Conversion waiting on a cap: {subject}", "The qualifying round of {subject} would take the conversion over a cap of the fund, so it waits: the fund's managers convert up to the cap (the rest closes as a grant) or ask for a waiver."),
    },
    "conversion_waiver_requested": {
        ZH: Text("转股上限豁免待审批：{subject}", "基金管理人申请豁免 {subject} 转股的基金上限，请审批。"),
        EN: Text("Cap waiver to approve: {subject}", "The fund's managers ask the bureau to waive a cap for the conversion of {subject}."),
    },
    "conversion_waiver_decided": {
        ZH: Text("转股上限豁免已审批：{subject}", "{subject} 转股的上限豁免申请已由科技局审批。"),
        EN: Text("Cap waiver decided: {subject}", "The bureau decided on the cap waiver for the conversion of {subject}."),
    },
    "conversion_converted_up_to_cap": {
        ZH: Text("已按上限转股：{subject}", "{subject} 的资助已按基金上限转股，其余部分按财政资助结项。"),
        EN: Text("Converted up to the cap: {subject}", "The grant of {subject} was converted up to the fund's cap; the rest closes as a grant."),
    },
    "conversion_converted": {
        ZH: Text("资助已转为股权：{subject}", "{subject} 的资助中 {amount} 元已转为股权，转股时持股比例 {detail}%。"),
        EN: Text("Grant converted into equity: {subject}", "¥{amount} of the grant of {subject} was converted into equity, a stake of {detail} % at conversion."),
    },
    "conversion_lapsed": {
        ZH: Text("资助按财政资助结项：{subject}", "{subject} 的资助未转股，{amount} 元按财政资助结项（结项免责）。"),
        EN: Text("Grant closed as a grant: {subject}", "The grant of {subject} did not convert; ¥{amount} closes as a grant."),
    },
    # ------------------------------------------------------------------ the risk register (staff only)
    "risk_identified": {
        ZH: Text("新登记投后风险：{subject}", "{subject} 登记了一项投后风险：{detail}。"),
        EN: Text("Risk identified: {subject}", "A risk was entered in the register of {subject}: {detail}."),
    },
    "risk_assessed": {
        ZH: Text("投后风险已评估：{subject}", "{subject} 的风险“{detail}”已评估，风险值 {score}（可能性 × 影响）。"),
        EN: Text("Risk assessed: {subject}", "The risk “{detail}” of {subject} was assessed: score {score} (likelihood × impact)."),
    },
    "risk_warning": {
        ZH: Text("投后风险预警：{subject}", "{subject} 的风险“{detail}”已发出预警，请及时处置。"),
        EN: Text("Risk warning: {subject}", "A warning was raised on the risk “{detail}” of {subject}; please dispose of it."),
    },
    "risk_disposed": {
        ZH: Text("投后风险已处置：{subject}", "{subject} 的风险“{detail}”已处置。"),
        EN: Text("Risk disposed of: {subject}", "The risk “{detail}” of {subject} was disposed of."),
    },
    # ------------------------------------------------------------------ centers
    "evaluation_filed": {
        ZH: Text("年度绩效评价材料已提交：{subject}", "{subject} 已提交 {year} 年度绩效评价材料，等待评分。"),
        EN: Text("Annual evaluation filed: {subject}", "{subject} filed its evaluation data for {year}; it awaits scoring."),
    },
    "evaluation_returned": {
        ZH: Text("年度绩效评价材料被退回：{subject}", "{subject} 的 {year} 年度绩效评价材料被退回，请更正后重新提交。"),
        EN: Text("Annual evaluation returned: {subject}", "The {year} evaluation data of {subject} were returned for correction; please correct and file them again."),
    },
    "evaluation_scored": {
        ZH: Text("年度绩效评价结果：{subject}", "{subject} 的 {year} 年度绩效评价得分 {score}，评价等次：{grade}。"),
        EN: Text("Annual evaluation result: {subject}", "{subject} scored {score} in its {year} evaluation: grade {grade}."),
    },
    "center_rectification_ordered": {
        ZH: Text("限期整改通知：{subject}", "{subject} 年度绩效评价不合格，须于 {date} 前完成整改。"),
        EN: Text("Rectification required: {subject}", "{subject} failed its annual evaluation and must rectify by {date}."),
    },
    "center_rectification_passed": {
        ZH: Text("整改已通过：{subject}", "{subject} 的整改已通过，恢复正常状态。"),
        EN: Text("Rectification passed: {subject}", "{subject} passed its rectification and is active again."),
    },
    "center_revoked": {
        ZH: Text("认定已撤销：{subject}", "{subject} 的认定已被撤销。"),
        EN: Text("Designation revoked: {subject}", "The designation of {subject} was revoked."),
    },
    "center_expired": {
        ZH: Text("认定有效期已届满：{subject}", "{subject} 的认定有效期已于 {date} 届满。"),
        EN: Text("Designation expired: {subject}", "The designation of {subject} expired on {date}."),
    },
    # ------------------------------------------------------------------ projects
    "project_signed": {
        ZH: Text("任务书已确认：{subject}", "{subject} 的任务书已确认，项目开始执行，计划于 {date} 完成。"),
        EN: Text("Task agreement confirmed: {subject}", "The task agreement of {subject} is confirmed; the project runs until {date}."),
    },
    "project_acceptance_requested": {
        ZH: Text("项目申请验收：{subject}", "{subject} 已申请验收。"),
        EN: Text("Acceptance requested: {subject}", "{subject} requested its acceptance review."),
    },
    "project_accepted": {
        ZH: Text("项目验收通过：{subject}", "{subject} 已通过验收。"),
        EN: Text("Project accepted: {subject}", "{subject} passed its acceptance review."),
    },
    "project_rectification": {
        ZH: Text("项目验收需整改：{subject}", "{subject} 验收结论为需整改，请于 {date} 前完成整改。"),
        EN: Text("Project rectification required: {subject}", "The acceptance review of {subject} requires rectification by {date}."),
    },
    "project_failed": {
        ZH: Text("项目验收未通过：{subject}", "{subject} 未通过验收。"),
        EN: Text("Project failed acceptance: {subject}", "{subject} failed its acceptance review."),
    },
    "project_terminated": {
        ZH: Text("项目已终止：{subject}", "{subject} 已被终止。"),
        EN: Text("Project terminated: {subject}", "{subject} was terminated."),
    },
    "change_requested": {
        ZH: Text("项目变更申请：{subject}", "{subject} 提交了一项变更申请（{detail}），等待审核。"),
        EN: Text("Change requested: {subject}", "{subject} requested a change ({detail}); it awaits a decision."),
    },
    "change_approved": {
        ZH: Text("变更申请已批准：{subject}", "{subject} 的变更申请（{detail}）已批准。"),
        EN: Text("Change approved: {subject}", "The change request of {subject} ({detail}) was approved."),
    },
    "change_rejected": {
        ZH: Text("变更申请未获批准：{subject}", "{subject} 的变更申请（{detail}）未获批准。"),
        EN: Text("Change rejected: {subject}", "The change request of {subject} ({detail}) was rejected."),
    },
    # ------------------------------------------------------------------ reminders
    "review_due": {
        ZH: Text("评审即将截止：{subject}", "您对申报 {subject} 的评审将于 {date} 截止，请及时提交评审意见。"),
        EN: Text("Review due soon: {subject}", "Your review of the application {subject} is due on {date}; please submit it in time."),
    },
    "review_overdue": {
        ZH: Text("评审已逾期：{subject}", "您对申报 {subject} 的评审已于 {date} 截止，尚未提交。请尽快联系科技局。"),
        EN: Text("Review overdue: {subject}", "Your review of the application {subject} was due on {date} and has not been submitted. Please contact the bureau."),
    },
    "public_notice_ended": {
        ZH: Text("公示期已结束，可予批准：{subject}", "申报 {subject} 的公示期已于 {date} 结束；如无异议，可予批准。"),
        EN: Text("Public notice over, ready to approve: {subject}", "The public notice of {subject} ended on {date}; without an objection it can be approved."),
    },
    "milestone_due": {
        ZH: Text("里程碑即将到期：{subject}", "{subject} 的里程碑“{detail}”将于 {date} 到期，请按时提交进展报告。"),
        EN: Text("Milestone due soon: {subject}", "The milestone “{detail}” of {subject} is due on {date}; please report on it in time."),
    },
    "milestone_overdue": {
        ZH: Text("里程碑已逾期：{subject}", "{subject} 的里程碑“{detail}”已于 {date} 到期，尚未提交进展报告。"),
        EN: Text("Milestone overdue: {subject}", "The milestone “{detail}” of {subject} was due on {date} and has not been reported."),
    },
    "obligation_due": {
        ZH: Text("成果转化义务即将到期：{subject}", "{subject} 须于 {date} 前完成成果转化（登记技术合同）。"),
        EN: Text("Conversion obligation due soon: {subject}", "{subject} must convert its results (register a technology contract) by {date}."),
    },
    "obligation_overdue": {
        ZH: Text("成果转化义务已逾期：{subject}", "{subject} 的成果转化义务已于 {date} 到期，尚未登记技术合同。"),
        EN: Text("Conversion obligation overdue: {subject}", "The conversion obligation of {subject} fell due on {date} and no technology contract is registered."),
    },
    "major_series_candidate": {
        ZH: Text("市重大科技项目序列候选：{subject}", "{subject} 经核实的产学研技术合同实际到账金额已达 {amount} 元（{date}），可列入市重大科技项目序列候选，请查看其技术合同。"),
        EN: Text("Candidate for the municipal major-project series: {subject}", "The verified receipts of {subject} on registered university–industry technology contracts reached ¥{amount} ({date}); it is a candidate for the municipal major-project series. Its contracts are listed on its page."),
    },
    "evaluation_window": {
        ZH: Text("{year} 年度绩效评价开始：{subject}", "{subject} 的 {year} 年度绩效评价已开始，请填报 {year} 年度数据并上传佐证材料。"),
        EN: Text("Annual evaluation for {year} is open: {subject}", "The {year} annual evaluation of {subject} is open; please file the {year} data with evidence."),
    },
    "center_validity_expiring": {
        ZH: Text("认定有效期即将届满：{subject}", "{subject} 的认定有效期将于 {date} 届满。"),
        EN: Text("Designation expires soon: {subject}", "The designation of {subject} expires on {date}."),
    },
}

REASON = {ZH: "理由：{comment}", EN: "Reason: {comment}"}


class _Blank(dict):
    def __missing__(self, key):
        return "—"


def local_minute(moment) -> str | None:
    """A moment as the placeholders print it: local time to the minute ("2026-06-30 23:59"); None stays None."""
    if moment is None:
        return None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def language_of(code: str | None) -> str:
    """The catalogue's language for a language code (anything not English reads Chinese)."""
    return EN if (code or "").lower().startswith("en") else ZH


def render(kind: str, language: str, context: dict, comment: str = "") -> Text:
    """The title and body of ``kind`` in ``language``, with ``context`` filled in and the reason appended."""
    lang = language_of(language)
    text = MESSAGES[kind][lang]
    values = _Blank({k: ("—" if v in (None, "") else v) for k, v in context.items()})
    title = text.title.format_map(values)
    body = text.body.format_map(values)
    if comment.strip():
        body = f"{body}\n\n{REASON[lang].format(comment=comment.strip())}"
    return Text(title[:300], body)
