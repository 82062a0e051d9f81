"""The application workflow as a table (DESIGN §2, §3, §7).

One row per transition says where it starts, where it ends, who may run it, the exact refusal
everybody else gets, whether it needs a reason, and which kinds of application its conditions
refuse. The cases are generated from the transitions declared on the model
(``transition_methods(Application)``), so a transition added without a row fails the suite.

Every case creates the application directly in the starting state, complete, with the conditions
satisfied where they can be (a notice that ended yesterday; the review gate answered by the test),
and then checks the rule both ways: ``check_transition`` (what pages and the API show) and
``run_transition`` (what actually happens). An allowed run writes exactly one audit row; a refusal
changes nothing.
"""
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from poc import gates
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Application, ApplicationState, TransitionLog
from poc.rules import check_transition, describe, transition_methods
from poc.workflow import run_transition
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    applicant_of,
    assign_expert,
    consider_for_fund,
    district_officer_of,
    expert,
    fund_manager,
    make_application,
    officer,
)
from tests.poc.workflow_support import (
    always_passes,
    audit_rows,
    gate_answers,
    local_moment,
    open_objection,
    rules_environment,
    set_notice_over,
    snapshot,
)

pytestmark = pytest.mark.django_db

# The bureau's clock during these tests: a Tuesday morning in Wenzhou.
NOW = local_moment(2026, 5, 12, 10, 0)

# ------------------------------------------------------------------ who acts
OWNER = "applicant of the owning institution"
FOREIGN = "applicant of another institution"
EXPERT = "expert (assigned)"
OFFICER = "bureau officer"
FUND_MANAGER = "fund manager"
ANONYMOUS = "anonymous visitor"
DISTRICT = "district officer (of the applicant's district)"
ROLES = (OWNER, FOREIGN, EXPERT, OFFICER, FUND_MANAGER, DISTRICT, ANONYMOUS)

# The district's steps (区县推荐) exist only in a call that asks for a district recommendation.
DISTRICT_STEPS = ("recommend", "decline_recommendation")

# --------------------------------------------------------------- what kinds
CENTERS = ("poc_center", "pilot_base")
PROJECTS = ("poc_project", "pilot_project")
KINDS = CENTERS + PROJECTS

# The state names a refusal quotes (English, as the tests run in English).
STATE_NAMES = {
    "draft": "Draft",
    "submitted": "Submitted",
    "recommended": "Recommended by the district",
    "returned": "Returned for revision",
    "under_review": "Under expert review",
    "reviewed": "Reviewed",
    "public_notice": "Public notice",
    "objection": "Objection under examination",
    "approved": "Approved",
    "cultivation": "Cultivation pool",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
}

NO_FUNDING_PROPOSAL = "A project can only be proposed with a funding decision proposal, and none exists yet."
NO_FUNDING_APPROVAL = "A project can only be approved once its funding decision is approved, and none exists yet."
CENTERS_ONLY = "Only PoC-center and pilot-base applications can be placed in the cultivation pool."


# What a transition takes besides the comment (an accepted objection is signed with its author's name and gives a
# contact: 实名异议; here it arrived on the notice's last day, yesterday, and is recorded today).
DETAILS = {"record_objection": {"objector": "李某", "contact": "0577-88886666", "received_on": date(2026, 5, 11)}}


@dataclass(frozen=True)
class Row:
    label: str
    sources: tuple[str, ...]
    target: str
    actor: str  # the one role that may run it
    refusal: str  # what every other role is told (403)
    needs_comment: bool = False
    refused_for: dict[str, str] = field(default_factory=dict)  # kind → the condition's refusal (409)
    # A computed target (RETURN_VALUE): the other states it may end in (an objection not accepted stays in notice).
    other_targets: tuple[str, ...] = ()


