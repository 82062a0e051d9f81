"""Factories of the transfer tests: results in any stage, enterprises, demands, roadshows, licences."""
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from poc.models import Discipline, InstitutionType, Membership
from tests.factories import InstitutionFactory, UserFactory, applicant_of
from transfer.models import Demand, Licence, Result, Roadshow, RoadshowPresentation


def enterprise(verified=True, **kw):
    return InstitutionFactory(type=InstitutionType.ENTERPRISE, verified=verified, **kw)


def enterprise_user(institution=None, **kw):
    """A user with the enterprise role, active member of a (verified) enterprise."""
    institution = institution or enterprise()
    user = UserFactory(roles=["enterprise"], **kw)
    Membership.objects.create(user=user, institution=institution, status=Membership.Status.ACTIVE, is_admin=True)
    user.groups.add(institution.group)
    return user


def make_result(institution=None, *, stage="collected", published=True, codes=("ENG.MAT",), keywords="电池, 材料",
                created_by=None, **fields):
    institution = institution or InstitutionFactory()
    created_by = created_by or applicant_of(institution)
    defaults = dict(title="一种固态电池电解质", result_type="invention_patent", registration_number="ZL2020100000001",
                    legal_status="granted", granted_on=date(2020, 5, 1), public_summary="固态电池电解质的制备方法。",
                    confidential_detail="SECRET-FORMULA-42", transfer_modes=["licence", "use_first"], trl=4)
    defaults.update(fields)
    result = Result.objects.create(institution=institution, created_by=created_by, keywords=keywords,
                                   published=published, **defaults)
    result.disciplines.set(Discipline.objects.filter(code__in=codes))
    if stage != "collected":
        Result.objects.filter(pk=result.pk).update(stage=stage)
        result.refresh_from_db()
    return result


def make_demand(enterprise_institution=None, *, state="published", disclosure="public", codes=("ENG.MAT",),
                keywords="电池", created_by=None, **fields):
    enterprise_institution = enterprise_institution or enterprise()
    created_by = created_by or enterprise_user(enterprise_institution)
    defaults = dict(title="寻找电池材料技术", problem="需要提升电池能量密度。",
                    deadline=timezone.localdate() + timedelta(days=60))
    defaults.update(fields)
    demand = Demand.objects.create(enterprise=enterprise_institution, created_by=created_by, keywords=keywords,
                                   disclosure=disclosure, **defaults)
    demand.disciplines.set(Discipline.objects.filter(code__in=codes))
    if state != "draft":
        Demand.objects.filter(pk=demand.pk).update(state=state)
        demand.refresh_from_db()
    return demand


def make_roadshow(results=(), *, state="planned", created_by=None):
    created_by = created_by or UserFactory(roles=["officer"])
    roadshow = Roadshow.objects.create(theme="温州好成果 · 新材料专场", held_on=timezone.localdate(), place="温州",
                                       created_by=created_by)
    for i, result in enumerate(results):
        RoadshowPresentation.objects.create(roadshow=roadshow, result=result, order=i)
    if state != "planned":
        Roadshow.objects.filter(pk=roadshow.pk).update(state=state)
        roadshow.refresh_from_db()
    return roadshow


def make_licence(result=None, licensee=None, *, state="trial", ends_in_days=30, created_by=None):
    result = result or make_result()
    licensee = licensee or enterprise()
    today = timezone.localdate()
    licence = Licence.objects.create(
        result=result, licensee=licensee, trial_starts_on=today - timedelta(days=90),
        trial_ends_on=today + timedelta(days=ends_in_days), success_criteria="良品率 ≥ 95%",
        fee_on_success=Decimal("800000.00"), created_by=created_by or result.created_by)
    if state != "trial":
        Licence.objects.filter(pk=licence.pk).update(state=state)
        licence.refresh_from_db()
    return licence


def group(code):
    return Group.objects.get(name=code)
