"""The matrix's table: for every URL name of the project, how to fill its URL kwargs with side B's objects.

An entry is built with ``B(...)`` (kwargs taken from side B's objects, see tests/security/world.py),
``STEP(...)`` (an object and a transition or step name, one variant per name) or ``LIST(...)`` (no kwargs:
a list or a page of one's own, whose body must not show side B). Keyword options:

- ``open_to``: roles of side A that may see the object on purpose (public or bureau-wide objects such as a
  published call); every other role must get no 2xx on GET.
- ``model``: for API lists, the model whose side-B ids must not appear in the JSON results.
- ``may_show``: side-B strings a list shows on purpose (the public list of designated centers).
- ``self_service``: roles for whom a write changes only their own rows on purpose (asking to join an
  institution, applying to a call, marking one's notifications read); such a write is checked for "no row of
  side B changed and no audit row" instead of "no change at all".

A URL name missing here fails the matrix (tests/security/test_route_matrix.py) with its name.
"""
from dataclasses import dataclass

ALL = frozenset({"anonymous", "applicant", "expert", "fund_manager", "district_officer", "officer"})
SIGNED_IN = ALL - {"anonymous"}
OFFICER = frozenset({"officer"})


@dataclass(frozen=True)
class Entry:
    variants: object  # world -> list of kwargs dicts
    open_to: frozenset = OFFICER
    model: str = ""
    may_show: tuple = ()
    self_service: frozenset = frozenset()
    lists: bool = False


def _value(w, ref):
    if ref == "call":
        return w.project_call.pk
    if isinstance(ref, tuple):  # a literal, not a reference
        return ref[0]
    return w.b.objects[ref].pk


def B(open_to=OFFICER, **refs):  # noqa: N802
    """kwargs from side B's objects: ``B(pk="app_draft", attachment_pk="attachment")``; ``("x",)`` is a literal."""
    return Entry(lambda w: [{k: _value(w, v) for k, v in refs.items()}], open_to=open_to)


# application transitions: the side-B application whose state the transition starts from
APP_BY_STATE = {"draft": "app_draft", "submitted": "app_submitted", "returned": "app_returned",
                "under_review": "app_under_review", "reviewed": "app_reviewed", "public_notice": "app_public_notice"}


def _transition_names(w, label):
    from django.apps import apps

    model = apps.get_model(label)
    return sorted({t.name for t in model._meta.get_field("state").get_all_transitions(model)})


def _application_for(w, name):
    from django.apps import apps

    model = apps.get_model("poc.Application")
    for t in model._meta.get_field("state").get_all_transitions(model):
        if t.name == name:
            for state, obj in APP_BY_STATE.items():
                if t.source in (state, "*", "+") or (isinstance(t.source, (list, tuple, set)) and state in t.source):
                    return w.b.objects[obj].pk
    return w.b.app_draft.pk


def STEP(obj, label=None, names=(), key="name", open_to=OFFICER):  # noqa: N802
    """One variant per transition of ``label`` (or per name in ``names``) on side B's ``obj``."""
    def variants(w):
        every = list(names) or _transition_names(w, label)
        if obj == "application":
            return [{"pk": _application_for(w, n), key: n} for n in every]
        return [{"pk": w.b.objects[obj].pk, key: n} for n in every]
    return Entry(variants, open_to=open_to)


def LIST(model="", may_show=(), self_service=frozenset()):  # noqa: N802
    return Entry(lambda w: [{}], open_to=ALL, model=model, may_show=tuple(may_show),
                 self_service=frozenset(self_service), lists=True)


def export_query(w, export):
    """An export's query: the shared project call, side B's fund."""
    values = {"call": w.project_call.pk, "fund": w.b.objects["fund"].pk}
    return "&".join(f"{key}={values[key]}" for key in export.params if key in values)


def EXPORTS():  # noqa: N802
    """Every registered export in every format; those about a call for the shared project call, a fund's ledgers
    for side B's fund. Each is a list that must not show side B (a CSV is scanned as it is; an XLSX is compressed, so only its
    status is checked). Starting one in the background creates the requester's own job, nothing else."""
    def variants(w):
        from poc.exports import FORMATS, registered_exports

        return [{"name": name, "fmt": fmt, **({"?": export_query(w, e)} if e.params else {})}
                for name, e in sorted(registered_exports().items()) for fmt in FORMATS]
    return Entry(variants, open_to=ALL, lists=True, self_service=SIGNED_IN)


def _with(entry, **changes):
    return Entry(**{**entry.__dict__, **changes})