TABLE: dict[str, Row] = {
    "submit": Row(
        "Submit", ("draft",), "submitted", OWNER,
        "Only members of the applicant institution can submit this application.",
    ),
    "withdraw": Row(
        "Withdraw", ("draft", "submitted", "recommended", "returned"), "withdrawn", OWNER,
        "Only members of the applicant institution can withdraw this application.",
    ),
    "recommend": Row(
        "Recommend", ("submitted",), "recommended", DISTRICT,
        "Only the science bureau of the applicant's district can recommend this application.", needs_comment=True,
    ),
    "decline_recommendation": Row(
        "Decline to recommend", ("submitted",), "rejected", DISTRICT,
        "Only the science bureau of the applicant's district can decline to recommend this application.",
        needs_comment=True,
    ),
    "accept_for_review": Row(
        "Pass formal check", ("submitted", "recommended"), "under_review", OFFICER,
        "Only bureau officers can pass the formal check.",
    ),
    "return_for_revision": Row(
        "Return for revision", ("submitted", "recommended"), "returned", OFFICER,
        "Only bureau officers can return an application for revision.", needs_comment=True,
    ),
    "resubmit": Row(
        "Resubmit", ("returned",), "submitted", OWNER,
        "Only the applicant institution can resubmit this application.",
    ),
    "reject_formally": Row(
        "Reject at formal check", ("submitted", "recommended"), "rejected", OFFICER,
        "Only bureau officers can reject an application at the formal check.", needs_comment=True,
    ),
    "close_review": Row(
        "Close review", ("under_review",), "reviewed", OFFICER,
        "Only bureau officers can close the expert review.",
    ),
    "propose": Row(
        "Propose and start public notice", ("reviewed",), "public_notice", OFFICER,
        "Only bureau officers can propose an application for approval.",
        refused_for={kind: NO_FUNDING_PROPOSAL for kind in PROJECTS},
    ),
    "to_cultivation_pool": Row(
        "Place in cultivation pool", ("reviewed",), "cultivation", OFFICER,
        "Only bureau officers can place an application in the cultivation pool.", needs_comment=True,
        refused_for={kind: CENTERS_ONLY for kind in PROJECTS},
    ),
    "reject": Row(
        "Reject", ("reviewed",), "rejected", OFFICER,
        "Only bureau officers can reject an application.", needs_comment=True,
    ),
    "record_objection": Row(
        "Record objection", ("public_notice",), "objection", OFFICER,
        "Only bureau officers can record an objection.", needs_comment=True, other_targets=("public_notice",),
    ),
    "dismiss_objection": Row(
        "Dismiss objection", ("objection",), "public_notice", OFFICER,
        "Only bureau officers can dismiss an objection.", needs_comment=True,
    ),
    "uphold_objection": Row(
        "Uphold objection", ("objection",), "rejected", OFFICER,
        "Only bureau officers can uphold an objection.", needs_comment=True,
    ),
    "approve": Row(
        "Approve", ("public_notice",), "approved", OFFICER,
        "Only bureau officers can approve an application.",
        refused_for={kind: NO_FUNDING_APPROVAL for kind in PROJECTS},
    ),
}

DECLARED = list(transition_methods(Application))
ALL_STATES = [s.value for s in ApplicationState]


def _row(name) -> Row:
    if name not in TABLE:
        pytest.fail(f"The transition “{name}” has no row in the workflow table: add one (who, when, refusal).")
    return TABLE[name]


def _declared_sources(name):
    return [str(s) for s in describe(Application, name)["sources"]]


# -------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def _english_at_a_fixed_moment():
    with rules_environment(NOW):
        yield


@pytest.fixture(autouse=True)
def _review_gate_passes():
    """The review app is not built yet: the test answers the close_review gate with "complete"."""
    with gate_answers(gates.reviews_complete, always_passes):
        yield


@pytest.fixture(autouse=True)
def _funding_gates_default():
    """The funding app is not built yet: projects meet the funding gates' honest default refusal."""
    with gate_answers(gates.funding_proposed, None), gate_answers(gates.funding_approved, None):
        yield


