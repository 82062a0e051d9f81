"""The matrix's table for the API (/api/v1/): URL name → side-B kwargs (see tests/security/routes.py)."""
from tests.security.routes import ALL, LIST, SIGNED_IN, STEP, B, Entry, _with, export_query


def API_EXPORTS():  # noqa: N802
    def variants(w):
        from poc.exports import FORMATS, registered_exports

        return [{"name": name, "?": f"file={fmt}" + (f"&{export_query(w, e)}" if e.params else "")}
                for name, e in sorted(registered_exports().items()) for fmt in FORMATS]
    return Entry(variants, open_to=ALL, lists=True)


def _app_variants(w):
    return [{"pk": w.b.objects[a].pk} for a in ("app_draft", "app_under_review", "app_reviewed")]


def _rows(obj):
    return B(application_pk="app_draft", pk=obj)


API_TABLE = {
    "api:api-root": LIST(),
    "api:auth-token": LIST(),
    "api:institution-list": LIST(model="poc.Institution"),
    # asking to join an institution is open to anyone signed in; it only files the requester's own request
    "api:institution-join-by-code": LIST(self_service=SIGNED_IN),
    "api:institution-detail": B(pk="institution"),
    "api:institution-join": _with(B(pk="institution"), self_service=SIGNED_IN),
    "api:institution-verify": B(pk="institution"),
    "api:membership-list": LIST(model="poc.Membership"),
    "api:membership-accept": B(pk="membership"),
    "api:membership-decline": B(pk="membership"),
    "api:call-list": LIST(),
    "api:call-detail": B(pk="call", open_to=ALL),  # a published call is public
    "api:call-publish": B(pk="call"),
    "api:call-unpublish": B(pk="call"),
    "api:discipline-list": LIST(),
    "api:discipline-detail": Entry(lambda w: [{"code": "ENG.MAT"}], open_to=ALL),  # reference data
    # an applicant creates its own institution's draft here (checked: nothing of side B's changes)
    "api:application-list": LIST(model="poc.Application", self_service={"applicant"}),
    "api:application-detail": Entry(_app_variants),
    "api:application-history": Entry(_app_variants),
    "api:application-pledges": B(pk="app_draft"),
    "api:application-review-preferences": B(pk="app_draft"),
    "api:application-run-transition": STEP("application", "poc.Application", key="transition_name"),
    "api:application-transitions": Entry(_app_variants),
    "api:application-ip-items-list": B(application_pk="app_draft"),
    "api:application-ip-items-detail": _rows("ipitem"),
    "api:application-team-members-list": B(application_pk="app_draft"),
    "api:application-team-members-detail": _rows("teammember"),
    "api:application-budget-lines-list": B(application_pk="app_draft"),
    "api:application-budget-lines-detail": _rows("budgetline"),
    "api:application-milestones-list": B(application_pk="app_draft"),
    "api:application-milestones-detail": _rows("plannedmilestone"),
    "api:application-attachments-list": B(application_pk="app_draft"),
    "api:application-attachments-detail": _rows("attachment"),
    "api:application-attachments-download": _rows("attachment"),
    "api:center-list": LIST(model="poc.Center"),
    "api:center-detail": B(pk="center"),
    "api:center-run-transition": STEP("center", "poc.Center", key="transition_name"),
    "api:center-transitions": B(pk="center"),
    "api:evaluation-list": LIST(model="poc.AnnualEvaluation"),
    "api:evaluation-detail": B(pk="evaluation"),
    "api:evaluation-run-transition": STEP("evaluation", "poc.AnnualEvaluation", key="transition_name"),
    "api:evaluation-transitions": B(pk="evaluation"),
    "api:evaluation-evidence-list": B(evaluation_pk="evaluation"),
    "api:evaluation-evidence-detail": B(evaluation_pk="evaluation", pk="evidence"),
    "api:evaluation-evidence-download": B(evaluation_pk="evaluation", pk="evidence"),
    "api:project-list": LIST(model="poc.Project"),
    "api:project-detail": B(pk="project"),
    "api:project-agreement": B(pk="project"),
    "api:project-run-transition": STEP("project", "poc.Project", key="transition_name"),
    "api:project-transitions": B(pk="project"),
    "api:project-milestone-list": LIST(model="poc.ProjectMilestone"),
    "api:project-milestone-detail": B(pk="milestone"),
    "api:project-milestone-evidence": B(pk="milestone"),
    "api:project-milestone-report": B(pk="milestone"),
    "api:change-request-list": LIST(model="poc.ChangeRequest"),
    "api:change-request-detail": B(pk="change"),
    "api:change-request-run-transition": STEP("change", "poc.ChangeRequest", key="transition_name"),
    "api:change-request-transitions": B(pk="change"),
    "api:acceptance-list": LIST(model="poc.Acceptance"),
    "api:acceptance-detail": B(pk="acceptance"),
    # the public directory of designated centers lists every center in force, side B's included
    "api:public-center-list": LIST(may_show=("BETA PoC Center", "BETA University", "BETA区", "BETA\\u533a")),
    "api:public-center-detail": _with(B(pk="center", open_to=ALL), may_show=("BETA PoC Center", "BETA University", "BETA区", "BETA\\u533a")),
    # the exports: every registered one as CSV (scanned for side B) and XLSX, the call's for the shared call
    "api:export-list": LIST(),
    "api:export-detail": _with(API_EXPORTS(), self_service=frozenset()),
    # ---------------------------------------------------------------- review API
    # a call's plan (rubric, deadline) names no party: officers, fund managers and the call's experts read it
    "review-api:call-review-plan": B(pk="call", open_to=frozenset({"officer", "expert", "fund_manager"})),
    # fund managers read a call's ranking, filtered to the applications they may see (checked: no side B)
    "review-api:call-ranking": _with(B(pk="call", open_to=frozenset({"officer", "fund_manager"})),
                                     model="poc.Application"),
    "review-api:call-auto-assign": B(pk="call"),
    "review-api:call-random-draw": B(pk="call"),
    "review-api:expert-list": LIST(model="review.Expert"),
    "review-api:expert-me": LIST(),
    "review-api:expert-detail": B(pk="expert_profile"),
    "review-api:assignment-list": LIST(model="review.Assignment"),
    "review-api:assignment-detail": B(pk="assignment"),
    "review-api:assignment-run-transition": STEP("assignment", "review.Assignment", key="transition_name"),
    "review-api:assignment-transitions": B(pk="assignment"),
    "review-api:conflict-list": LIST(model="review.Conflict"),
    "review-api:conflict-detail": B(pk="conflict"),
    "review-api:review-list": LIST(model="review.Review"),
    "review-api:review-detail": B(pk="review"),
    "review-api:review-extend-deadline": B(pk="review"),
    "review-api:review-run-transition": STEP("review", "review.Review", key="transition_name"),
    "review-api:review-transitions": B(pk="review"),
    # --------------------------------------------------------------- funding API
    "funding-api:fund-list": LIST(model="funding.Fund"),
    "funding-api:fund-detail": B(pk="fund"),
    "funding-api:fund-managers": B(pk="fund"),
    "funding-api:fund-entry-rules": B(pk="fund"),
    "funding-api:funding-decision-list": LIST(model="funding.FundingDecision"),
    "funding-api:funding-decision-detail": B(pk="decision"),
    "funding-api:funding-decision-run-transition": STEP("decision", "funding.FundingDecision",
                                                        key="transition_name"),
    "funding-api:funding-decision-transitions": B(pk="decision"),
    "funding-api:investment-list": LIST(model="funding.Investment"),
    "funding-api:investment-detail": B(pk="investment"),
    "funding-api:investment-agreement": B(pk="investment"),
    "funding-api:investment-marks-list": B(investment_pk="investment"),
    "funding-api:exit-list": LIST(model="funding.Exit"),
    "funding-api:exit-detail": B(pk="exit"),
    "funding-api:tranche-list": LIST(model="funding.Tranche"),
    "funding-api:tranche-detail": B(pk="tranche"),
    "funding-api:tranche-run-transition": STEP("tranche", "funding.Tranche", key="transition_name"),
    "funding-api:tranche-transitions": B(pk="tranche"),
    "funding-api:conversion-list": LIST(model="funding.Conversion"),
    "funding-api:conversion-detail": B(pk="conversion"),
    "funding-api:conversion-run-transition": STEP("conversion", "funding.Conversion", key="transition_name"),
    "funding-api:conversion-transitions": B(pk="conversion"),
    "funding-api:financing-round-list": LIST(model="funding.FinancingRound"),
    "funding-api:financing-round-detail": B(pk="round"),
    "funding-api:report-list": LIST(model="funding.QuarterlyReport"),
    "funding-api:report-detail": B(pk="report"),
    "funding-api:material-event-list": LIST(model="funding.MaterialEvent"),
    "funding-api:material-event-detail": B(pk="event"),
    "funding-api:risk-list": LIST(model="funding.Risk"),
    "funding-api:risk-detail": B(pk="risk"),
    "funding-api:risk-run-transition": STEP("risk", "funding.Risk", key="transition_name"),
    "funding-api:risk-transitions": B(pk="risk"),
    "funding-api:insurance-policy-list": LIST(model="funding.InsurancePolicy"),
    "funding-api:insurance-policy-detail": B(pk="policy"),
    "funding-api:obligation-list": LIST(model="poc.Project"),
    "funding-api:obligation-detail": B(pk="funded_project"),
    "funding-api:tech-contract-list": LIST(model="funding.TechContract"),
    "funding-api:tech-contract-detail": B(pk="contract"),
    "funding-api:tech-contract-payments-list": B(contract_pk="contract"),
    "funding-api:tech-contract-registration": B(pk="contract"),
    "funding-api:tech-contract-amendment": B(pk="contract"),
    "funding-api:tech-contract-payments-verify": B(contract_pk="contract", pk="payment"),
    "funding-api:tech-contract-payments-refuse": B(contract_pk="contract", pk="payment"),
}
