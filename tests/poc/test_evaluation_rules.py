"""The rules of a designated center's life (DESIGN §2 Center, DOMAIN §1 "After designation").

Annual performance evaluation (年度绩效评价): the center's institution files the data of a past year,
an officer scores it 0–100 and the grade follows the call's thresholds (inclusive): ≥ 90 优秀, ≥ 70 良好,
≥ 60 合格, below 不合格. A first fail puts the center under rectification (整改); a pass afterwards
restores it; a second fail in a row revokes it (撤销). Fraud revokes at once and claws back the subsidy.
A nightly job expires designations past their validity. Every test reads the exact words a user gets.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from poc.centers import services as center_services
from poc.centers.models import add_months
from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import AnnualEvaluation, Center, EvaluationState, Grade, TransitionLog
from poc.rules import check_transition, describe, transition_methods
from poc.tasks import expire_centers
from poc.workflow import run_transition
from tests.factories import CallFactory, InstitutionFactory, applicant_of, expert, fund_manager, officer
from tests.poc.after_approval_factories import (
    OFFICER,
    OWNER,
    ROLES,
    SYSTEM,
    add_evidence_file,
    make_center,
    make_evaluation,
    user_for,
)
from tests.poc.workflow_support import audit_rows, local_moment, rules_environment

pytestmark = pytest.mark.django_db

NOW = local_moment(2026, 5, 12, 10, 0)  # Tuesday 12 May 2026, 10:00 in Wenzhou
TODAY = date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment(NOW):
        yield


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def score(evaluation, value, by=None, comment=""):
    return center_services.score_evaluation(by or officer(), fresh(evaluation), value, comment)


def center_log(center):
    return [(r.transition, r.source, r.target) for r in audit_rows(center)]


# ------------------------------------------------------------ the tables

# transition: (sources, target, who may run it, everybody else's refusal, needs a reason, taken by the system)
CENTER_TABLE = {
    "order_rectification": (["active"], "rectifying", {OFFICER, SYSTEM},
                            "Only bureau officers can order a rectification.", False, True),
    "pass_rectification": (["rectifying"], "active", {OFFICER, SYSTEM},
                           "Only bureau officers can close a rectification.", False, True),
    "revoke_after_second_failure": (["rectifying"], "revoked", {OFFICER, SYSTEM},
                                    "Only bureau officers can revoke a designation.", False, True),
    "revoke_for_fraud": (["active", "rectifying"], "revoked", {OFFICER, SYSTEM},
                         "Only bureau officers can revoke a designation for fraud.", True, False),
    "expire": (["active", "rectifying"], "expired", {OFFICER, SYSTEM},
               "Only bureau officers (or the nightly job) can expire a designation.", False, True),
}
EVALUATION_TABLE = {
    "file": (["draft"], "filed", {OWNER}, "Only members of the center's institution can file its evaluation.",
             False, False),
    "return_data": (["filed"], "draft", {OFFICER, SYSTEM}, "Only bureau officers can return evaluation data.",
                    True, False),
    "record_score": (["filed"], "scored", {OFFICER, SYSTEM}, "Only bureau officers can score an evaluation.",
                     False, False),
}


@pytest.mark.parametrize(("model", "table"), [(Center, CENTER_TABLE), (AnnualEvaluation, EVALUATION_TABLE)])
def test_every_transition_has_a_row(model, table):
    assert list(table) == list(transition_methods(model))  # a new transition without a row fails here
    for name, (sources, target, _who, _refusal, needs_reason, system) in table.items():
        declared = describe(model, name)
        assert sorted(declared["sources"]) == sorted(sources), name
        assert declared["target"] == target, name
        assert bool(declared["custom"].get("comment_required")) is needs_reason, name
        assert bool(declared["custom"].get("system")) is system, name


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("model", "name"), [(Center, n) for n in CENTER_TABLE]
                         + [(AnnualEvaluation, n) for n in EVALUATION_TABLE])
def test_who_may_run_each_transition(model, name, role):
    table = CENTER_TABLE if model is Center else EVALUATION_TABLE
    sources, _target, who, refusal, _reason, _system = table[name]
    center = make_center(state="active" if "active" in sources or model is AnnualEvaluation else "rectifying")
    obj = center if model is Center else make_evaluation(center, state=sources[0])
    check = check_transition(obj, name, user_for(role, center.institution))
    if role in who:
        assert check.status != 403, check.reasons  # allowed, or refused for when (409), never for who
    else:
        assert (check.allowed, check.status, check.reasons) == (False, 403, [refusal])


def test_scoring_declares_its_consequence_on_the_center():
    # One path: record_score itself moves the center (its declared ``then``), whoever runs it.
    assert describe(AnnualEvaluation, "record_score")["custom"]["then"] == "apply_score_to_center"
    assert [n for n in EVALUATION_TABLE if describe(AnnualEvaluation, n)["custom"].get("then")] == ["record_score"]
    assert AnnualEvaluation.CONSEQUENCES == (
        (("active", True), "order_rectification"),
        (("rectifying", True), "revoke_after_second_failure"),
        (("rectifying", False), "pass_rectification"),
    )


# ------------------------------------------------------------------- grades

@pytest.mark.parametrize(("value", "grade"), [
    ("0", Grade.FAIL), ("59.99", Grade.FAIL), ("60", Grade.PASS), ("69.99", Grade.PASS), ("70", Grade.GOOD),
    ("89.99", Grade.GOOD), ("90", Grade.EXCELLENT), ("100", Grade.EXCELLENT),
])
def test_grades_at_the_default_boundaries_are_inclusive(value, grade):
    center = make_center()
    assert AnnualEvaluation.grade_for(Decimal(value), center.call) == grade
    evaluation, _center = score(make_evaluation(center, 2025, state="filed"), value)
    assert evaluation.state == EvaluationState.SCORED
    assert evaluation.score == Decimal(value)
    assert fresh(evaluation).grade == grade


@pytest.mark.parametrize(("value", "grade"), [
    ("64.99", Grade.FAIL), ("65", Grade.PASS), ("79.99", Grade.PASS), ("80", Grade.GOOD), ("94.99", Grade.GOOD),
    ("95", Grade.EXCELLENT),
])
def test_a_call_sets_its_own_thresholds(value, grade):
    call = CallFactory(kind="pilot_base", grade_pass_from=65, grade_good_from=80, grade_excellent_from=95)
    center = make_center(call)
    evaluation, after = score(make_evaluation(center, 2025, state="filed"), value)
    assert evaluation.grade == grade
    assert after.state == ("rectifying" if grade == Grade.FAIL else "active")


def test_thresholds_must_rise():
    call = CallFactory.build(kind="poc_center", grade_pass_from=75, grade_good_from=70, grade_excellent_from=90)
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert refused.value.message_dict["grade_excellent_from"] == ["Grades must rise: pass ≤ good ≤ excellent ≤ 100."]


# ------------------------------------------------------ what a score does to the center

def test_a_pass_leaves_an_active_center_as_it_is():
    center = make_center()
    evaluation, after = score(make_evaluation(center, 2025, state="filed"), "60")
    assert after.state == "active" and after.rectification_due is None
    assert center_log(center) == []
    assert [(r.transition, r.source, r.target) for r in audit_rows(evaluation)] == [("record_score", "filed", "scored")]


def test_a_first_fail_orders_rectification_for_a_year():
    center = make_center()
    staff = officer()
    evaluation, after = score(make_evaluation(center, 2025, state="filed"), "59.99", by=staff)
    assert evaluation.grade == Grade.FAIL
    assert after.state == "rectifying"
    assert after.rectification_due == add_months(TODAY, 12) == date(2027, 5, 12)
    (row,) = audit_rows(center)
    assert (row.transition, row.source, row.target, row.actor) == ("order_rectification", "active", "rectifying", staff)
    assert row.comment == "Annual evaluation 2025: 59.99, Fail."


def test_scoring_through_the_bare_transition_moves_the_center_too():
    center = make_center()
    staff = officer()
    evaluation = run_transition(make_evaluation(center, 2025, state="filed"), "record_score", staff,
                                "Revenue fell.", score="59.99")
    assert (evaluation.state, evaluation.grade) == ("scored", Grade.FAIL)
    assert evaluation.center.state == "rectifying"  # the center the transition returns has moved
    assert fresh(center).state == "rectifying"
    assert fresh(center).rectification_due == date(2027, 5, 12)
    (score_row,) = audit_rows(evaluation)
    (center_row,) = audit_rows(center)
    assert (score_row.transition, score_row.actor, score_row.comment) == ("record_score", staff, "Revenue fell.")
    assert (center_row.transition, center_row.actor, center_row.comment) == (
        "order_rectification", staff, "Annual evaluation 2025: 59.99, Fail.")


def test_a_refused_consequence_undoes_the_score():
    # A rectifying center with no failed evaluation on record: a fail now is not a second fail in a row, so
    # the revocation is refused, and the score is not kept either.
    center = make_center(state="rectifying")
    filed = make_evaluation(center, 2025, state="filed")
    with pytest.raises(NotNow) as refused:
        run_transition(filed, "record_score", officer(), score="30")
    assert refused.value.messages == ["A center is revoked after two failed evaluations in a row; it has 1."]
    after = fresh(filed)
    assert (after.state, after.score, after.grade) == ("filed", None, "")
    assert fresh(center).state == "rectifying"
    assert audit_rows(filed) == [] and audit_rows(center) == []


def test_a_bad_score_through_the_bare_transition_moves_nothing():
    center = make_center()
    filed = make_evaluation(center, 2025, state="filed")
    with pytest.raises(BadInput):
        run_transition(filed, "record_score", officer(), score="59.995")
    assert fresh(filed).state == "filed" and fresh(center).state == "active"
    assert audit_rows(center) == []


def test_rectify_then_pass_returns_the_center_to_active():
    center = make_center()
    score(make_evaluation(center, 2024, state="filed"), "45")
    assert fresh(center).state == "rectifying"
    evaluation, after = score(make_evaluation(center, 2025, state="filed"), "72.5")
    assert evaluation.grade == Grade.GOOD
    assert after.state == "active"
    assert after.rectification_due is None
    assert center_log(center) == [("order_rectification", "active", "rectifying"),
                                  ("pass_rectification", "rectifying", "active")]


def test_two_fails_in_a_row_revoke_the_designation():
    center = make_center()
    score(make_evaluation(center, 2024, state="filed"), "50")
    _evaluation, after = score(make_evaluation(center, 2025, state="filed"), "59.99")
    assert after.state == "revoked"
    assert after.revoked_on == TODAY
    assert after.subsidy_recovery is False  # a poor performer, not a fraud: nothing to claw back
    assert center_log(center) == [("order_rectification", "active", "rectifying"),
                                  ("revoke_after_second_failure", "rectifying", "revoked")]


def test_a_pass_between_two_fails_does_not_revoke():
    center = make_center(designated_on=date(2023, 1, 1))
    score(make_evaluation(center, 2023, state="filed"), "40")
    score(make_evaluation(center, 2024, state="filed"), "60")
    _evaluation, after = score(make_evaluation(center, 2025, state="filed"), "59.99")
    assert after.state == "rectifying"  # a first fail again, not a second in a row
    assert center.consecutive_failures() == 1
    assert center_log(center) == [("order_rectification", "active", "rectifying"),
                                  ("pass_rectification", "rectifying", "active"),
                                  ("order_rectification", "active", "rectifying")]


def test_the_system_steps_refuse_by_their_conditions_when_the_scores_do_not_call_for_them():
    center = make_center()
    make_evaluation(center, 2025, state="scored", score=75)
    staff = officer()
    assert check_transition(fresh(center), "order_rectification", staff).reasons == [
        "The center's latest annual evaluation is not graded “fail”.",
        "This is not the center's first failed evaluation in a row."]
    rectifying = make_center(state="rectifying")
    make_evaluation(rectifying, 2025, state="scored", score=30)
    assert check_transition(fresh(rectifying), "revoke_after_second_failure", staff).reasons == [
        "A center is revoked after two failed evaluations in a row; it has 1."]
    assert check_transition(fresh(rectifying), "pass_rectification", staff).reasons == [
        "The evaluation after rectification has not passed yet."]


# -------------------------------------------------------------------------- fraud

@pytest.mark.parametrize("state", ["active", "rectifying"])
def test_fraud_revokes_at_once_and_claws_back_the_subsidy(state):
    center = make_center(state=state)
    staff = officer()
    revoked = center_services.revoke_for_fraud(staff, center, "Forged service contracts in the 2025 data.")
    assert revoked.state == "revoked"
    assert revoked.revoked_on == TODAY
    assert revoked.subsidy_recovery is True
    (row,) = audit_rows(center)
    assert (row.transition, row.source, row.target, row.actor) == ("revoke_for_fraud", state, "revoked", staff)
    assert row.comment == "Forged service contracts in the 2025 data."


def test_fraud_revocation_needs_a_reason_an_officer_and_a_center_in_force():
    center = make_center()
    with pytest.raises(BadInput) as refused:
        center_services.revoke_for_fraud(officer(), center, "   ")
    assert refused.value.detail == "“Revoke for fraud” needs a reason: please write a comment."
    with pytest.raises(NotAllowed) as refused:
        center_services.revoke_for_fraud(applicant_of(center.institution), center, "Self-report.")
    assert refused.value.detail == "Only bureau officers can revoke a designation for fraud."
    assert fresh(center).state == "active" and fresh(center).subsidy_recovery is False
    assert audit_rows(center) == []

    expired = make_center(state="expired")
    with pytest.raises(NotNow) as refused:
        center_services.revoke_for_fraud(officer(), expired, "Too late.")
    assert refused.value.detail == "“Revoke for fraud” is not possible while the center is “Expired”."


def test_a_revoked_center_is_no_longer_evaluated():
    center = make_center()
    filed = make_evaluation(center, 2024, state="filed")
    center_services.revoke_for_fraud(officer(), center, "Fraud.")
    with pytest.raises(NotNow) as refused:
        center_services.start_evaluation(applicant_of(center.institution), fresh(center), 2025)
    assert refused.value.detail == "The center is “Revoked”; it is no longer evaluated."
    with pytest.raises(NotNow) as refused:
        score(filed, "80")
    assert refused.value.detail == "The center is “Revoked”; it is no longer evaluated."
    assert fresh(filed).state == "filed" and fresh(filed).score is None


# ------------------------------------------------------------------------ expiry

def test_the_nightly_job_expires_centers_past_their_validity_as_the_system():
    due = make_center(valid_until=TODAY)
    rectifying = make_center(state="rectifying", valid_until=TODAY)
    later = make_center(valid_until=TODAY + timedelta(days=1))
    revoked = make_center(state="revoked", valid_until=TODAY - timedelta(days=30))

    # The last day of validity is included: nothing expires on it.
    assert expire_centers.apply().get() == []  # run here (a worker would not see this test's data)
    assert fresh(due).state == "active"

    with time_machine.travel(local_moment(2026, 5, 13, 1, 5), tick=False):
        result = expire_centers.apply()
        assert sorted(result.get()) == sorted([due.designation_number, rectifying.designation_number])
    assert fresh(due).state == "expired" and fresh(rectifying).state == "expired"
    assert fresh(later).state == "active" and fresh(revoked).state == "revoked"
    (row,) = audit_rows(due)
    assert (row.transition, row.source, row.target) == ("expire", "active", "expired")
    assert row.actor is None  # the system, not a person
    assert row.comment == "Validity ended on 2026-05-12."

    # Run again (a retry, or the next night): nothing more happens.
    with time_machine.travel(local_moment(2026, 5, 14, 1, 5), tick=False):
        assert expire_centers.apply().get() == [later.designation_number]
        assert expire_centers.apply().get() == []
    assert len(audit_rows(due)) == 1 and len(audit_rows(rectifying)) == 1
    assert TransitionLog.objects.filter(transition="expire").count() == 3


def test_the_task_runs_in_process_without_a_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the embedded default (no broker): .delay() runs here and now
    assert expire_centers.delay().successful()


def test_expiry_refuses_before_the_validity_ends():
    center = make_center(valid_until=TODAY)
    assert check_transition(center, "expire", officer()).reasons == ["The designation is valid until 2026-05-12 (inclusive)."]


# ---------------------------------------------------------- evaluations: one per year

def test_one_evaluation_per_center_and_data_year():
    center = make_center()
    owner = applicant_of(center.institution)
    first = center_services.start_evaluation(owner, center, 2025)
    assert [(r.transition, r.target, r.actor) for r in audit_rows(first)] == [("create", "draft", owner)]
    with pytest.raises(NotNow) as refused:  # the unique constraint answers; the service words it
        center_services.start_evaluation(owner, center, "2025")
    assert refused.value.detail == "The evaluation for 2025 already exists; one evaluation per center per data year."
    assert AnnualEvaluation.objects.filter(center=center).count() == 1
    assert TransitionLog.objects.count() == 1
    # Another year, or another center, is fine.
    assert center_services.start_evaluation(owner, center, 2024).data_year == 2024
    other = make_center()
    assert center_services.start_evaluation(applicant_of(other.institution), other, 2025).center == other


@pytest.mark.parametrize("year", [2023, 2026, 2030, "soon"])
def test_the_data_year_is_a_past_year_of_the_designation(year):
    center = make_center(designated_on=date(2024, 3, 1))
    with pytest.raises(BadInput) as refused:
        center_services.start_evaluation(applicant_of(center.institution), center, year)
    expected = ("The data year must be a year." if year == "soon"
                else "The data year must be a past year from 2024 to 2025.")
    assert refused.value.detail == expected
    assert not AnnualEvaluation.objects.exists()


def test_only_the_centers_institution_opens_and_edits_its_evaluation():
    center = make_center()
    for outsider in (officer(), applicant_of(InstitutionFactory()), expert()):
        with pytest.raises(NotAllowed) as refused:
            center_services.start_evaluation(outsider, center, 2025)
        assert refused.value.detail == "Only members of the center's institution can file its evaluation."
    evaluation = make_evaluation(center, 2025, complete=False)
    with pytest.raises(NotAllowed):
        center_services.update_evaluation(officer(), evaluation, projects_validated=3)
    owner = applicant_of(center.institution)
    updated = center_services.update_evaluation(owner, evaluation, projects_validated=3, cases="A case.")
    assert (updated.projects_validated, updated.cases) == (3, "A case.")
    with pytest.raises(BadInput) as refused:
        center_services.update_evaluation(owner, evaluation, user_satisfaction=Decimal("100.01"))
    assert refused.value.field_errors == {"user_satisfaction": ["Ensure this value is less than or equal to 100."]}
    assert fresh(evaluation).user_satisfaction is None


# ---------------------------------------------------------------- filing and scoring

def test_filing_needs_the_checklist_complete():
    center = make_center()
    owner = applicant_of(center.institution)
    evaluation = make_evaluation(center, 2025, complete=False)
    check = check_transition(evaluation, "file", owner)
    assert (check.allowed, check.status) == (False, 409)
    assert check.reasons == [
        "User satisfaction is missing.",
        "Describe at least one typical case.",
        "The plan for next year is missing.",
        "Attach at least one evidence file.",
    ]
    with pytest.raises(NotNow):
        center_services.file_evaluation(owner, evaluation)
    assert fresh(evaluation).state == "draft" and audit_rows(evaluation) == []

    center_services.update_evaluation(owner, evaluation, user_satisfaction=Decimal("88"), cases="一个案例。",
                                      next_year_plan="计划。")
    assert check_transition(fresh(evaluation), "file", owner).reasons == ["Attach at least one evidence file."]
    add_evidence_file(evaluation, owner)
    filed = center_services.file_evaluation(owner, fresh(evaluation))
    assert filed.state == "filed"
    assert filed.filed_at == NOW and filed.filed_by == owner
    with pytest.raises(NotNow) as refused:
        center_services.update_evaluation(owner, filed, cases="Changed afterwards.")
    assert refused.value.detail == "The evaluation data have been filed and can no longer be edited."


FILE_REFUSAL = "Only members of the center's institution can file its evaluation."
SCORE_REFUSAL = "Only bureau officers can score an evaluation."


@pytest.mark.parametrize(("who", "file_ok", "score_ok"), [
    ("owner", True, False), ("other institution", False, False), ("officer", False, True),
    ("expert", False, False), ("fund manager", False, False),
])
def test_only_the_institution_files_and_only_officers_score(who, file_ok, score_ok):
    center = make_center()
    user = {"owner": lambda: applicant_of(center.institution), "other institution": lambda: applicant_of(
        InstitutionFactory()), "officer": officer, "expert": expert, "fund manager": fund_manager}[who]()
    draft = make_evaluation(center, 2024)
    filed = make_evaluation(center, 2025, state="filed")
    file_check = check_transition(draft, "file", user)
    score_check = check_transition(filed, "record_score", user)
    assert file_check.allowed is file_ok and (file_ok or file_check.reasons == [FILE_REFUSAL])
    assert score_check.allowed is score_ok and (score_ok or score_check.reasons == [SCORE_REFUSAL])
    if not score_ok:
        with pytest.raises(NotAllowed):
            score(filed, "80", by=user)
        assert fresh(filed).state == "filed" and fresh(filed).score is None


def test_an_officer_returns_filed_data_with_a_reason():
    center = make_center()
    filed = make_evaluation(center, 2025, state="filed")
    with pytest.raises(BadInput):
        run_transition(filed, "return_data", officer(), "")
    with pytest.raises(NotAllowed):
        run_transition(filed, "return_data", applicant_of(center.institution), "Oops.")
    returned = run_transition(filed, "return_data", officer(), "The revenue figure lacks an audit.")
    assert returned.state == "draft" and returned.filed_at is None


def test_a_draft_cannot_be_scored():
    evaluation = make_evaluation(make_center(), 2025)
    with pytest.raises(NotNow) as refused:
        score(evaluation, "80")
    assert refused.value.detail == "“Score” is not possible while the annual evaluation is “Draft”."


@pytest.mark.parametrize(("value", "message"), [
    ("-0.01", "The score must be between 0 and 100; -0.01 is out of range."),
    ("100.01", "The score must be between 0 and 100; 100.01 is out of range."),
    ("150", "The score must be between 0 and 100; 150.00 is out of range."),
    (None, "A score between 0 and 100 is required."),
    ("", "A score between 0 and 100 is required."),
    ("eighty", "A score between 0 and 100 is required."),
    ("NaN", "A score between 0 and 100 is required."),
    ("Infinity", "A score between 0 and 100 is required."),
])
def test_a_score_outside_0_to_100_is_refused_and_changes_nothing(value, message):
    center = make_center(state="rectifying")
    make_evaluation(center, 2024, state="scored", score=40)
    filed = make_evaluation(center, 2025, state="filed")
    before = {f.attname: getattr(filed, f.attname) for f in AnnualEvaluation._meta.concrete_fields}
    with pytest.raises(BadInput) as refused:
        score(filed, value)
    assert refused.value.detail == message
    assert "score" in refused.value.field_errors
    after = fresh(filed)
    assert {f.attname: getattr(after, f.attname) for f in AnnualEvaluation._meta.concrete_fields} == before
    assert fresh(center).state == "rectifying"
    assert TransitionLog.objects.count() == 0


def test_the_database_refuses_a_score_out_of_range_too():
    from django.db import IntegrityError, transaction

    evaluation = make_evaluation(make_center(), 2025, state="filed")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualEvaluation.objects.filter(pk=evaluation.pk).update(score=Decimal("100.5"))
    assert Center.objects.get(pk=evaluation.center_id).state == "active"



def test_a_score_with_three_decimals_is_refused_rather_than_rounded_across_a_boundary():
    evaluation = make_evaluation(make_center(), 2025, state="filed")
    with pytest.raises(BadInput) as refused:
        score(evaluation, "59.995")
    assert refused.value.messages == ["A score has at most two decimals."]
    evaluation = fresh(evaluation)
    assert evaluation.state == "filed" and evaluation.score is None
