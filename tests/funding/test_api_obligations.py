"""Transfer obligations and registered technology contracts over the API: the ¥2,000,000 boundary of the major
series (≥ ¥2,000,000.00 actually received and verified by the bureau), payments never in the future nor above the
contract amount, the overdue flag, and who sees, records and verifies what. Refusals change nothing."""
from datetime import timedelta

import pytest
from django.utils import timezone

from funding.models import ContractPayment, MajorSeriesCandidate, TechContract

from .api_support import approved, make_scene, project_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_scene()


def register(client, project, number="2026330300000123", **fields):
    body = {"project": project.pk, "registration_number": number, "parties": "温州大学 / 温州固态电池有限公司",
            "seller_kind": "university", "buyer_kind": "enterprise",
            "contract_amount": "3000000.00", "registered_on": "2026-04-01", **fields}
    return client.post(url("tech-contracts"), body, format="json")


def pay(client, contract_id, amount, on="2026-05-01"):
    return client.post(url("tech-contracts", contract_id, "payments"), {"amount": amount, "received_on": on},
                       format="json")


def verify(client, contract_id, payment_id, comment=""):
    return client.post(url("tech-contracts", contract_id, "payments", payment_id, "verify"), {"comment": comment},
                       format="json")


def pay_verified(s, client, contract_id, amount):
    payment = pay(client, contract_id, amount)
    assert payment.status_code == 201, payment.json()
    done = verify(s.client(s.officer), contract_id, payment.json()["id"])
    assert done.status_code == 200, done.json()
    return done


def test_the_major_series_boundary_is_two_million_actually_received_and_verified(s):
    project = project_for(s.application())
    applicant = s.client(s.applicant1)
    response = register(applicant, project)
    assert response.status_code == 201, response.json()
    contract = response.json()["id"]

    obligation = applicant.get(url("obligations", project)).json()
    assert obligation["contracts_count"] == 1
    assert obligation["total_received"] == "0.00"
    assert obligation["eligible_for_major_series"] is False
    assert obligation["major_series_threshold"] == "2000000.00"

    pay_verified(s, applicant, contract, "1500000.00")
    pay_verified(s, applicant, contract, "499999.99")
    obligation = applicant.get(url("obligations", project)).json()
    assert (obligation["total_received"], obligation["total_verified"]) == ("1999999.99", "1999999.99")
    assert obligation["eligible_for_major_series"] is False  # one cent short
    assert applicant.get(url("obligations"), {"eligible_for_major_series": "true"}).json()["results"] == []

    unverified = pay(applicant, contract, "0.01")
    obligation = applicant.get(url("obligations", project)).json()
    assert (obligation["total_received"], obligation["total_verified"]) == ("2000000.00", "1999999.99")
    assert obligation["eligible_for_major_series"] is False  # received, not verified: does not count

    assert verify(s.client(s.officer), contract, unverified.json()["id"]).json()["state"] == "verified"
    obligation = applicant.get(url("obligations", project)).json()
    assert obligation["total_verified"] == "2000000.00"
    assert obligation["eligible_for_major_series"] is True
    assert obligation["major_series_candidate_since"] is not None
    listed = applicant.get(url("obligations"), {"eligible_for_major_series": "true"}).json()["results"]
    assert [o["id"] for o in listed] == [project.pk]
    flagged = s.client(s.officer).get(url("obligations"), {"major_series_candidate": "true"}).json()["results"]
    assert [o["id"] for o in flagged] == [project.pk]

    detail = applicant.get(url("tech-contracts", contract)).json()
    assert (detail["received"], detail["verified"], detail["counts_for_major_series"]) == (
        "2000000.00", "2000000.00", True)
    assert [p["amount"] for p in detail["payments"]] == ["1500000.00", "499999.99", "0.01"]


def test_a_payment_today_is_recorded_and_tomorrow_refused(s):
    project = project_for(s.application())
    applicant = s.client(s.applicant1)
    contract = register(applicant, project).json()["id"]
    today = timezone.localdate()
    assert pay(applicant, contract, "1.00", on=today.isoformat()).status_code == 201
    refused = pay(applicant, contract, "1.00", on=(today + timedelta(days=1)).isoformat())
    assert refused.status_code == 400
    assert "received_on" in refused.json()["errors"]
    assert ContractPayment.objects.count() == 1


def test_receipts_reach_the_contract_amount_and_not_one_fen_more(s):
    project = project_for(s.application())
    applicant = s.client(s.applicant1)
    contract = register(applicant, project, contract_amount="1000000.00").json()["id"]
    assert pay(applicant, contract, "1000000.00").status_code == 201
    refused = pay(applicant, contract, "0.01")
    assert refused.status_code == 400 and "amount" in refused.json()["errors"]
    assert ContractPayment.objects.count() == 1

    amended = applicant.post(url("tech-contracts", contract, "amendment"),
                             {"contract_amount": "1200000.00", "reason": "补充协议"}, format="json")
    assert amended.status_code == 200 and amended.json()["contract_amount"] == "1200000.00"
    assert pay(applicant, contract, "0.01").status_code == 201


def test_an_amendment_without_a_reason_is_refused_and_changes_nothing(s):
    project = project_for(s.application())
    applicant = s.client(s.applicant1)
    contract = register(applicant, project, contract_amount="1000000.00").json()["id"]
    refused = applicant.post(url("tech-contracts", contract, "amendment"),
                             {"contract_amount": "1200000.00", "reason": ""}, format="json")
    assert refused.status_code == 400
    assert TechContract.objects.get().contract_amount == 1000000


