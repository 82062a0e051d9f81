"""Every list of the project, pages and API: URL name → how to fill its kwargs from the growing world
(tests/lists/world.py), plus the lists left out on purpose with the reason.

A route is a list when its view is a ListView, the ``list`` action of a viewset, or its name ends in "list";
such a route with neither a row here nor an exclusion fails ``test_every_list_route_has_a_row``. Pages that list
without saying so in their name (the inbox, the queue, the console, a fund's page…) have rows as well.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    kwargs: object = None  # world -> kwargs dict (None: no kwargs)
    query: str = ""  # a query string the list needs

    def path(self, name, w):
        from django.urls import reverse

        kwargs = self.kwargs(w) if self.kwargs else {}
        query = self.query.format(**{k: getattr(w, k).pk for k in ("result",) if "{" + k + "}" in self.query})
        return reverse(name, kwargs=kwargs) + (f"?{query}" if query else "")


def row(kwargs=None, query=""):
    return Row(kwargs, query)


def on(**refs):
    """kwargs from the world's hubs: ``on(pk="decision")`` → {"pk": world.decision.pk}."""
    return Row(lambda w: {k: getattr(w, v).pk for k, v in refs.items()})


LIST_ROUTES = {
    # ---------------------------------------------------------------- poc pages
    "home": row(),  # each role's home: the applicant's applications, the officer's desk…
    "inbox": row(),
    "application-list": row(),
    "institution-list": row(),
    "membership-requests": row(),
    "call-list": row(),
    "center-list": row(),
    "project-list": row(),
    "my-outcomes": row(),
    "public-center-list": row(),
    "notification-list": row(),
    "accounts:lockouts": row(),
    # -------------------------------------------------------------- review pages
    "review:queue": row(),
    "review:calls": row(),
    "review:console": on(pk="project_call"),
    "review:ranking": on(pk="project_call"),
    "review:conflicts": on(pk="project_call"),
    "review:experts": row(),
    # ------------------------------------------------------------- funding pages
    "funding:home": row(),
    "funding:funds": row(),
    "funding:fund": on(pk="fund"),
    "funding:decisions": row(),
    "funding:ledger": on(pk="decision"),  # the first decision's investments and tranches
    "funding:monitoring": on(pk="decision"),
    "funding:overdue-obligations": row(),
    # ------------------------------------------------------------ transfer pages
    "transfer:results": row(),
    "transfer:demands": row(),
    "transfer:roadshows": row(),
    "transfer:licences": row(),
    "transfer:board": row(),
    "transfer:catalogue": row(),
    # ----------------------------------------------------------------------- API
    "api:institution-list": row(),
    "api:export-list": row(),  # the exports the caller may use: a fixed catalogue, filtered by the policy
    "api:membership-list": row(),
    "api:call-list": row(),
    "api:discipline-list": row(),
    "api:application-list": row(),
    "api:application-ip-items-list": on(application_pk="draft"),
    "api:application-team-members-list": on(application_pk="draft"),
    "api:application-budget-lines-list": on(application_pk="draft"),
    "api:application-milestones-list": on(application_pk="draft"),
    "api:application-attachments-list": on(application_pk="draft"),
    "api:center-list": row(),
    "api:evaluation-list": row(),
    "api:evaluation-evidence-list": on(evaluation_pk="evaluation"),
    "api:project-list": row(),
    "api:project-milestone-list": row(),
    "api:change-request-list": row(),
    "api:acceptance-list": row(),
    "api:public-center-list": row(),
    "review-api:call-ranking": on(pk="project_call"),
    "review-api:expert-list": row(),
    "review-api:assignment-list": row(),
    "review-api:conflict-list": row(),
    "review-api:review-list": row(),
    "funding-api:fund-list": row(),
    "funding-api:funding-decision-list": row(),
    "funding-api:investment-list": row(),
    "funding-api:investment-marks-list": on(investment_pk="investment"),
    "funding-api:exit-list": row(),
    "funding-api:tranche-list": row(),
    "funding-api:conversion-list": row(),
    "funding-api:financing-round-list": row(),
    "funding-api:report-list": row(),
    "funding-api:material-event-list": row(),
    "funding-api:risk-list": row(),
    "funding-api:insurance-policy-list": row(),
    "funding-api:obligation-list": row(),
    "funding-api:tech-contract-list": row(),
    "funding-api:tech-contract-payments-list": on(contract_pk="contract"),
    "transfer-api:result-list": row(),
    "transfer-api:detail-request-list": row(),
    "transfer-api:match-list": Row(None, query="result={result}"),
    "transfer-api:demand-list": row(),
    "transfer-api:roadshow-list": row(),
    "transfer-api:licence-list": row(),
    "transfer-api:public-result-list": row(),
    "transfer-api:public-demand-list": row(),
    "transfer-api:board-list": row(),
}

# Routes that look like lists but are left out, with the reason.
EXCLUDED = {
    "api:api-root": "the API's table of contents: a fixed list of links, no rows",
}
