"""The technology contracts export (registered by funding with poc's export framework): officers export every
contract, an institution its own projects' contracts, a fund's managers those of the projects their fund
decided on; experts are refused. Money is a typed number in XLSX, the amount received the sum of the payments."""
from datetime import date
from decimal import Decimal

import pytest

from funding.models import ContractPayment, TechContract
from tests.factories import InstitutionFactory, applicant_of, expert, officer
from tests.funding.factories import (
    FundFactory,
    approved_decision,
    english_and_fast,  # noqa: F401 (a fixture)
    funded_project,
    manager_of,
    project_application,
)
from tests.poc.export_support import as_dicts, csv_rows, download, sheet_rows, xlsx_sheet
from tests.poc.pages_support import browser, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_and_fast")]


class Contracts:
    def __init__(self):
        self.inst_a, self.inst_b = InstitutionFactory(name="Alpha University"), InstitutionFactory(name="Beta Lab")
        self.fund_a, self.fund_b = FundFactory(), FundFactory()
        self.officer = officer()
        self.project_a = funded_project(approved_decision(
            application=project_application(self.inst_a), fund=self.fund_a))
        self.project_b = funded_project(approved_decision(
            application=project_application(self.inst_b), fund=self.fund_b))
        self.contract_a = TechContract.objects.create(
            project=self.project_a, registration_number="330300A0001", parties="Alpha University; 瓯江新材料有限公司",
            contract_amount=Decimal("3000000.00"), registered_on=date(2026, 8, 1), recorded_by=self.officer)
        self.contract_b = TechContract.objects.create(
            project=self.project_b, registration_number="330300B0002", parties="Beta Lab; Other Co.",
            contract_amount=Decimal("1200000.50"), registered_on=date(2026, 9, 2), recorded_by=self.officer)
        ContractPayment.objects.create(contract=self.contract_a, amount=Decimal("1500000.00"),
                                       received_on=date(2026, 9, 1))
        ContractPayment.objects.create(contract=self.contract_a, amount=Decimal("700000.25"),
                                       received_on=date(2026, 11, 3))


@pytest.fixture
def contracts():
    return Contracts()


def numbers(response):
    return [row["Registration number"] for row in as_dicts(csv_rows(response))]


def test_the_officer_exports_every_contract_with_the_amount_received(contracts):
    rows = as_dicts(csv_rows(download(browser(contracts.officer), "tech-contracts", "csv")))
    assert [r["Registration number"] for r in rows] == ["330300A0001", "330300B0002"]
    first = rows[0]
    assert (first["Contract amount (yuan)"], first["Amount received (yuan)"], first["Payments"]) == (
        "3000000.00", "2200000.25", "2")
    assert (first["Registered on"], first["Last payment received on"]) == ("2026-08-01", "2026-11-03")
    assert first["Institution"] == "Alpha University" and first["Parties"] == "Alpha University; 瓯江新材料有限公司"


def test_the_xlsx_has_numbers_for_money(contracts):
    sheet = xlsx_sheet(download(browser(contracts.officer), "tech-contracts", "xlsx"))
    header = [c.value for c in sheet[1]]
    for column, value in (("Contract amount (yuan)", Decimal("3000000.00")),
                          ("Amount received (yuan)", Decimal("2200000.25"))):
        cell = sheet.cell(row=2, column=header.index(column) + 1)
        assert cell.data_type == "n" and cell.number_format == "#,##0.00"
        assert Decimal(str(cell.value)) == value
    assert sheet.cell(row=2, column=header.index("Registered on") + 1).is_date


def test_each_institution_and_each_funds_managers_export_only_their_own(contracts):
    assert numbers(download(browser(applicant_of(contracts.inst_a)), "tech-contracts", "csv")) == ["330300A0001"]
    assert numbers(download(browser(applicant_of(contracts.inst_b)), "tech-contracts", "csv")) == ["330300B0002"]
    assert numbers(download(browser(manager_of(contracts.fund_b)), "tech-contracts", "csv")) == ["330300B0002"]
    response = download(browser(manager_of(contracts.fund_a)), "tech-contracts", "xlsx")
    assert [r[0] for r in sheet_rows(xlsx_sheet(response))[1:]] == ["330300A0001"]
    assert b"Beta Lab" not in download(browser(applicant_of(contracts.inst_a)), "tech-contracts", "csv").content


def test_experts_are_refused(contracts):
    refused = download(browser(expert()), "tech-contracts", "csv")
    assert refused.status_code == 403 and "can export technology contracts" in text(refused)


def test_the_overdue_obligations_page_links_to_the_export(contracts):
    from django.urls import reverse

    body = text(browser(contracts.officer).get(reverse("funding:overdue-obligations")))
    assert reverse("export", args=["tech-contracts", "xlsx"]) in body
