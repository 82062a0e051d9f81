"""Accounts and institutions: who registers, who joins, who decides, who verifies (DESIGN §3)."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from poc.access.relations import role_codes
from poc.applications.selectors import applications_visible_to
from poc.errors import BadInput, NotAllowed, NotNow
from poc.institutions import services
from poc.institutions.selectors import institution_of, pending_memberships_for
from poc.models import Institution, Membership
from tests.factories import (
    CallFactory,
    InstitutionFactory,
    UserFactory,
    applicant_of,
    expert,
    make_application,
    make_credit_code,
    officer,
)
from tests.poc.workflow_support import rules_environment

pytestmark = pytest.mark.django_db
User = get_user_model()

STRONG = "Ouj1ang-Lab-2026!"


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment():
        yield


def institution_fields(n=9001, **overrides):
    fields = {"name": "温州理工学院", "credit_code": make_credit_code(n), "type": "university",
              "district": "瓯海区", "address": "温州市瓯海区", "contact_name": "陈老师",
              "contact_phone": "0577-55555555", "contact_email": "kjc@example.edu.cn"}
    return {**fields, **overrides}


# ------------------------------------------------------------ applicants


def test_an_applicant_registers_with_email_and_a_strong_password():
    user = services.register_applicant(email="  Li.Wei@Example.EDU.cn ", password=STRONG, name="李伟")
    assert user.username == user.email == "li.wei@example.edu.cn"
    assert user.first_name == "李伟"
    assert user.check_password(STRONG)
    assert role_codes(User.objects.get(pk=user.pk)) == {"applicant"}
    assert institution_of(user) is None


def test_a_second_account_with_the_same_email_is_refused_whatever_the_case():
    services.register_applicant(email="li.wei@example.edu.cn", password=STRONG)
    with pytest.raises(BadInput) as refused:
        services.register_applicant(email="LI.WEI@example.edu.cn", password=STRONG)
    assert refused.value.messages == ["An account with this email address already exists."]
    assert refused.value.field_errors == {"email": ["Already registered."]}
    assert User.objects.filter(email__iexact="li.wei@example.edu.cn").count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("2026051212", "This password is entirely numeric."),
        ("zhang.san.example", "The password is too similar to the username."),
    ],
)
def test_a_weak_password_is_refused_and_no_account_is_made(password, message):
    with pytest.raises(BadInput) as refused:
        services.register_applicant(email="zhang.san@example.org", password=password)
    assert message in refused.value.messages
    assert message in refused.value.field_errors["password"]
    assert not User.objects.filter(email="zhang.san@example.org").exists()


def test_an_email_is_required():
    with pytest.raises(BadInput) as refused:
        services.register_applicant(email="  ", password=STRONG)
    assert refused.value.messages == ["An email address is required."]
    assert not User.objects.exists()


# ------------------------------------------------------------ institutions


def test_registering_an_institution_makes_the_applicant_its_administrator():
    user = UserFactory(roles=["applicant"])
    institution = services.register_institution(user, **institution_fields())
    assert institution.verified is False
    assert institution.group.name == f"institution:{institution.credit_code}"
    membership = Membership.objects.get(user=user)
    assert (membership.institution, membership.status, membership.is_admin) == (institution, "active", True)
    assert user.groups.filter(pk=institution.group.pk).exists()
    assert institution_of(user) == institution


def test_only_applicants_register_institutions():
    for user in (officer(), expert()):
        with pytest.raises(NotAllowed) as refused:
            services.register_institution(user, **institution_fields())
        assert refused.value.messages == ["Only applicants can register an institution."]
    assert not Institution.objects.exists()


def test_a_member_of_an_institution_cannot_register_another():
    user = applicant_of(InstitutionFactory())
    groups = Group.objects.count()
    with pytest.raises(NotNow) as refused:
        services.register_institution(user, **institution_fields())
    assert refused.value.messages == ["You already belong to an institution."]
    assert Institution.objects.count() == 1
    assert Group.objects.count() == groups


def test_an_institution_of_an_unknown_type_is_refused_and_nothing_is_created():
    user = UserFactory(roles=["applicant"])
    groups = Group.objects.count()
    with pytest.raises(BadInput) as refused:
        services.register_institution(user, **institution_fields(type="government"))
    assert "type" in refused.value.field_errors
    assert not Institution.objects.exists()
    assert Group.objects.count() == groups
    assert not Membership.objects.exists()


def test_registering_cannot_self_verify_the_institution():
    """Verification is the bureau's act: a registration that tries to set it is refused outright."""
    user = UserFactory(roles=["applicant"])
    groups = Group.objects.count()
    with pytest.raises(BadInput) as refused:
        services.register_institution(user, **institution_fields(), verified=True)
    assert refused.value.messages == ["Unknown fields: verified"]
    assert not Institution.objects.exists()
    assert Group.objects.count() == groups
    assert not Membership.objects.exists()