def application_in(state, kind, name=None):
    """A complete application of ``kind``, created directly in ``state`` with its conditions met (for the district's
    steps, and for a recommended application, in a call that asks for a district recommendation)."""
    call = CallFactory(kind=kind, requires_district_recommendation=name in DISTRICT_STEPS or state == "recommended")
    institution = InstitutionFactory()
    owner = applicant_of(institution)
    app = make_application(call, institution, created_by=owner, state=state)
    if state in ("public_notice", "objection"):
        set_notice_over(app)
    if state == "objection":
        open_objection(app)
    return app, owner


def user_in_role(role, app, owner):
    if role == OWNER:
        return owner
    if role == FOREIGN:
        return applicant_of(InstitutionFactory())
    if role == EXPERT:
        user = expert()
        assign_expert(user, app)  # assigned: may look, may not act
        return user
    if role == OFFICER:
        return officer()
    if role == FUND_MANAGER:
        user = fund_manager()
        consider_for_fund(user, app)  # asked to invest: may look, may not act
        return user
    if role == DISTRICT:
        return district_officer_of(app.institution.district)
    if role == ANONYMOUS:
        return AnonymousUser()
    raise AssertionError(role)


def actor_of(name, app, owner):
    """The one role that may run ``name``, for ``app``."""
    return user_in_role(_row(name).actor, app, owner)


def expected(name, kind, role):
    """(status, reasons) the table promises; status 200 means allowed."""
    row = _row(name)
    if role != row.actor:
        return 403, [row.refusal]
    if kind in row.refused_for:
        return 409, [row.refused_for[kind]]
    return 200, []


def reason_for(name):
    return f"Reason given for {name}." if _row(name).needs_comment else f"Note on {name}."


# ------------------------------------------------------------ the table


def test_the_table_covers_every_declared_transition():
    missing = [name for name in DECLARED if name not in TABLE]
    stale = [name for name in TABLE if name not in DECLARED]
    assert not missing, f"transitions without a row in the workflow table: {missing}"
    assert not stale, f"rows for transitions the model no longer declares: {stale}"


@pytest.mark.parametrize("name", DECLARED)
def test_the_declaration_matches_the_table(name):
    """Sources, target, label and whether a reason is required are as the design draws them."""
    row = _row(name)
    declared = describe(Application, name)
    assert sorted(_declared_sources(name)) == sorted(row.sources)
    target = declared["target"]
    if isinstance(target, str):
        assert (target, row.other_targets) == (row.target, ())
    else:
        assert sorted(target.allowed_states) == sorted((row.target, *row.other_targets))
    assert str(declared["custom"]["label"]) == row.label
    assert bool(declared["custom"].get("comment_required")) == row.needs_comment


CASES = [
    pytest.param(name, source, kind, role, id=f"{name}-from-{source}-{kind}-by-{role.split(' (')[0].replace(' ', '_')}")
    for name in DECLARED
    for source in _declared_sources(name)
    for kind in KINDS
    for role in ROLES
]


@pytest.mark.parametrize(("name", "source", "kind", "role"), CASES)
def test_transition_by_role_from_each_source(name, source, kind, role):
    app, owner = application_in(source, kind, name)
    user = user_in_role(role, app, owner)
    status, reasons = expected(name, kind, role)
    comment = reason_for(name)

    check = check_transition(app, name, user)
    assert (check.status, check.reasons) == (status, reasons)
    assert check.allowed is (status == 200)

    before = snapshot(app)
    if status == 200:
        result = run_transition(app, name, user, comment, **DETAILS.get(name, {}))
        assert result.state == _row(name).target
        assert Application.objects.get(pk=app.pk).state == _row(name).target
        new_rows = [r for r in audit_rows(app) if r.pk not in before["audit"]]
        assert len(new_rows) == 1
        log = new_rows[0]
        assert (log.transition, log.source, log.target) == (name, source, _row(name).target)
        assert log.actor == user
        assert log.comment == comment
        assert log.created_at == NOW
        assert TransitionLog.objects.count() == before["audit_total"] + 1
    else:
        error = NotAllowed if status == 403 else NotNow
        with pytest.raises(error) as refused:
            run_transition(app, name, user, comment, **DETAILS.get(name, {}))
        assert refused.value.status == status
        assert refused.value.messages == reasons
        assert snapshot(app) == before