def _uid(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


TABLE = {
    # ------------------------------------------------------------------ poc pages
    "home": LIST(),
    "workflow-help": LIST(),  # the workflows drawn from their declarations: no party's data
    "login": LIST(),
    # sign-in security (accounts): each acts on the requesting user's own account, or is for officers only
    "accounts:lockouts": LIST(),  # officers list and lift lockouts; others 403
    "accounts:two-factor-setup": LIST(self_service=frozenset(ALL)),
    "accounts:two-factor-verify": LIST(self_service=frozenset(ALL)),
    "accounts:two-factor-recovery-codes": LIST(self_service=frozenset(ALL)),
    "accounts:two-factor-token": LIST(self_service=frozenset(ALL)),
    # set-password links: the same pages for anyone; a link for side B's account with a wrong token sets nothing
    "accounts:password-reset": LIST(),
    "accounts:password-reset-sent": LIST(),
    "accounts:password-reset-confirm": Entry(lambda w: [{"uidb64": _uid(w.b.applicant), "token": "1-x"}], open_to=ALL),
    "accounts:invitation": Entry(lambda w: [{"uidb64": _uid(w.b.expert.user), "token": "1-x"}], open_to=ALL),
    "accounts:password-set": LIST(),
    "auth-token": LIST(self_service=frozenset(ALL)),  # the same path as api:auth-token, after the second factor
    "health": LIST(),  # counts, ages and timings only
    "logout": LIST(),
    "password_change": LIST(),
    "password_change_done": LIST(),
    "register": LIST(),
    "set_language": LIST(),  # i18n: sets a cookie
    "institution-mine": LIST(),
    "institution-start": LIST(),
    "institution-register": LIST(),
    # asking to join another institution is open to anyone signed in; it only files the requester's own request
    "institution-join": LIST(self_service=SIGNED_IN),
    "institution-list": LIST(),
    "institution-detail": B(pk="institution"),
    "institution-edit": B(pk="institution"),
    "institution-verify": B(pk="institution"),
    "membership-requests": LIST(),
    "membership-decide": B(pk="membership"),
    "holiday-calendar": LIST(),
    "holiday-calendar-remove": B(pk="calendar_day"),
    "call-list": LIST(),
    "call-create": LIST(),
    "call-detail": B(pk="call", open_to=ALL),  # a published call is public
    "call-edit": B(pk="call"),
    "call-publish": B(pk="call"),
    "call-dashboard": B(pk="call"),
    # any applicant may open the form of a published call; applying makes the applicant's own draft
    "call-apply": _with(B(pk="call", open_to=OFFICER | {"applicant"}), self_service=frozenset({"applicant"})),
    "application-list": LIST(),
    "application-detail": Entry(lambda w: [{"pk": w.b.objects[a].pk} for a in
                                           ("app_draft", "app_under_review", "app_reviewed")]),
    "application-transition": STEP("application", "poc.Application"),
    "site-visit-add": B(pk="app_under_review"),
    "attachment-download": B(pk="app_draft", attachment_pk="attachment"),
    "attachment-delete": B(pk="app_draft", attachment_pk="attachment"),
    "editor": B(pk="app_draft"),
    "editor-basics": B(pk="app_draft"),
    "editor-details": B(pk="app_draft"),
    "editor-review": B(pk="app_draft"),
    "editor-attachments": B(pk="app_draft"),
    "editor-pledges": B(pk="app_draft"),
    "editor-rows": Entry(lambda w: [{"pk": w.b.app_draft.pk, "kind": k} for k in
                                    ("ip_items", "team_members", "budget_lines", "milestones")]),
    "editor-row-edit": Entry(lambda w: [{"pk": w.b.app_draft.pk, "kind": k, "row_pk": w.b.objects[o].pk} for k, o in
                                        (("ip_items", "ipitem"), ("team_members", "teammember"),
                                         ("budget_lines", "budgetline"), ("milestones", "plannedmilestone"))]),
    "editor-row-delete": Entry(lambda w: [{"pk": w.b.app_draft.pk, "kind": k, "row_pk": w.b.objects[o].pk}
                                          for k, o in (("ip_items", "ipitem"), ("team_members", "teammember"),
                                                       ("budget_lines", "budgetline"),
                                                       ("milestones", "plannedmilestone"))]),
    "inbox": LIST(),
    "district-home": LIST(),  # a district officer's own district (区县推荐); every other role 403
    "programme-dashboard": LIST(),
    "application-document": B(pk="app_submitted", kind=("form",)),
    # the verification page answers anyone who holds the code printed on the paper (that is its purpose)
    "verify-document": Entry(lambda w: [{"code": w.b.document.code}], open_to=ALL),
    "center-list": LIST(),
    "center-detail": B(pk="center"),
    "center-step": STEP("center", "poc.Center"),
    "evaluation-start": B(pk="center"),
    "evaluation-detail": B(pk="evaluation"),
    "evaluation-step": STEP("evaluation", "poc.AnnualEvaluation"),
    "evaluation-score": B(pk="evaluation"),
    "evidence-add": B(pk="evaluation"),
    "evidence-download": B(pk="evaluation", evidence_pk="evidence"),
    "project-list": LIST(),
    "project-detail": B(pk="project"),
    "project-step": STEP("project", "poc.Project"),
    "agreement-upload": B(pk="project"),
    "agreement-download": B(pk="project"),
    "milestone-report": B(pk="project", milestone_pk="milestone"),
    "milestone-evidence": B(pk="project", milestone_pk="milestone"),
    "change-add": B(pk="project"),
    "change-step": STEP("change", "poc.ChangeRequest"),
    "acceptance-review": B(pk="project"),
    "my-outcomes": LIST(),
    # the public list of designated centers shows every center in force, side B's included
    "public-center-list": LIST(may_show=("BETA PoC Center", "BETA University", "BETA区", "BETA\\u533a")),
    "call-public-notice-document": B(pk="call", open_to=ALL),  # the public notice is public by law
    "evaluation-document": B(pk="evaluation_scored"),
    "acceptance-document": B(pk="acceptance"),
    # one's own notifications: marking them read changes only the requester's rows
    "notification-list": LIST(),
    "notification-read-all": LIST(self_service=SIGNED_IN),
    "notification-settings": LIST(self_service=SIGNED_IN),
    "notification-previews": B(),  # every kind's email and who got what: officers only
    "notification-open": B(pk="notification", open_to=frozenset()),
    "notification-read": B(pk="notification", open_to=frozenset()),
    "export": EXPORTS(),
    "job-detail": B(pk="job", open_to=frozenset()),
    "job-progress": B(pk="job", open_to=frozenset()),
    "job-download": B(pk="job", open_to=frozenset()),
    # --------------------------------------------------------------- review pages
    "review:queue": LIST(),
    "review:review": B(pk="review"),
    "review:review-step": STEP("review", names=("reopen",)),
    "review:review-extend": B(pk="review"),
    "review:assignment-step": STEP("assignment", names=("unassign", "declare_conflict")),
    "review:calls": LIST(),
    "review:console": B(pk="call"),
    "review:auto-assign": B(pk="call"),
    "review:draw": B(pk="call"),
    "review:conflicts": B(pk="call"),
    "review:plan": B(pk="call"),
    "review:rubric": B(pk="call"),
    # fund managers read a call's ranking page, filtered to the applications they may see (checked: no side B)
    "review:ranking": B(pk="call", open_to=frozenset({"officer", "fund_manager"})),
    "review:application": B(pk="app_under_review"),
    "review:assign": B(pk="app_under_review"),
    "review:aggregates": B(pk="app_under_review"),
    "review:experts": LIST(),
    "review:expert": B(pk="expert_profile"),
    "review:expert-invite": B(pk="expert_profile"),  # officers invite; others 403, nothing sent
    "review:experts-export-background": LIST(),
    "review:score-sheet": B(pk="review"),
    "review:summary-document": B(pk="call"),
    # -------------------------------------------------------------- funding pages
    "funding:home": LIST(),
    "funding:dashboard": LIST(),
    "funding:funds": LIST(),
    "funding:fund": B(pk="fund"),
    "funding:fund-entry-rules": B(pk="fund"),
    "funding:export-investments": B(pk="fund"),
    "funding:export-investments-background": B(pk="fund"),
    "funding:export-tranches": B(pk="fund"),
    "funding:decisions": LIST(),
    "funding:propose": B(application_pk="app_reviewed"),
    "funding:decision": B(pk="decision"),
    "funding:decision-step": STEP("decision", names=("approve_grant", "approve_equity", "reject")),
    "funding:ledger": B(pk="decision"),
    "funding:investment-add": B(pk="decision"),
    "funding:stake-preview": B(pk="decision"),
    "funding:tranche-add": B(pk="decision"),
    "funding:tranche-step": STEP("tranche", names=("release", "pay")),
    "funding:agreement": B(pk="investment"),
    "funding:rounds": B(pk="decision"),
    "funding:round-add": B(pk="decision"),
    "funding:conversion-step": STEP("decision", names=("lapse",)),
    "funding:exit-add": B(pk="decision"),
    "funding:buyback-preview": B(pk="decision"),
    "funding:mark-add": B(pk="decision"),
    "funding:monitoring": B(pk="decision"),
    "funding:report-add": B(pk="decision"),
    "funding:event-add": B(pk="decision"),
    "funding:risk-add": B(pk="decision"),
    "funding:risk-step": STEP("risk", names=("assess", "warn", "dispose")),
    "funding:insurance-add": B(pk="decision"),
    "funding:obligations": B(pk="funded_project"),
    "funding:contract-add": B(pk="funded_project"),
    "funding:payment-add": B(pk="contract"),
    "funding:contract-register": B(pk="contract"),
    "funding:contract-amend": B(pk="contract"),
    "funding:payment-verify": B(pk="payment"),
    "funding:payment-refuse": B(pk="payment"),
    "funding:major-series": LIST(),
    "funding:overdue-obligations": LIST(),
    "funding:decision-document": B(pk="decision"),
}
