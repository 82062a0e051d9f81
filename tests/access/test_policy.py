"""The access policy: one declaration answers for one object and for a whole list, with reasons."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from poc.access import can, member_of, officer, policy_for, require, visible, why_not
from poc.access.policy import Policy
from poc.errors import NotAllowed
from poc.models import Application, Institution
from poc.roles import SYSTEM
from tests.factories import InstitutionFactory, UserFactory, applicant_of, expert, make_application
from tests.factories import officer as make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    own, other = InstitutionFactory(verified=True), InstitutionFactory(verified=True)
    mine, theirs = make_application(institution=own), make_application(institution=other)
    return {"own": own, "other": other, "mine": mine, "theirs": theirs,
            "applicant": applicant_of(own), "officer": make_officer(), "expert": expert()}


def test_a_list_shows_exactly_what_the_object_check_allows(world):
    """For every user and object, visible(...) contains the object iff can(user, "view", obj)."""
    users = [world["applicant"], world["officer"], world["expert"], AnonymousUser(), UserFactory()]
    for user in users:
        listed = set(visible(user, Application).values_list("pk", flat=True))
        for application in Application.objects.all():
            assert (application.pk in listed) == can(user, "view", application), (user, application)


def test_applicants_see_their_own_institutions_applications_only(world):
    applicant = world["applicant"]
    assert list(visible(applicant, Application)) == [world["mine"]]
    assert can(applicant, "change", world["mine"])
    assert not can(applicant, "change", world["theirs"])


def test_the_applicant_role_is_needed_besides_the_group(world):
    """A user left in an institution's group without the applicant role sees nothing of it."""
    former = UserFactory()
    former.groups.add(world["own"].group)
    assert not visible(former, Application).exists()
    assert not can(former, "view", world["mine"])


def test_officers_superusers_and_the_scheduler_see_everything(world):
    admin = UserFactory(is_superuser=True)
    for user in (world["officer"], admin):
        assert visible(user, Application).count() == 2
    assert can(SYSTEM, "view", world["theirs"])


def test_anonymous_sees_nothing_and_is_told_why(world):
    anonymous = AnonymousUser()
    assert not visible(anonymous, Application).exists()
    with translation.override("en"):
        assert why_not(anonymous, "change", world["mine"]) == ["Only members of the institution can do this."]
    with translation.override("zh-hans"):
        assert why_not(anonymous, "change", world["mine"]) == ["只有该单位的成员可以执行此操作。"]
    with pytest.raises(NotAllowed):
        require(anonymous, "change", world["mine"])


def test_a_refusal_can_be_reworded_for_one_step(world):
    rule = member_of("institution").refusing("Only the applicant institution can resubmit.")
    assert rule.reasons(world["theirs"], world["applicant"]) == ["Only the applicant institution can resubmit."]
    assert rule(world["mine"], world["applicant"]) is True  # usable as a django-fsm permission


def test_a_transition_name_is_answered_by_the_transitions_own_permission(world):
    assert can(world["applicant"], "submit", world["mine"])
    assert not can(world["applicant"], "submit", world["theirs"])
    assert not can(world["applicant"], "accept_for_review", world["mine"])


def test_django_has_perm_reads_the_policy(world):
    assert world["applicant"].has_perm("poc.view_application", world["mine"])
    assert not world["applicant"].has_perm("poc.view_application", world["theirs"])
    assert world["officer"].has_perm("poc.view_institution", world["other"])


def test_widening_is_idempotent_and_unknown_actions_are_errors(world):
    policy = Policy("tests.Widened", view=officer)
    policy.widen("view", member_of("institution"))
    policy.widen("view", member_of("institution"))
    assert policy.actions["view"].name == "officer | member_of(institution)"
    with pytest.raises(LookupError):
        policy_for(Institution).relation("no_such_action")