@pytest.mark.parametrize("field", ["verified", "verified_by", "group"])
def test_an_institution_administrator_cannot_edit_what_is_not_theirs(field):
    institution = InstitutionFactory(verified=False, address="旧地址")
    admin = applicant_of(institution)
    value = {"verified": True, "verified_by": admin, "group": Group.objects.create(name="elsewhere")}[field]
    with pytest.raises(BadInput) as refused:
        services.update_institution(admin, institution, address="新地址", **{field: value})
    assert refused.value.messages == [f"Unknown fields: {field}"]
    fresh = Institution.objects.get(pk=institution.pk)
    assert (fresh.verified, fresh.verified_by, fresh.group_id, fresh.address) == (
        False, None, institution.group_id, "旧地址")


def test_an_institution_administrator_edits_the_contact_details():
    institution = InstitutionFactory(contact_name="张老师")
    admin = applicant_of(institution)
    services.update_institution(admin, institution, contact_name="王老师", contact_phone="0577-12345678")
    fresh = Institution.objects.get(pk=institution.pk)
    assert (fresh.contact_name, fresh.contact_phone) == ("王老师", "0577-12345678")


def test_the_credit_code_cannot_be_changed():
    institution = InstitutionFactory()
    admin = applicant_of(institution)
    with pytest.raises(BadInput) as refused:
        services.update_institution(admin, institution, credit_code=make_credit_code(777))
    assert refused.value.messages == [
        "The unified social credit code cannot be changed; register the new legal entity instead."
    ]


# ------------------------------------------------------------ verification


def test_an_officer_verifies_an_institution_once():
    institution = InstitutionFactory(verified=False, name="温州某研究院")
    staff = officer()
    verified = services.verify_institution(staff, institution)
    assert verified.verified is True
    assert verified.verified_by == staff
    assert verified.verified_at is not None
    with pytest.raises(NotNow) as refused:
        services.verify_institution(staff, institution)
    assert refused.value.messages == ["“温州某研究院” is already verified."]


@pytest.mark.parametrize("who", ["own administrator", "expert", "applicant of another institution"])
def test_only_officers_verify_institutions(who):
    institution = InstitutionFactory(verified=False)
    user = {
        "own administrator": lambda: applicant_of(institution),
        "expert": expert,
        "applicant of another institution": lambda: applicant_of(InstitutionFactory()),
    }[who]()
    with pytest.raises(NotAllowed) as refused:
        services.verify_institution(user, institution)
    assert refused.value.status == 403
    assert refused.value.messages == ["Only bureau officers can verify an institution."]
    institution.refresh_from_db()
    assert institution.verified is False


# ------------------------------------------------------------ joining


@pytest.fixture
def institution_with_application():
    institution = InstitutionFactory(name="温州大学")
    admin = applicant_of(institution)
    app = make_application(CallFactory(), institution, created_by=admin)
    return institution, admin, app


def test_a_join_request_waits_for_a_decision(institution_with_application):
    institution, admin, app = institution_with_application
    newcomer = UserFactory(roles=["applicant"])
    membership = services.request_membership(newcomer, institution)
    assert membership.status == "pending"
    assert institution_of(newcomer) is None
    assert not applications_visible_to(newcomer).exists()
    assert list(pending_memberships_for(admin)) == [membership]
    with pytest.raises(NotNow) as refused:
        services.request_membership(newcomer, institution)
    assert refused.value.messages == ["Your request to join “温州大学” is already waiting for a decision."]


