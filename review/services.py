"""Every write of the review: one function per use case, each in a transaction."""
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.workflow import record_creation, run_transition

from .conflicts import conflict_reason, record_automatic_conflicts
from .models import (
    DEFAULT_CENTER_RUBRIC,
    DEFAULT_PROJECT_RUBRIC,
    Assignment,
    AssignmentMethod,
    AssignmentState,
    Conflict,
    ConflictSource,
    Criterion,
    CriterionScore,
    Expert,
    Recommendation,
    Review,
    ReviewPlan,
    ReviewState,
)
from .review_rules import plain_number
from .states import ASSIGNABLE_STATES

# ---------------------------------------------------------------- plan and rubric

def ensure_plan(call) -> ReviewPlan:
    """The call's review plan, created with the default 100-point rubric of its kind on first use."""
    plan, created = ReviewPlan.objects.get_or_create(
        call=call, defaults={"experts_per_application": call.min_reviews})
    if created:
        rubric = DEFAULT_CENTER_RUBRIC if call.is_center_call else DEFAULT_PROJECT_RUBRIC
        Criterion.objects.bulk_create([
            Criterion(plan=plan, code=code, name=name, description=description, max_score=Decimal(points),
                      weight=Decimal("1"), comment_required=comment_required, position=i)
            for i, (code, name, description, points, comment_required) in enumerate(rubric)
        ])
    return plan


@transaction.atomic
def update_plan(user, plan: ReviewPlan, **fields) -> ReviewPlan:
    require(user, "change", plan)
    for key, value in fields.items():
        setattr(plan, key, value)
    from django.core.exceptions import ValidationError

    try:
        plan.full_clean()
    except ValidationError as exc:
        raise BadInput(*[m for ms in exc.message_dict.values() for m in ms], field_errors=exc.message_dict) from None
    if plan.experts_per_application < plan.call.min_reviews:
        raise BadInput(_("The call needs at least %(min)s reviews per application to close its review; assign at "
                         "least that many experts.") % {"min": plan.call.min_reviews},
                       field_errors={"experts_per_application": [_("Below the call's minimum of reviews.")]})
    plan.save()
    return plan


@transaction.atomic
def replace_rubric(user, plan: ReviewPlan, criteria: list[dict]) -> ReviewPlan:
    """Replace the rubric's criteria. Refused once any review under it has been submitted."""
    require(user, "change_rubric", plan)
    plan = ReviewPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.frozen:
        raise NotNow(_("The rubric cannot change: reviews under it have already been submitted."))
    if not criteria:
        raise BadInput(_("A rubric needs at least one criterion."))
    codes = [str(c.get("code", "")).strip() for c in criteria]
    if len(set(codes)) != len(codes) or not all(codes):
        raise BadInput(_("Every criterion needs a code, and codes must be unique."))
    rows = []
    for i, c in enumerate(criteria):
        try:
            weight = Decimal(str(c.get("weight", "1")))
            max_score = Decimal(str(c["max_score"]))
        except (KeyError, InvalidOperation):
            raise BadInput(_("Criterion “%(code)s” needs a numeric weight and maximum score.") % {"code": codes[i]}) from None
        if weight <= 0 or max_score <= 0:
            raise BadInput(_("Criterion “%(code)s”: weight and maximum score must be positive.") % {"code": codes[i]})
        rows.append(Criterion(plan=plan, code=codes[i], name=str(c.get("name") or codes[i]),
                              description=str(c.get("description", "")), weight=weight, max_score=max_score,
                              comment_required=bool(c.get("comment_required")), position=i))
    CriterionScore.objects.filter(review__assignment__application__call=plan.call).delete()
    plan.criteria.all().delete()
    Criterion.objects.bulk_create(rows)
    return plan


# ------------------------------------------------------------------- assignment

def lock_call_assignments(call) -> None:
    """Serialise the assignment writes of one call (row lock on its review plan, until the transaction ends), so
    two officers at the same moment cannot both take an expert's last place in the call or assign the same pair
    twice: the second one waits, then sees the first one's assignment. (No-op on SQLite, which serialises writers.)"""
    ensure_plan(call)
    ReviewPlan.objects.select_for_update().filter(call=call).first()


def load_of(expert, call) -> int:
    return Assignment.objects.filter(expert=expert, application__call=call, state=AssignmentState.ACTIVE).count()


def _create_assignment(user, application, expert, method, *, affinity=None, seed=None, comment=""):
    assignment = Assignment.objects.create(application=application, expert=expert, method=method,
                                           affinity=affinity, draw_seed=seed, assigned_by=user)
    review = Review.objects.create(assignment=assignment)
    assignment.review = review
    record_creation(assignment, user, comment)
    return assignment


