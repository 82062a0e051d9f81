"""A fund's ledgers through the export framework: the same rows as the XLSX ledger pages, and CSV too, for
officers and the fund's own managers (another fund's managers: 404; applicants and experts: refused)."""
from datetime import date

import pytest
from django.urls import reverse

from funding.models import Investment
from tests.factories import InstitutionFactory, applicant_of, expert, officer
from tests.funding.factories import (
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    investment,
    manager_of,
    project_application,
)
from tests.poc.export_support import as_dicts, csv_rows, download, sheet_rows, workbook_sheet
from tests.poc.pages_support import browser, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]


@pytest.fixture
def fund():
    fund = FundFactory(name="Alpha angel sub-fund")
    holding = investment(approved_decision(application=project_application(), fund=fund), amount="2000000.00",
                         invested_on=date(2026, 3, 1), pre_money="18000000.00")
    Investment.objects.filter(pk=holding.pk).update(investee_name="Alpha Spin-off Co.")
    return fund


def test_the_funds_manager_exports_the_investments_ledger_as_csv(fund):
    client = browser(manager_of(fund))
    rows = as_dicts(csv_rows(download(client, "fund-investments", "csv", fund=fund.pk)))
    assert [(r["Investee company"], r["Date"], r["Amount (yuan)"], r["Stake at investment (%)"],
             r["From a converted grant"]) for r in rows] == [("Alpha Spin-off Co.", "2026-03-01", "2000000.00",
                                                              "10.0000", "no")]
    page = text(client.get(reverse("funding:fund", args=[fund.pk])))
    assert reverse("export", args=["fund-investments", "csv"]) + f"?fund={fund.pk}" in page


def test_the_registered_xlsx_is_the_ledger_page_file(fund):
    client = browser(officer())
    ledger = sheet_rows(workbook_sheet(client.get(reverse("funding:export-investments", args=[fund.pk])).content))
    export = download(client, "fund-investments", "xlsx", fund=fund.pk)
    assert sheet_rows(workbook_sheet(export.content)) == ledger
    assert ledger[0][0] == "Alpha angel sub-fund" and ledger[2][0] == "Application"  # the fund, then the header


def test_other_funds_managers_applicants_and_experts_get_nothing(fund):
    assert download(browser(manager_of(FundFactory())), "fund-tranches", "csv", fund=fund.pk).status_code == 404
    for user in (applicant_of(InstitutionFactory()), expert()):
        refused = download(browser(user), "fund-investments", "csv", fund=fund.pk)
        assert refused.status_code == 403 and "can export a fund" in text(refused)
