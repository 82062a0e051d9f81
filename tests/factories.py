"""factory-boy factories, including ones that create applications directly in a given state."""
import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from poc.models import (
    Application,
    ApplicationKind,
    BudgetLine,
    Call,
    CenterDetails,
    Institution,
    InstitutionType,
    IPItem,
    Membership,
    NoticeDayKind,
    PlannedMilestone,
    ProjectDetails,
    TeamMember,
)
from poc.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

User = get_user_model()
PASSWORD = "pochub-test-pw-2026"


def make_credit_code(n: int) -> str:
    first17 = f"91330300MA{n:07d}"[:17]
    first17 = "".join(c if c in CREDIT_CODE_ALPHABET else "0" for c in first17)
    return first17 + credit_code_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for code in extracted or ():
            self.groups.add(Group.objects.get(name=code))
        if create:
            self.save()


def officer(**kw):
    return UserFactory(roles=["officer"], **kw)


def expert(**kw):
    return UserFactory(roles=["expert"], **kw)


def fund_manager(**kw):
    return UserFactory(roles=["fund_manager"], **kw)


def district_officer_of(district_name="鹿城区", **kw):
    """An officer of the science bureau of the district ``district_name`` (区县科技局), registering the district."""
    from poc.institutions.services import add_district_officer, register_district

    user = UserFactory(**kw)
    add_district_officer(register_district(district_name), user)
    return user


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    type = InstitutionType.UNIVERSITY
    district = "鹿城区"
    address = "温州市鹿城区学院中路 1 号"
    contact_name = "张老师"
    contact_phone = "0577-00000000"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    verified = True
    group = factory.LazyAttribute(lambda o: Group.objects.create(name=Institution.group_name_for(o.credit_code)))


def applicant_of(institution, **kw):
    """An applicant user who is an active member of ``institution``."""
    user = UserFactory(roles=["applicant"], **kw)
    Membership.objects.create(user=user, institution=institution, status=Membership.Status.ACTIVE, is_admin=True)
    user.groups.add(institution.group)
    return user


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    kind = ApplicationKind.POC_PROJECT
    round = "2026"
    title = factory.Sequence(lambda n: f"Call {n}")
    guideline = "Guideline text."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    budget = Decimal("5000000.00")
    eligible_institution_types = factory.LazyFunction(lambda: [t.value for t in InstitutionType])
    required_attachment_types = factory.LazyFunction(lambda: ["application_form"])
    # Workflow tests run on today's date, and a working-day notice started near the year's end would reach a year
    # whose holidays nobody has entered yet (proposing is then refused). Working-day notices are tested on fixed
    # dates in tests/poc/test_notice_periods.py; the model's default is working days.
    notice_day_kind = NoticeDayKind.CALENDAR
    published = True


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def make_application(call=None, institution=None, *, complete=True, state="draft", created_by=None, **fields):
    """An application of ``call``'s kind, complete (ready to submit) unless told otherwise, put in ``state``.

    Objects in later states are created directly in that state (no transitions), as the later issues'
    tests need them.
    """
    from django.core.files.base import ContentFile

    from poc.models import Attachment

    call = call or CallFactory()
    institution = institution or InstitutionFactory()
    created_by = created_by or applicant_of(institution)
    counter = Application.objects.count() + 1
    app = Application.objects.create(
        call=call, institution=institution, kind=call.kind, title=fields.pop("title", f"Application {counter}"),
        summary="A summary.", number=f"T-{counter:05d}-{institution.pk}", created_by=created_by,
    )
    if complete:
        from poc.models import Discipline

        app.disciplines.add(*Discipline.objects.filter(code__in=fields.pop("discipline_codes", ["ENG.MAT"])))
    if app.is_center:
        CenterDetails.objects.create(
            application=app, site_area_m2=Decimal("1200"), equipment_value=Decimal("8000000"), service_team_size=12,
            services=["secondary_development", "process_validation"], audited_spend_last_year=Decimal("1500000"),
            audited_spend_year_before=Decimal("1200000"), advisory_panel="Prof. A; Eng. B; Investor C",
            pipeline_size=15,
        ) if complete else CenterDetails.objects.create(application=app)
    else:
        ProjectDetails.objects.create(
            application=app, trl_now=3, trl_target=5, duration_months=18, requested_grant=Decimal("500000.00"),
            requested_investment=Decimal("0"), self_funded=Decimal("100000.00"), market_analysis="A market.",
        ) if complete else ProjectDetails.objects.create(application=app)
        if complete:
            IPItem.objects.create(application=app, number="ZL202310000001.1", title="A method", ip_type="invention_patent",
                                  owner=institution.name, status="granted")
            TeamMember.objects.create(application=app, name="李教授", role="负责人", is_lead=True)
            BudgetLine.objects.create(application=app, category="设备费", source="grant", amount=Decimal("500000.00"))
            BudgetLine.objects.create(application=app, category="材料费", source="self", amount=Decimal("100000.00"))
            PlannedMilestone.objects.create(application=app, month=6, title="Prototype", deliverables="A prototype")
    if complete:
        for code in call.required_attachment_types:
            att = Attachment(application=app, attachment_type=code, original_name=f"{code}.pdf", extension="pdf",
                             content_type="application/pdf", size=len(pdf_bytes()), sha256="0" * 64,
                             uploaded_by=created_by)
            att.file.save("f", ContentFile(pdf_bytes()), save=False)
            att.save()
        now = timezone.now()
        Application.objects.filter(pk=app.pk).update(
            integrity_pledged_at=now, integrity_pledged_by=created_by, ip_pledged_at=now, ip_pledged_by=created_by
        )
    for key, value in fields.items():
        Application.objects.filter(pk=app.pk).update(**{key: value})
    if state != "draft":
        extra = {}
        if state in ("submitted", "recommended", "under_review", "reviewed", "public_notice", "objection", "approved"):
            extra["submitted_at"] = timezone.now()
        if state == "returned":
            extra["revision_due"] = timezone.localdate() + timedelta(days=10)
        if state in ("public_notice", "objection"):
            extra["notice_starts_on"] = timezone.localdate()
            extra["notice_ends_on"] = call.notice_end(timezone.localdate())
        Application.objects.filter(pk=app.pk).update(state=state, **extra)
    return Application.objects.get(pk=app.pk)


def assign_expert(user, application):
    """``user`` (an expert) assigned to ``application``: the active assignment row from which the access
    policy lets an expert view it (review's relation), made directly, without the assignment use case."""
    from review.models import Assignment, AssignmentMethod
    from tests.review.factories import ExpertFactory

    profile = getattr(user, "expert_profile", None) or ExpertFactory(user=user)
    return Assignment.objects.create(application=application, expert=profile, method=AssignmentMethod.MANUAL,
                                     assigned_by=officer())


def consider_for_fund(user, application):
    """``user`` (a fund manager) manages the fund of a decision proposed for ``application``: the row from
    which the access policy lets the fund's managers view the application (funding's relation)."""
    from tests.funding.factories import DecisionFactory, FundFactory

    fund = FundFactory()
    user.groups.add(fund.group)
    return DecisionFactory(application=application, fund=fund)
