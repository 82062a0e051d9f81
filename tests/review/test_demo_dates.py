"""The demo reads like a real bureau's: nothing in it was handed in after its deadline."""
import io

import pytest
from django.core.management import call_command
from django.db.models import F

from poc.models import Application
from review.models import Review, ReviewState

pytestmark = pytest.mark.django_db


def test_the_demo_submits_applications_and_reviews_before_their_deadlines(settings):
    settings.CELERY_BROKER_URL = ""
    call_command("seed_demo", stdout=io.StringIO())
    submitted = Application.objects.exclude(submitted_at=None)
    assert submitted.count() > 10
    late = submitted.filter(submitted_at__gt=F("call__closes_at"))
    assert not late.exists(), list(late.values_list("number", "submitted_at"))
    reviews = Review.objects.filter(state=ReviewState.SUBMITTED)
    assert reviews.count() > 10
    late = reviews.filter(submitted_at__gt=F("assignment__application__call__review_plan__deadline"))
    assert not late.exists(), list(late.values_list("assignment__application__number", "submitted_at"))
