"""A review plan's own rules: the rubric stays frozen once a review was submitted; enough experts to close."""
import pytest
from django.utils import translation

from poc.errors import BadInput, NotNow
from poc.workflow import run_transition
from review import services
from tests.factories import officer
from tests.review.factories import ExpertFactory, assign, fill_review, review_call, under_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_rubric_stays_frozen_after_the_only_submitted_review_is_reopened():
    staff = officer()
    call = review_call(min_reviews=1)
    expert = ExpertFactory()
    review = assign(under_review(call), expert, staff).review
    fill_review(review)
    run_transition(review, "submit", expert.user)
    run_transition(review, "reopen", staff, "Please reconsider the market score.")
    plan = services.ensure_plan(call)
    with pytest.raises(NotNow) as refused:
        services.replace_rubric(staff, plan, [{"code": "only", "name": "Only", "max_score": 100}])
    assert refused.value.messages == ["The rubric cannot change: reviews under it have already been submitted."]
    assert plan.criteria.count() > 1


def test_a_plan_cannot_assign_fewer_experts_than_the_call_needs_to_close():
    call = review_call(min_reviews=3)
    plan = services.ensure_plan(call)
    with pytest.raises(BadInput) as refused:
        services.update_plan(officer(), plan, experts_per_application=2)
    assert refused.value.messages == [
        "The call needs at least 3 reviews per application to close its review; assign at least that many experts."]
    plan.refresh_from_db()
    assert plan.experts_per_application == 3
