"""Writing a :class:`~poc.exports.Table` as CSV or XLSX: the same cells in both, typed by the column's kind.

* CSV is UTF-8 with a byte-order mark (Excel then opens Chinese text correctly), dates ``YYYY-MM-DD``, money
  and scores with two decimals and no thousands separator, booleans as 是/否 (yes/no) in the interface language.
* XLSX (openpyxl, written row by row so a large export stays small in memory): dates as date cells shown
  ``yyyy-mm-dd``, money as numbers shown ``#,##0.00`` (never text), headers bold, the header row frozen; a
  table's ``heading`` lines (a ledger's fund and date) go above the header.
* A text that starts like a formula (``=``, ``+``, ``-``, ``@``) never becomes one: an XLSX text cell stays
  text, and in CSV it is quoted with a leading apostrophe (spreadsheet formula injection).
"""
import codecs
import csv
import io
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from . import DATE, INTEGER, MONEY, NUMBER, PERCENT, YES_NO

CENTS = Decimal("0.01")
TEN_THOUSANDTHS = Decimal("0.0001")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMATS = {DATE: "yyyy-mm-dd", MONEY: "#,##0.00", NUMBER: "0.00", INTEGER: "0", PERCENT: "0.0000"}


def typed(value, kind):
    """The cell's value in Python: a date, a Decimal, a number, or text (None for an empty cell)."""
    if value is None or value == "":
        return None
    if kind == DATE:
        if isinstance(value, datetime):
            return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value
    if kind == MONEY:
        return Decimal(value).quantize(CENTS)
    if kind == NUMBER:  # scores and statistics: two decimals, as the pages show them
        return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENTS)
    if kind == PERCENT:
        return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(TEN_THOUSANDTHS)
    if kind == INTEGER:
        return int(value)
    if kind == YES_NO:
        return _("yes") if value else _("no")
    return str(value)


def csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(title, table, progress=None) -> bytes:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([str(column.header) for column in table.columns])
    for done, row in enumerate(table.rows, start=1):
        out.writerow([csv_text(typed(column.value(row), column.kind)) for column in table.columns])
        if progress is not None:
            progress(done)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def xlsx_cell(sheet, value, kind, bold=False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even when it starts with "="
    elif kind in XLSX_FORMATS:
        cell.number_format = XLSX_FORMATS[kind]
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(title, table, progress=None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, column in enumerate(table.columns, start=1):
        width = 12 if column.kind in XLSX_FORMATS else max(12, min(40, len(str(column.header)) * 2 + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{len(table.heading) + 2}"
    for number, line in enumerate(table.heading):
        sheet.append([xlsx_cell(sheet, str(value), None, bold=number == 0) for value in line])
    sheet.append([xlsx_cell(sheet, str(column.header), None, bold=True) for column in table.columns])
    for done, row in enumerate(table.rows, start=1):
        sheet.append([xlsx_cell(sheet, typed(column.value(row), column.kind), column.kind)
                      for column in table.columns])
        if progress is not None:
            progress(done)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(title) -> str:
    """A sheet's title: at most 31 characters, none of ``[]:*?/\\``."""
    text = "".join(c for c in str(title) if c not in "[]:*?/\\").strip()
    return text[:31] or "Sheet1"


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
