"""XLSX workbooks of a fund's ledgers (openpyxl): built here, served by ``funding.views.exports`` (at once) or
``funding.tasks`` (in the background, reporting progress); and the technology contracts, exported through poc's
framework (``poc.exports``) like every other table."""
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from poc.access import applicant, fund_manager, officer
from poc.exports import DATE, INTEGER, Column, Export, Table, register
from poc.exports import MONEY as MONEY_COLUMN

from . import figures
from .models import Investment, Tranche

MONEY = "#,##0.00"
PERCENT = "0.0000"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(title, fund, headers, rows, formats):
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([fund.name, _("Exported on %(d)s") % {"d": timezone.localdate().isoformat()}])
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append([str(h) for h in headers])
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for index, fmt in enumerate(formats, start=1):
        if fmt:
            for (cell,) in ws.iter_rows(min_row=4, min_col=index, max_col=index):
                cell.number_format = fmt
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(header)) + 4))
    ws.freeze_panes = "A4"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _f(value):
    """Money and stakes go to the sheet as numbers (Excel has no decimal type); exact to the cent."""
    return float(value) if isinstance(value, Decimal) else value


def investments_workbook(fund, progress=None) -> bytes:
    """The fund's investments ledger, one row per investment. ``progress``: called with the rows done so far
    (``poc.jobs.Progress``), with the total known from ``investments_of(fund).count()``."""
    headers = [_("Application"), _("Project"), _("Investee company"), _("Unified social credit code"), _("Date"),
               _("Amount (yuan)"), _("Pre-money valuation (yuan)"), _("Post-money valuation (yuan)"),
               _("Stake at investment (%)"), _("Stake held now (%)"), _("From a converted grant"),
               _("Exit proceeds (yuan)"), _("Latest mark (yuan)"), _("Latest mark on")]
    rows = []
    for done, inv in enumerate(investments_of(fund), start=1):
        mark = figures.latest_mark(inv)
        rows.append([
            inv.decision.application.number, inv.decision.application.title, inv.investee_name,
            inv.investee_credit_code, inv.invested_on, _f(inv.amount), _f(inv.pre_money_valuation),
            _f(inv.post_money_valuation), _f(inv.stake), _f(figures.held_stake(inv)),
            _("yes") if inv.is_conversion else _("no"), _f(sum((e.proceeds for e in inv.exits.all()), Decimal("0"))),
            _f(mark.value) if mark else None, mark.marked_on if mark else None,
        ])
        if progress is not None:
            progress(done)
    formats = [None, None, None, None, "yyyy-mm-dd", MONEY, MONEY, MONEY, PERCENT, PERCENT, None, MONEY, MONEY,
               "yyyy-mm-dd"]
    return sheet(_("Investments"), fund, headers, rows, formats)


def investments_of(fund):
    return (Investment.objects.filter(fund=fund).select_related("decision__application")
            .prefetch_related("exits", "marks").order_by("invested_on", "id"))


def tranches_workbook(fund) -> bytes:
    headers = [_("Application"), _("Project"), _("Part"), _("No."), _("Amount (yuan)"), _("Condition: milestone"),
               _("Condition: date"), _("State"), _("Released at"), _("Paid on"), _("Payment reference")]
    rows = []
    for t in (Tranche.objects.filter(decision__fund=fund).select_related("decision__application", "milestone")
              .order_by("decision__application__number", "part", "sequence")):
        rows.append([
            t.decision.application.number, t.decision.application.title, str(t.get_part_display()), t.sequence,
            _f(t.amount), t.milestone.title if t.milestone else None, t.release_on, str(t.get_state_display()),
            timezone.localtime(t.released_at).strftime("%Y-%m-%d %H:%M") if t.released_at else None, t.paid_on,
            t.payment_reference or None,
        ])
    formats = [None, None, None, None, MONEY, None, "yyyy-mm-dd", None, None, "yyyy-mm-dd", None]
    return sheet(_("Tranches"), fund, headers, rows, formats)


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


def register_funding_exports() -> None:
    register(Export("tech-contracts", gettext_lazy("Technology contracts"), who=contract_exporters, source=tech_contracts))
