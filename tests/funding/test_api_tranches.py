"""Tranches over the API: planning within the approved amount, release on a date or a reported milestone,
payment with a reference, and never more released and paid than approved (409 naming the amounts)."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from funding.models import Tranche

from .api_support import D, approved, make_scene, project_for, propose, url

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def s():
    return make_scene()


def plan(client, decision, part="grant", amount="600000.00", **fields):
    body = {"decision": decision.pk, "part": part, "amount": amount, "release_on": str(YESTERDAY), **fields}
    return client.post(url("tranches"), body, format="json")


def step(client, tranche, name, **body):
    pk = tranche if isinstance(tranche, int) else tranche.pk
    return client.post(url("tranches", pk, "transitions", name), body, format="json")


def test_plan_release_and_pay_a_grant_tranche(s):
    decision = approved(s)
    officer = s.client(s.officer)
    response = plan(officer, decision)
    assert response.status_code == 201, response.json()
    tranche = response.json()
    assert tranche["sequence"] == 1 and tranche["state"] == "planned" and tranche["part"] == "grant"

    assert [t["name"] for t in officer.get(url("tranches", tranche["id"], "transitions")).json()] == ["release"]
    released = step(officer, tranche["id"], "release")
    assert released.status_code == 200
    assert released.json()["state"] == "released" and released.json()["released_at"]

    missing = step(officer, tranche["id"], "pay")
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"payment_reference": ["Required."]}
    paid = step(officer, tranche["id"], "pay", payment_reference="WZKJ-2026-0042", paid_on="2026-05-06")
    assert paid.status_code == 200
    assert paid.json()["state"] == "paid"
    assert paid.json()["payment_reference"] == "WZKJ-2026-0042" and paid.json()["paid_on"] == "2026-05-06"
    assert step(officer, tranche["id"], "pay", payment_reference="again").status_code == 409

    internals = officer.get(url("funding-decisions", decision)).json()["internals"]
    assert internals["grant_released"] == "600000.00"


def test_planning_beyond_the_approved_amount_is_refused_naming_the_amounts(s):
    decision = approved(s)
    officer = s.client(s.officer)
    assert plan(officer, decision, amount="600000.00").status_code == 201
    refused = plan(officer, decision, amount="500000.00")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Tranches would add up to 1100000.00, more than the approved 1000000.00."
    assert Tranche.objects.count() == 1
    assert plan(officer, decision, amount="400000.00").json()["sequence"] == 2


def test_a_release_that_would_overdraw_is_409_naming_the_amounts(s):
    decision = approved(s)
    officer = s.client(s.officer)
    first = plan(officer, decision, amount="700000.00").json()
    assert step(officer, first["id"], "release").status_code == 200
    # A tranche that would take more than what is left (e.g. from an import, or data entered before a change of
    # the approved amount): its release is refused, and nothing changes.
    extra = Tranche.objects.create(decision=decision, part="grant", sequence=2, amount=D("400000.00"),
                                   release_on=YESTERDAY)
    refused = step(officer, extra, "release")
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("Releasing 400000.00 would bring released and paid to 1100000.00, over the "
                                        "approved 1000000.00.")
    extra.refresh_from_db()
    assert extra.state == "planned" and extra.released_at is None


def test_a_tranche_waits_for_its_date_or_its_milestone(s):
    app = s.application()
    decision = approved(s, app)
    officer = s.client(s.officer)
    later = plan(officer, decision, amount="100000.00", release_on=str(timezone.localdate() + timedelta(days=5)))
    refused = step(officer, later.json()["id"], "release")
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("It can be released from ")

    project = project_for(app)
    milestone = project.milestones.create(month=6, title="Pilot line", deliverables="A pilot line")
    on_milestone = plan(officer, decision, amount="100000.00", release_on=None, milestone=milestone.pk)
    assert on_milestone.status_code == 201, on_milestone.json()
    assert on_milestone.json()["milestone_reported"] is False
    refused = step(officer, on_milestone.json()["id"], "release")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Its milestone “Pilot line” has not been reported yet."
    milestone.reported_at = timezone.now()
    milestone.save()
    assert step(officer, on_milestone.json()["id"], "release").status_code == 200


def test_a_milestone_of_another_project_is_refused(s):
    decision = approved(s)
    other = project_for(s.application(s.inst2))
    milestone = other.milestones.create(month=3, title="Elsewhere", deliverables="-")
    response = plan(s.client(s.officer), decision, release_on=None, milestone=milestone.pk)
    assert response.status_code == 400
    assert "milestone" in response.json()["errors"]


def test_a_tranche_needs_a_date_or_a_milestone(s):
    decision = approved(s)
    response = plan(s.client(s.officer), decision, release_on=None)
    assert response.status_code == 400
    assert response.json()["detail"] == "A tranche is released on a milestone or on a date: give one."


def test_grant_tranches_are_the_bureaus_equity_tranches_the_funds(s):
    decision = approved(s)
    manager, officer = s.client(s.manager_a), s.client(s.officer)
    assert plan(manager, decision, part="grant").status_code == 403
    assert plan(officer, decision, part="equity").status_code == 403
    equity = plan(manager, decision, part="equity", amount="2000000.00")
    assert equity.status_code == 201
    refused = step(officer, equity.json()["id"], "release")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only the fund's managers can release an equity tranche."
    assert step(manager, equity.json()["id"], "release").status_code == 200

    grant = plan(officer, decision).json()
    refused = step(manager, grant["id"], "release")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only bureau officers can release a grant tranche."


def test_a_tranche_of_an_unapproved_decision_cannot_be_released(s):
    decision = propose(s)
    response = plan(s.client(s.officer), decision)
    assert response.status_code == 201
    refused = step(s.client(s.officer), response.json()["id"], "release")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The funding decision is not approved."


def test_tranches_are_hidden_from_other_funds_and_from_applicants(s):
    decision = approved(s)
    tranche = plan(s.client(s.officer), decision).json()
    for who in (s.manager_b, s.applicant1):
        client = s.client(who)
        assert client.get(url("tranches")).json()["results"] == []
        assert client.get(url("tranches", tranche["id"])).status_code == 404
        assert step(client, tranche["id"], "release").status_code == 404
    assert [t["id"] for t in s.client(s.manager_a).get(url("tranches")).json()["results"]] == [tranche["id"]]
    assert plan(s.client(s.applicant1), decision).status_code == 403
    assert s.client(s.manager_b).post(url("tranches"), {"decision": decision.pk, "part": "equity", "amount": "1",
                                                        "release_on": str(date.today())},
                                      format="json").status_code == 400
