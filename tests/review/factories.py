"""Factories and helpers of the review tests: experts, review-ready calls and applications, reviews in a state.

Objects are created directly (no workflow) where a test needs them in a given state; assignments go
through ``review.services.assign_manually`` so that they are made as a real one is (review, audit row).
"""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from poc.models import Discipline
from review import services
from review.models import CriterionScore, Expert, ExpertAffiliation, Review, ReviewState
from tests.factories import CallFactory, InstitutionFactory, expert, make_application

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_moment(year, month, day, hour=10, minute=0, second=0) -> datetime:
    """A moment on the bureau's clock (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


class ExpertFactory(factory.django.DjangoModelFactory):
    """A qualified expert (active, pledge signed) in ENG.MAT unless told otherwise.

    ``disciplines=["ICT.AI", …]`` sets the discipline codes.
    """

    class Meta:
        model = Expert
        skip_postgeneration_save = True

    user = factory.LazyFunction(expert)
    name = factory.Sequence(lambda n: f"Expert {n}")
    affiliation = "Zhejiang University"
    title = "Professor"
    keywords = ""
    max_load_per_call = 15
    active = True
    pledge_signed_on = date(2026, 1, 5)

    @factory.post_generation
    def disciplines(self, create, extracted, **kwargs):
        if not create:
            return
        codes = ["ENG.MAT"] if extracted is None else list(extracted)
        self.disciplines.set(Discipline.objects.filter(code__in=codes))


class ExpertAffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertAffiliation

    expert = factory.SubFactory(ExpertFactory)
    institution = factory.SubFactory(InstitutionFactory)
    started_on = date(2015, 9, 1)
    ended_on = None


def review_call(*, min_reviews=3, experts_per_application=None, deadline=None, **kw):
    """A published call with its review plan (default rubric) and, if given, a review deadline."""
    call = CallFactory(min_reviews=min_reviews, **kw)
    plan = services.ensure_plan(call)
    changed = False
    if experts_per_application is not None:
        plan.experts_per_application = experts_per_application
        changed = True
    if deadline is not None:
        plan.deadline = deadline
        changed = True
    if changed:
        plan.save()
    return call


def under_review(call, institution=None, **fields):
    """An application of ``call`` in state under_review (complete, ENG.MAT, team lead 李教授)."""
    return make_application(call, institution, state="under_review", **fields)


def fill_review(review, total=None, *, recommendation="support", comment="Sound work."):
    """Give ``review`` a score for every criterion (with a comment) and a recommendation, directly.

    ``total`` (default: full marks) is spread over the criteria in rubric order, each up to its maximum,
    so the weighted total (weights 1) is exactly ``total``.
    """
    review = Review.objects.select_related("assignment__application__call").get(pk=review.pk)
    plan = services.ensure_plan(review.assignment.application.call)
    criteria = list(plan.criteria.all())
    left = Decimal(str(total)) if total is not None else sum((c.max_score for c in criteria), Decimal("0"))
    for c in criteria:
        give = min(left, c.max_score)
        left -= give
        CriterionScore.objects.update_or_create(review=review, criterion=c,
                                                defaults={"score": give, "comment": comment})
    assert left == 0, "total above the rubric's maximum"
    Review.objects.filter(pk=review.pk).update(recommendation=recommendation, overall_comment=comment)
    review.refresh_from_db()
    return review


def submit_directly(review, total=None, **kw):
    """A submitted review with ``total`` points, put in that state without the workflow."""
    fill_review(review, total, **kw)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED, submitted_at=timezone.now())
    return Review.objects.get(pk=review.pk)


def assign(application, expert_obj, by):
    """An active assignment made by an officer (with its draft review and the expert's permissions)."""
    return services.assign_manually(by, application, expert_obj)


def days(n):
    return timedelta(days=n)


def proposed_to_a_fund_of(manager, application):
    """A funding decision proposed for ``application`` to a fund that ``manager`` manages: the row from which the
    access policy lets the fund's managers view the application (funding/policies.py)."""
    from tests.funding.factories import DecisionFactory, FundFactory

    fund = FundFactory()
    manager.groups.add(fund.group)
    return DecisionFactory(application=application, fund=fund)
