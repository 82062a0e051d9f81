"""The company record a fund's entry rules for 先投后股 read (issue 12 §7): founding date, registered and paid-in
capital, kept on the institution by its administrators, checked for sense, shown on its page."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from poc.models import Institution
from tests.factories import InstitutionFactory, applicant_of

from .api_support import API, api_client
from .pages_support import browser

pytestmark = pytest.mark.django_db


def record(inst):
    fresh = Institution.objects.get(pk=inst.pk)
    return fresh.founded_on, fresh.registered_capital, fresh.paid_in_capital


def test_company_record_is_kept_through_the_api():
    inst = InstitutionFactory(type="enterprise")
    client = api_client(applicant_of(inst))
    response = client.patch(f"{API}/institutions/{inst.pk}/", {
        "founded_on": "2023-03-10", "registered_capital": "10000000.00", "paid_in_capital": "3000000.00"},
        format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["founded_on"], response.json()["paid_in_capital"]) == ("2023-03-10", "3000000.00")
    assert record(inst) == (timezone.datetime(2023, 3, 10).date(), Decimal("10000000.00"), Decimal("3000000.00"))


@pytest.mark.parametrize(("fields", "message"), [
    ({"registered_capital": "1000000.00", "paid_in_capital": "1000000.01"},
     "The paid-in capital cannot exceed the registered capital."),
    ({"founded_on": "tomorrow"}, "The founding date cannot be in the future."),
])
def test_company_record_that_makes_no_sense_is_refused_and_nothing_changes(fields, message):
    inst = InstitutionFactory(type="enterprise")
    if fields.get("founded_on") == "tomorrow":
        fields = {"founded_on": (timezone.localdate() + timedelta(days=1)).isoformat()}
    response = api_client(applicant_of(inst), language="en").patch(f"{API}/institutions/{inst.pk}/", fields,
                                                                   format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert record(inst) == (None, None, None)


def test_company_record_is_shown_on_the_institution_page():
    inst = InstitutionFactory(type="enterprise")
    Institution.objects.filter(pk=inst.pk).update(founded_on="2022-06-18", registered_capital=Decimal("10000000"),
                                                  paid_in_capital=Decimal("6000000"))
    page = browser(applicant_of(inst)).get(reverse("institution-detail", args=[inst.pk])).content.decode()
    assert "2022-06-18" in page and "¥10,000,000.00 / ¥6,000,000.00" in page