WRONG_STATE_CASES = [
    pytest.param(name, state, kind, id=f"{name}-from-{state}-{kind}")
    for name in DECLARED
    for state in ALL_STATES
    if state not in _declared_sources(name)
    for kind in ("poc_center", "poc_project")
]


@pytest.mark.parametrize(("name", "state", "kind"), WRONG_STATE_CASES)
def test_transition_from_a_state_where_it_does_not_exist(name, state, kind):
    """The right person, the wrong moment: 409, naming the state the application is in."""
    row = _row(name)
    app, owner = application_in(state, kind, name)
    user = actor_of(name, app, owner)
    message = f"“{row.label}” is not possible while the application is “{STATE_NAMES[state]}”."

    check = check_transition(app, name, user)
    assert (check.allowed, check.status, check.reasons) == (False, 409, [message])

    before = snapshot(app)
    with pytest.raises(NotNow) as refused:
        run_transition(app, name, user, reason_for(name))
    assert refused.value.status == 409
    assert refused.value.messages == [message]
    assert snapshot(app) == before


def test_permission_is_judged_before_the_state():
    """A stranger is told they may not act (403), not what state the application is in."""
    app, _owner = application_in("approved", "poc_center")
    check = check_transition(app, "submit", officer())
    assert (check.status, check.reasons) == (403, [TABLE["submit"].refusal])
    check = check_transition(app, "approve", applicant_of(app.institution))
    assert (check.status, check.reasons) == (403, [TABLE["approve"].refusal])


REASON_CASES = [
    pytest.param(name, source, blank, id=f"{name}-from-{source}-{'empty' if not blank else 'blank'}")
    for name in DECLARED
    if TABLE.get(name) and TABLE[name].needs_comment
    for source in _declared_sources(name)
    for blank in ("", "   \n\t")
]


@pytest.mark.parametrize(("name", "source", "blank"), REASON_CASES)
def test_a_step_that_needs_a_reason_refuses_an_empty_comment(name, source, blank):
    row = _row(name)
    app, owner = application_in(source, "poc_center", name)
    user = actor_of(name, app, owner)
    assert check_transition(app, name, user).needs_comment

    before = snapshot(app)
    with pytest.raises(BadInput) as refused:
        run_transition(app, name, user, blank)
    assert refused.value.status == 400
    assert refused.value.messages == [f"“{row.label}” needs a reason: please write a comment."]
    assert refused.value.field_errors == {"comment": ["A reason is required."]}
    assert snapshot(app) == before


NO_REASON_CASES = [
    pytest.param(name, _declared_sources(name)[0], id=name)
    for name in DECLARED
    if TABLE.get(name) and not TABLE[name].needs_comment
]


@pytest.mark.parametrize(("name", "source"), NO_REASON_CASES)
def test_a_step_without_a_required_reason_runs_with_an_empty_comment(name, source):
    row = _row(name)
    app, owner = application_in(source, "poc_center", name)
    user = actor_of(name, app, owner)
    result = run_transition(app, name, user, "")
    assert result.state == row.target
    assert audit_rows(app)[-1].comment == ""


def test_an_unknown_step_is_bad_input():
    app, owner = application_in("draft", "poc_center")
    before = snapshot(app)
    with pytest.raises(BadInput) as refused:
        run_transition(app, "designate_at_once", officer(), "shortcut")
    assert refused.value.messages == ["Unknown step “designate_at_once”."]
    assert snapshot(app) == before