def test_a_contract_not_registered_counts_once_registered(s):
    project = project_for(s.application())
    applicant = s.client(s.applicant1)
    contract = register(applicant, project, number="", registered_on=None).json()["id"]
    pay_verified(s, applicant, contract, "2000000.00")
    assert applicant.get(url("obligations", project)).json()["eligible_for_major_series"] is False
    registered = applicant.post(url("tech-contracts", contract, "registration"),
                                {"registration_number": "330300001234", "registered_on": "2026-04-02"},
                                format="json")
    assert registered.status_code == 200 and registered.json()["state"] == "registered"
    assert applicant.get(url("obligations", project)).json()["eligible_for_major_series"] is True


def test_only_officers_verify_and_a_refusal_changes_nothing(s):
    app = s.application()
    approved(s, app)
    project = project_for(app)
    applicant = s.client(s.applicant1)
    contract = register(applicant, project).json()["id"]
    payment = pay(applicant, contract, "2000000.00").json()["id"]
    for who in (s.applicant1, s.manager_a):
        refused = verify(s.client(who), contract, payment)
        assert refused.status_code == 403
        assert refused.json()["detail"] == "Only bureau officers can verify a payment."
    assert verify(s.client(s.applicant2), contract, payment).status_code == 404
    assert ContractPayment.objects.get().state == "recorded" and not MajorSeriesCandidate.objects.exists()
    no_reason = s.client(s.officer).post(url("tech-contracts", contract, "payments", payment, "refuse"),
                                         {"comment": ""}, format="json")
    assert no_reason.status_code == 400 and ContractPayment.objects.get().state == "recorded"


def test_payments_received_are_summed_over_every_contract_of_the_project(s):
    project = project_for(s.application())
    officer = s.client(s.officer)
    first = register(officer, project, "A-1").json()["id"]
    second = register(officer, project, "A-2").json()["id"]
    pay_verified(s, officer, first, "1000000.00")
    pay_verified(s, officer, second, "1000000.00")
    obligation = officer.get(url("obligations", project)).json()
    assert obligation["contracts_count"] == 2
    assert obligation["total_received"] == "2000000.00" and obligation["eligible_for_major_series"] is True


def test_a_payment_must_be_positive(s):
    project = project_for(s.application())
    contract = register(s.client(s.officer), project).json()["id"]
    assert pay(s.client(s.officer), contract, "0.00").status_code == 400
    assert pay(s.client(s.officer), contract, "-1").status_code == 400


def test_the_overdue_flag(s):
    today = timezone.localdate()
    late = project_for(s.application(), obligation_due_on=today - timedelta(days=1))
    due_today = project_for(s.application(), obligation_due_on=today)
    officer = s.client(s.officer)
    assert officer.get(url("obligations", late)).json()["overdue"] is True
    assert officer.get(url("obligations", due_today)).json()["overdue"] is False  # the due date is inclusive
    assert [o["id"] for o in officer.get(url("obligations"), {"overdue": "true"}).json()["results"]] == [late.pk]

    register(officer, late)
    assert officer.get(url("obligations", late)).json()["overdue"] is False
    assert officer.get(url("obligations"), {"overdue": "true"}).json()["results"] == []


def test_obligations_are_read_only(s):
    project = project_for(s.application())
    client = s.client(s.officer)
    assert client.post(url("obligations"), {}, format="json").status_code == 405
    assert client.patch(url("obligations", project), {"obligation": "x"}, format="json").status_code == 405


def test_who_sees_obligations_and_contracts(s):
    app = s.application()
    approved(s, app)  # fund A decided on it
    project = project_for(app)
    other = project_for(s.application(s.inst2))
    contract = register(s.client(s.applicant1), project).json()["id"]

    def listed(who, path):
        return sorted(o["id"] for o in s.client(who).get(url(path)).json()["results"])

    assert listed(s.officer, "obligations") == sorted([project.pk, other.pk])
    assert listed(s.applicant1, "obligations") == [project.pk]
    assert listed(s.applicant2, "obligations") == [other.pk]
    assert listed(s.manager_a, "obligations") == [project.pk]
    assert listed(s.manager_b, "obligations") == []
    assert s.client(s.applicant2).get(url("obligations", project)).status_code == 404
    assert s.client(s.manager_b).get(url("obligations", project)).status_code == 404

    assert listed(s.applicant2, "tech-contracts") == []
    assert s.client(s.applicant2).get(url("tech-contracts", contract)).status_code == 404
    assert s.client(s.applicant2).get(url("tech-contracts", contract, "payments")).status_code == 404
    assert pay(s.client(s.applicant2), contract, "1.00").status_code == 404
    assert listed(s.manager_a, "tech-contracts") == [contract]


def test_only_the_projects_institution_and_officers_record_contracts(s):
    app = s.application()
    approved(s, app)
    project = project_for(app)
    refused = register(s.client(s.manager_a), project)  # sees it, may not record
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the project's institution or a bureau officer can register a contract."
    hidden = register(s.client(s.applicant2), project)
    assert hidden.status_code == 400 and "project" in hidden.json()["errors"]
    assert not TechContract.objects.exists()
    assert register(s.client(s.officer), project).status_code == 201
    contract = TechContract.objects.get()
    assert pay(s.client(s.manager_a), contract.pk, "1.00").status_code == 403


def test_a_registration_number_is_unique(s):
    project = project_for(s.application())
    assert register(s.client(s.officer), project).status_code == 201
    again = register(s.client(s.officer), project)
    assert again.status_code == 400
    assert "registration_number" in again.json()["errors"]
