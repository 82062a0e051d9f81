"""Demands (posted by verified enterprises, curated by officers), interest from both sides, roadshow feedback,
and the layering: no lower app names the transfer app."""
import subprocess
from pathlib import Path

import pytest

from poc.errors import BadInput, NotAllowed, NotNow
from poc.models import Notification
from poc.rules import check_transition
from tests.factories import InstitutionFactory, applicant_of, officer
from transfer.models import Conversation, Demand, Interest
from transfer.services import demands, interests, roadshows

from .factories import enterprise, enterprise_user, make_demand, make_result, make_roadshow

pytestmark = pytest.mark.django_db


def test_only_verified_enterprises_post_demands():
    with pytest.raises(NotAllowed):
        demands.create_demand(applicant_of(InstitutionFactory()), title="t", problem="p")
    with pytest.raises(NotAllowed):
        demands.create_demand(enterprise_user(enterprise(verified=False)), title="t", problem="p")
    user = enterprise_user()
    demand = demands.create_demand(user, title="需求", problem="问题", disciplines=["ENG.MAT"])
    assert demand.state == "draft" and demand.enterprise.verified
    with pytest.raises(BadInput):
        demands.update_demand(user, demand, budget_min=10, budget_max=5)


def test_curation_publish_merge_close():
    first, second = make_demand(state="submitted"), make_demand(state="submitted")
    boss = officer()
    assert check_transition(first, "publish", first.created_by).status == 403
    demands.transition_demand(boss, first, "publish")
    demands.transition_demand(boss, second, "merge", "重复", into=first.pk)
    second.refresh_from_db()
    assert second.state == "merged" and second.merged_into_id == first.pk
    with pytest.raises(BadInput):
        demands.transition_demand(first.created_by, first, "close", "")
    demands.transition_demand(first.created_by, first, "close", "已找到方案")
    assert Demand.objects.get(pk=first.pk).state == "closed"
    with pytest.raises(NotNow):
        demands.update_demand(first.created_by, first, title="x")


def test_mutual_interest_opens_one_conversation_and_tells_both_sides():
    result = make_result()
    demand = make_demand()
    interests.express_interest(result.created_by, result, demand)
    assert not Conversation.objects.exists()
    interests.express_interest(demand.created_by, result, demand)
    interests.express_interest(demand.created_by, result, demand)  # twice: nothing new
    assert Interest.objects.count() == 2
    conversation = Conversation.objects.get()
    assert (conversation.result, conversation.demand) == (result, demand)
    notified = set(Notification.objects.filter(kind="transfer_conversation_opened").values_list("recipient", flat=True))
    assert notified == {result.created_by.pk, demand.created_by.pk}


def test_strangers_cannot_express_interest():
    result = make_result()
    demand = make_demand()
    with pytest.raises(NotAllowed):
        interests.express_interest(enterprise_user(), result, demand)
    with pytest.raises(NotAllowed):
        interests.express_interest(applicant_of(InstitutionFactory()), result, demand)


def test_roadshow_registration_and_feedback():
    result = make_result()
    roadshow = make_roadshow([result])
    user = enterprise_user()
    with pytest.raises(NotAllowed):
        roadshows.register(applicant_of(InstitutionFactory()), roadshow)
    registration = roadshows.register(user, roadshow)
    assert registration.participant == "enterprise" and registration.organisation == user.memberships.get().institution.name
    with pytest.raises(NotNow):
        roadshows.give_feedback(user, roadshow, result, score=5)
    roadshow = roadshows.hold_roadshow(officer(), roadshow)
    with pytest.raises(BadInput):
        roadshows.give_feedback(user, roadshow, result, score=9)
    feedback = roadshows.give_feedback(user, roadshow, result, score=4, comment="好")
    assert feedback.score == 4
    with pytest.raises(NotNow):
        roadshows.register(enterprise_user(), roadshow)


def test_a_roadshow_without_results_cannot_be_held():
    roadshow = make_roadshow([])
    assert check_transition(roadshow, "hold", officer()).status == 409


def test_no_lower_app_names_the_transfer_app():
    root = Path(__file__).resolve().parents[2]
    pattern = r"(from|import) transfer\b|[\"']transfer[.:]|transfer\.(models|services|api|urls)"
    found = subprocess.run(["grep", "-rlE", pattern, "poc", "review", "funding", "--include=*.py",
                            "--include=*.html"], cwd=root, capture_output=True, text=True).stdout.split()
    assert found == [], found