def check_assignable(application, expert) -> None:
    """Raise BadInput saying why ``expert`` cannot be assigned to ``application``, or return."""
    if application.state not in ASSIGNABLE_STATES:
        raise NotNow(_("Experts are assigned while the application is under review; it is “%(state)s”.")
                     % {"state": application.get_state_display()})
    if not expert.qualified:
        raise BadInput(_("%(name)s cannot review: inactive, or the integrity and confidentiality pledge is not "
                         "signed.") % {"name": expert.name})
    reason = conflict_reason(application, expert)
    if reason:
        raise BadInput(_("%(name)s has a conflict of interest with %(number)s: %(reason)s")
                       % {"name": expert.name, "number": application.number, "reason": reason})
    if Assignment.objects.filter(application=application, expert=expert, state=AssignmentState.ACTIVE).exists():
        raise BadInput(_("%(name)s is already assigned to %(number)s.") % {"name": expert.name,
                                                                            "number": application.number})
    plan = ensure_plan(application.call)
    if load_of(expert, application.call) >= expert.max_load_per_call:
        raise BadInput(_("%(name)s already has %(n)s reviews in this call, the maximum.")
                       % {"name": expert.name, "n": expert.max_load_per_call})
    del plan


@transaction.atomic
def assign_manually(user, application, expert) -> Assignment:
    require(user, "create", Assignment)
    lock_call_assignments(application.call)
    record_automatic_conflicts(application, [expert])
    check_assignable(application, expert)
    return _create_assignment(user, application, expert, AssignmentMethod.MANUAL)


def unassign(user, assignment, comment: str) -> Assignment:
    return run_transition(assignment, "unassign", user, comment)


def declare_conflict(user, assignment, reason: str) -> Assignment:
    return run_transition(assignment, "declare_conflict", user, reason)


@transaction.atomic
def pin_conflict(user, application, expert, reason: str) -> Conflict:
    """An officer records a conflict no rule finds; an active assignment of the pair is voided."""
    require(user, "create", Conflict)
    reason = (reason or "").strip()
    if not reason:
        raise BadInput(_("A pinned conflict needs a reason."), field_errors={"reason": [_("Required.")]})
    conflict, created = Conflict.objects.get_or_create(
        expert=expert, application=application, source=ConflictSource.PINNED,
        defaults={"reason": reason, "recorded_by": user})
    if not created:
        raise BadInput(_("This conflict is already pinned."))
    for assignment in Assignment.objects.filter(application=application, expert=expert, state=AssignmentState.ACTIVE):
        review = getattr(assignment, "review", None)
        if review is not None and review.state == ReviewState.SUBMITTED:
            run_transition(review, "reopen", user, _("Conflict pinned: %(reason)s") % {"reason": reason})
            assignment.refresh_from_db()
        run_transition(assignment, "unassign", user, _("Conflict pinned: %(reason)s") % {"reason": reason})
    return conflict


# ------------------------------------------------------------------------ reviews