@pytest.mark.parametrize("decider", ["institution administrator", "officer"])
def test_an_accepted_member_sees_the_institutions_applications(institution_with_application, decider):
    institution, admin, app = institution_with_application
    newcomer = UserFactory(roles=["applicant"])
    membership = services.request_membership(newcomer, institution)
    user = admin if decider == "institution administrator" else officer()
    decided = services.decide_membership(user, membership, accept=True)
    assert (decided.status, decided.decided_by, decided.is_admin) == ("active", user, False)
    newcomer = User.objects.get(pk=newcomer.pk)
    assert institution_of(newcomer) == institution
    assert list(applications_visible_to(newcomer)) == [app]
    assert newcomer.has_perm("poc.change_application", app)


def test_a_declined_applicant_sees_nothing(institution_with_application):
    institution, admin, app = institution_with_application
    newcomer = UserFactory(roles=["applicant"])
    membership = services.request_membership(newcomer, institution)
    decided = services.decide_membership(admin, membership, accept=False)
    assert decided.status == "declined"
    newcomer = User.objects.get(pk=newcomer.pk)
    assert institution_of(newcomer) is None
    assert not applications_visible_to(newcomer).exists()
    assert not newcomer.groups.filter(pk=institution.group.pk).exists()


def test_a_declined_applicant_may_ask_again(institution_with_application):
    institution, admin, _app = institution_with_application
    newcomer = UserFactory(roles=["applicant"])
    services.decide_membership(admin, services.request_membership(newcomer, institution), accept=False)
    again = services.request_membership(newcomer, institution)
    assert again.status == "pending"
    assert again.decided_by is None


@pytest.mark.parametrize("who", ["administrator of another institution", "ordinary member", "expert", "newcomer"])
def test_others_may_not_decide_a_join_request(institution_with_application, who):
    institution, _admin, app = institution_with_application
    newcomer = UserFactory(roles=["applicant"])
    membership = services.request_membership(newcomer, institution)
    if who == "ordinary member":
        user = UserFactory(roles=["applicant"])
        Membership.objects.create(user=user, institution=institution, status="active", is_admin=False)
        user.groups.add(institution.group)
    else:
        user = {
            "administrator of another institution": lambda: applicant_of(InstitutionFactory()),
            "expert": expert,
            "newcomer": lambda: newcomer,
        }[who]()
    with pytest.raises(NotAllowed) as refused:
        services.decide_membership(user, membership, accept=True)
    assert refused.value.status == 403
    assert refused.value.messages == [
        "Only an administrator of “温州大学” or a bureau officer can decide this request."
    ]
    membership.refresh_from_db()
    assert membership.status == "pending"
    assert not applications_visible_to(User.objects.get(pk=newcomer.pk)).exists()


def test_a_request_is_decided_once(institution_with_application):
    institution, admin, _app = institution_with_application
    membership = services.request_membership(UserFactory(roles=["applicant"]), institution)
    services.decide_membership(admin, membership, accept=False)
    with pytest.raises(NotNow) as refused:
        services.decide_membership(admin, membership, accept=True)
    assert refused.value.messages == ["This request has already been decided."]


def test_a_user_belongs_to_one_institution_at_a_time():
    first, second = InstitutionFactory(), InstitutionFactory()
    newcomer = UserFactory(roles=["applicant"])
    request_first = services.request_membership(newcomer, first)
    request_second = services.request_membership(newcomer, second)
    services.decide_membership(officer(), request_first, accept=True)
    with pytest.raises(NotNow) as refused:
        services.decide_membership(officer(), request_second, accept=True)
    assert refused.value.messages == ["This user already belongs to another institution."]
    with pytest.raises(NotNow):
        services.request_membership(newcomer, second)


def test_only_applicants_may_ask_to_join():
    with pytest.raises(NotAllowed) as refused:
        services.request_membership(expert(), InstitutionFactory())
    assert refused.value.messages == ["Only applicants can join an institution."]
