"""Funding's exports, written by poc's export framework (``poc.exports``): a fund's ledgers (investments and
tranches, with the fund and the date above the header), served by ``funding.views.exports`` (at once) or
``funding.tasks`` (in the background, reporting progress); and the technology contracts, registered as an
export like every other table."""
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poc.access import applicant, fund_manager, officer
from poc.exports import (
    CONTENT_TYPES,
    DATE,
    INTEGER,
    PERCENT,
    YES_NO,
    Column,
    Export,
    Table,
    register,
    visible_param,
)
from poc.exports import MONEY as MONEY_COLUMN
from poc.exports.writers import write_xlsx

from . import figures
from .models import Investment, Tranche

XLSX = CONTENT_TYPES["xlsx"]


def _heading(fund):
    return [[fund.name, _("Exported on %(d)s") % {"d": timezone.localdate().isoformat()}], []]


def investments_table(fund) -> Table:
    """The fund's investments ledger, one row per investment."""
    def mark(read):
        return lambda inv: read(m) if (m := figures.latest_mark(inv)) is not None else None

    return Table([
        Column(_("Application"), lambda inv: inv.decision.application.number),
        Column(_("Project"), lambda inv: inv.decision.application.title),
        Column(_("Investee company"), lambda inv: inv.investee_name),
        Column(_("Unified social credit code"), lambda inv: inv.investee_credit_code),
        Column(_("Date"), lambda inv: inv.invested_on, DATE),
        Column(_("Amount (yuan)"), lambda inv: inv.amount, MONEY_COLUMN),
        Column(_("Pre-money valuation (yuan)"), lambda inv: inv.pre_money_valuation, MONEY_COLUMN),
        Column(_("Post-money valuation (yuan)"), lambda inv: inv.post_money_valuation, MONEY_COLUMN),
        Column(_("Stake at investment (%)"), lambda inv: inv.stake, PERCENT),
        Column(_("Stake held now (%)"), figures.held_stake, PERCENT),
        Column(_("From a converted grant"), lambda inv: inv.is_conversion, YES_NO),
        Column(_("Exit proceeds (yuan)"), lambda inv: sum((e.proceeds for e in inv.exits.all()), Decimal("0")),
               MONEY_COLUMN),
        Column(_("Latest mark (yuan)"), mark(lambda m: m.value), MONEY_COLUMN),
        Column(_("Latest mark on"), mark(lambda m: m.marked_on), DATE),
    ], investments_of(fund), heading=_heading(fund))


def investments_workbook(fund, progress=None) -> bytes:
    """The investments ledger as XLSX. ``progress``: called with the rows done so far (``poc.jobs.Progress``),
    with the total known from ``investments_of(fund).count()``."""
    return write_xlsx(_("Investments"), investments_table(fund), progress)


def investments_of(fund):
    return (Investment.objects.filter(fund=fund).select_related("decision__application")
            .prefetch_related("exits", "marks").order_by("invested_on", "id"))


def tranches_table(fund) -> Table:
    rows = (Tranche.objects.filter(decision__fund=fund).select_related("decision__application", "milestone")
            .order_by("decision__application__number", "part", "sequence"))
    return Table([
        Column(_("Application"), lambda t: t.decision.application.number),
        Column(_("Project"), lambda t: t.decision.application.title),
        Column(_("Part"), lambda t: t.get_part_display()),
        Column(_("No."), lambda t: t.sequence, INTEGER),
        Column(_("Amount (yuan)"), lambda t: t.amount, MONEY_COLUMN),
        Column(_("Condition: milestone"), lambda t: t.milestone.title if t.milestone else None),
        Column(_("Condition: date"), lambda t: t.release_on, DATE),
        Column(_("State"), lambda t: t.get_state_display()),
        Column(_("Released at"), lambda t: timezone.localtime(t.released_at).strftime("%Y-%m-%d %H:%M")
               if t.released_at else None),
        Column(_("Paid on"), lambda t: t.paid_on, DATE),
        Column(_("Payment reference"), lambda t: t.payment_reference or None),
    ], rows, heading=_heading(fund))


def tranches_workbook(fund) -> bytes:
    return write_xlsx(_("Tranches"), tranches_table(fund))


def file_name(fund, what) -> str:
    from django.utils.text import slugify

    return f"{slugify(what)}-fund-{fund.pk}-{timezone.localdate():%Y%m%d}.xlsx"


# ---------------------------------------------------------------- technology contracts (poc.exports)
# Offered through poc's export framework (CSV and XLSX, at once or in the background), registered in ready().

contract_exporters = (officer | applicant | fund_manager).refusing(
    gettext_lazy("Only bureau officers, the projects' institutions and their funds' managers can export technology "
      "contracts."))


def tech_contracts(user, params) -> Table:
    """Every technology contract the user may view (officers all; an institution its projects'; a fund's managers
    those of the projects their fund decided on), with the payments received so far."""
    from django.db.models import Prefetch

    from .selectors import contract_payments_visible_to, tech_contracts_visible_to

    rows = tech_contracts_visible_to(user).prefetch_related(
        Prefetch("payments", queryset=contract_payments_visible_to(user).order_by("received_on", "id"))
    ).order_by("registered_on", "registration_number")

    def received(contract):
        return sum((p.amount for p in contract.payments.all()), Decimal("0"))

    def last_paid(contract):
        payments = list(contract.payments.all())
        return payments[-1].received_on if payments else None

    return Table([
        Column(_("Registration number"), lambda c: c.registration_number),
        Column(_("Project number"), lambda c: c.project.project_number),
        Column(_("Project"), lambda c: c.project.title),
        Column(_("Institution"), lambda c: c.project.institution.name),
        Column(_("Parties"), lambda c: c.parties),
        Column(_("Contract amount (yuan)"), lambda c: c.contract_amount, MONEY_COLUMN),
        Column(_("Registered on"), lambda c: c.registered_on, DATE),
        Column(_("Amount received (yuan)"), received, MONEY_COLUMN),
        Column(_("Payments"), lambda c: len(c.payments.all()), INTEGER),
        Column(_("Last payment received on"), last_paid, DATE),
    ], rows)


def _fund_ledger(table):
    def source(user, params) -> Table:
        from .models import Fund

        return table(visible_param(user, params, "fund", Fund))  # 404: not a fund the user may view
    return source


def register_funding_exports() -> None:
    ledger_readers = (officer | fund_manager).refusing(
        gettext_lazy("Only bureau officers and fund managers can export a fund's ledgers."))
    register(Export("fund-investments", gettext_lazy("Investments"), who=ledger_readers,
                    source=_fund_ledger(investments_table), params=("fund",)))
    register(Export("fund-tranches", gettext_lazy("Tranches"), who=ledger_readers,
                    source=_fund_ledger(tranches_table), params=("fund",)))
    register(Export("tech-contracts", gettext_lazy("Technology contracts"), who=contract_exporters, source=tech_contracts))