def _parse_score(raw, criterion):
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
        if not value.is_finite():  # "NaN" and "Infinity" parse, but are no score (and NaN cannot be compared)
            raise InvalidOperation
    except InvalidOperation:
        raise BadInput(_("The score for “%(c)s” is not a number.") % {"c": criterion.name},
                       field_errors={criterion.code: [_("Not a number.")]}) from None
    if value < 0 or value > criterion.max_score:
        raise BadInput(_("The score for “%(c)s” must be between 0 and %(max)s; %(given)s is out of range.")
                       % {"c": criterion.name, "max": plain_number(criterion.max_score), "given": raw},
                       field_errors={criterion.code: [_("Out of range.")]})
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def save_review(user, review, *, scores: dict, recommendation: str = "", overall_comment: str = "",
                confidential_note: str = "") -> Review:
    """Save a draft: ``scores`` maps criterion code → {"score": …, "comment": …}. Out-of-range scores refused."""
    review = Review.objects.select_for_update().select_related("assignment__application__call").get(pk=review.pk)
    require(user, "save_draft", review)
    if review.state != ReviewState.DRAFT:
        raise NotNow(_("The review has been submitted and can no longer be edited."))
    if review.assignment.state != AssignmentState.ACTIVE:
        raise NotNow(_("This assignment was voided."))
    if recommendation and recommendation not in Recommendation.values:
        raise BadInput(_("Unknown recommendation “%(r)s”.") % {"r": recommendation})
    plan = ensure_plan(review.assignment.application.call)
    criteria = {c.code: c for c in plan.criteria.all()}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise BadInput(_("Unknown criteria: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    parsed = {code: (_parse_score((entry or {}).get("score"), criteria[code]), str((entry or {}).get("comment", "")))
              for code, entry in scores.items()}
    for code, (value, comment) in parsed.items():
        criterion = criteria[code]
        if value is None:
            CriterionScore.objects.filter(review=review, criterion=criterion).delete()
            continue
        CriterionScore.objects.update_or_create(review=review, criterion=criterion,
                                                defaults={"score": value, "comment": comment})
    review.recommendation = recommendation
    review.overall_comment = overall_comment
    review.confidential_note = confidential_note
    review.save()
    return review


def submit_review(user, review) -> Review:
    return run_transition(review, "submit", user)


def reopen_review(user, review, reason: str) -> Review:
    return run_transition(review, "reopen", user, reason)


@transaction.atomic
def extend_deadline(user, review, until) -> Review:
    require(user, "extend_deadline", review)
    if until <= timezone.now():
        raise BadInput(_("An extension must end in the future."))
    review = Review.objects.select_for_update().get(pk=review.pk)
    review.extended_until = until
    review.save(update_fields=["extended_until", "updated_at"])
    return review


def expert_for(user) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user.is_authenticated else None


# -------------------------------------------------------------------- expert pool

def _clean_expert(expert) -> None:
    from django.core.exceptions import ValidationError

    try:
        expert.full_clean(exclude=["user", "disciplines"])
    except ValidationError as exc:
        raise BadInput(*[m for ms in exc.message_dict.values() for m in ms], field_errors=exc.message_dict) from None


def _replace_affiliations(expert, affiliations) -> None:
    from .models import ExpertAffiliation

    for row in affiliations:
        started, ended = row.get("started_on"), row.get("ended_on")
        if started and ended and ended < started:
            raise BadInput(_("An affiliation cannot end before it starts."),
                           field_errors={"affiliations": [_("Ends before it starts.")]})
    expert.affiliations.all().delete()
    ExpertAffiliation.objects.bulk_create([
        ExpertAffiliation(expert=expert, institution=row["institution"], started_on=row.get("started_on"),
                          ended_on=row.get("ended_on"))
        for row in affiliations
    ])


@transaction.atomic
def create_expert(user, *, username: str, email: str = "", disciplines=(), affiliations=(), **fields) -> Expert:
    """Add an expert to the pool (评审专家库).

    ``username`` names the expert's account: an existing one is linked, otherwise one is created without a
    usable password (the expert sets it through the password reset). The account joins the ``expert`` role.
    ``fields`` are the Expert's own fields; ``disciplines`` Discipline objects; ``affiliations`` dicts with
    ``institution``, ``started_on`` and ``ended_on``.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from poc.access.relations import forget_roles
    from poc.roles import EXPERT

    require(user, "create", Expert)
    username = (username or "").strip()
    if not username:
        raise BadInput(_("An expert needs an account name."), field_errors={"username": [_("Required.")]})
    User = get_user_model()
    account = User.objects.filter(username=username).first()
    if account is None:
        account = User.objects.create_user(username=username, email=email or "", password=None)
    elif Expert.objects.filter(user=account).exists():
        raise BadInput(_("The account “%(username)s” is already an expert in the pool.") % {"username": username},
                       field_errors={"username": [_("Already an expert.")]})
    elif not account.is_active:
        raise BadInput(_("The account “%(username)s” is inactive.") % {"username": username},
                       field_errors={"username": [_("Inactive account.")]})
    expert = Expert(user=account, **fields)
    _clean_expert(expert)
    expert.save()
    expert.disciplines.set(disciplines)
    _replace_affiliations(expert, affiliations or ())
    account.groups.add(Group.objects.get(name=EXPERT))
    forget_roles(account)
    return expert


@transaction.atomic
def update_expert(user, expert, *, disciplines=None, affiliations=None, **fields) -> Expert:
    """Edit an expert of the pool; ``disciplines`` and ``affiliations``, when given, replace the current ones."""
    require(user, "change", expert)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    for key, value in fields.items():
        setattr(expert, key, value)
    _clean_expert(expert)
    expert.save()
    if disciplines is not None:
        expert.disciplines.set(disciplines)
    if affiliations is not None:
        _replace_affiliations(expert, affiliations)
    # A new affiliation, institution or name may put the expert in conflict with an application already assigned.
    from .rechecks import recheck_active_assignments

    recheck_active_assignments(expert_ids=[expert.pk], cause=_("the expert's details or affiliations changed"))
    return expert
