"""What fulfils a project's conversion obligation, as funding and transfer answer poc (issue §5): a registered
technology contract, a 先用后转 licence converted, landing evidence of the project's results, each dated on or
before the deadline. A contract recorded but not registered does not; another project's records do not."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from funding import contracts
from poc import gates
from poc.models import Project
from poc.projects.obligation import obligation_status
from tests.factories import applicant_of, officer
from tests.funding.factories import funded_project
from tests.poc.workflow_support import local_moment
from tests.transfer.factories import make_licence, make_result
from transfer.services.licences import convert_licence

pytestmark = pytest.mark.django_db

DUE = date(2026, 5, 12)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(local_moment(2026, 6, 1, 10, 0), tick=False):
        yield


@pytest.fixture
def project():
    project = funded_project()
    Project.objects.filter(pk=project.pk).update(obligation_due_on=DUE)
    return Project.objects.get(pk=project.pk)


def contract(project, **kw):
    fields = {"parties": "温州大学 / 温州固态电池有限公司", "seller_kind": "university", "buyer_kind": "enterprise",
              "contract_amount": Decimal("500000.00"), **kw}
    return contracts.register_contract(officer(), project, **fields)


def test_both_apps_answer_poc():
    assert {"funding", "transfer"} <= set(gates.transfer_records.owners)


def test_a_contract_registered_by_the_deadline_meets_the_obligation(project):
    contract(project, registration_number="330300000777", registered_on=DUE)
    status = obligation_status(project)
    assert status.met and not status.overdue
    assert [(r.reference, r.dated_on) for r in status.in_time] == [("330300000777", DUE)]


def test_a_contract_registered_the_day_after_does_not(project):
    contract(project, registration_number="330300000778", registered_on=date(2026, 5, 13))
    status = obligation_status(project)
    assert not status.met and status.overdue


def test_a_contract_recorded_but_not_registered_does_not(project):
    contract(project)
    status = obligation_status(project)
    assert status.records == [] and status.overdue


def test_a_converted_use_first_licence_of_the_projects_result_meets_it(project):
    result = make_result(project.institution, validation_application=project.application)
    licence = make_licence(result)
    convert_licence(applicant_of(project.institution), licence, contract_number="330300000901",
                    contract_amount=Decimal("800000.00"), registered_on=date(2026, 5, 2))
    status = obligation_status(project)
    assert status.met
    assert [(r.reference, r.dated_on) for r in status.records] == [("330300000901", date(2026, 5, 2))]


def test_another_projects_result_does_not(project):
    other = funded_project()
    licence = make_licence(make_result(other.institution, validation_application=other.application))
    convert_licence(applicant_of(other.institution), licence, contract_number="330300000902",
                    contract_amount=Decimal("800000.00"), registered_on=date(2026, 5, 2))
    assert not obligation_status(project).met
