"""Importing and exporting the expert pool (评审专家库) as a CSV or XLSX file.

Columns (the header row names them; English codes, or the Chinese labels of :data:`HEADER_ALIASES`):

=========================  ========  ================================================================
name                       required  the expert's name (≤ 100 characters)
email                      required  one account per email; it becomes the account's user name
affiliation                required  the current employer, as written (≤ 200 characters)
title                      optional  professional title (职称)
disciplines                required  discipline codes (poc.Discipline, e.g. ``ENG.MAT``), separated by ; or ,
keywords                   optional  separated by commas
max_load                   optional  reviews per call, a whole number 1–200 (default 15)
pledge_signed_on           optional  date the integrity and confidentiality pledge was signed, YYYY-MM-DD
institution_credit_code    optional  unified social credit code of the employer, if it is a registered institution
=========================  ========  ================================================================

:func:`parse_expert_file` reads the file and reports every problem as (row number, column, reason) with
the row numbers a spreadsheet shows (the header is row 1; row 0 is the file itself). It writes nothing.
:func:`import_experts` imports a clean preview in one transaction and refuses one with any problem, so a
file is imported whole or not at all. :func:`export_experts` writes the pool as XLSX with the same
columns, so an export can be imported again.

CSV files are read as UTF-8 (with or without a byte-order mark), else as GB18030 (what Excel writes on a
Chinese Windows). XLSX files are read with openpyxl (first sheet, cell values, not formulas).
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import require
from poc.access.relations import forget_roles
from poc.errors import BadInput
from poc.models import Discipline, Institution
from poc.roles import EXPERT

from .expert_rows import (
    COLUMNS,
    FILE_ROW,
    ExpertRow,
    RowError,
    cell_text,
    check_row,
    read_header,
    taken_emails,
)
from .models import Expert

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


@dataclass
class ImportPreview:
    rows: list[ExpertRow]
    errors: list[RowError]

    @property
    def clean(self) -> bool:
        return not self.errors and bool(self.rows)


def _read_bytes(uploaded_file) -> bytes:
    if hasattr(uploaded_file, "seek"):
        try:
            uploaded_file.seek(0)
        except (OSError, ValueError):
            pass
    data = uploaded_file.read(MAX_BYTES + 1)
    return data.encode() if isinstance(data, str) else bytes(data)


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(data: bytes):
    text = _decode(data)
    if text is None:
        raise _FileProblem(_("The file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”."))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _xlsx_rows(data: bytes):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError):
        raise _FileProblem(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


class _FileProblem(Exception):
    pass


def parse_expert_file(uploaded_file) -> ImportPreview:
    """Read a .csv or .xlsx file of experts; every problem is reported, nothing is written."""
    name = (getattr(uploaded_file, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in ("csv", "xlsx"):
        return ImportPreview([], [RowError(FILE_ROW, "", _("Upload a .csv or .xlsx file (this one is “%(name)s”).")
                                           % {"name": getattr(uploaded_file, "name", "") or "?"})])
    data = _read_bytes(uploaded_file)
    if len(data) > MAX_BYTES:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file is larger than %(mb)s MB.")
                                           % {"mb": MAX_BYTES // (1024 * 1024)})])
    try:
        table = _csv_rows(data) if extension == "csv" else _xlsx_rows(data)
    except _FileProblem as exc:
        return ImportPreview([], [RowError(FILE_ROW, "", str(exc))])

    # Skip blank lines before the header; the header's own row number is kept for the messages.
    numbered = [(i + 1, cells) for i, cells in enumerate(table) if any(cell_text(c) for c in cells)]
    if not numbered:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file is empty."))])
    if len(numbered) > MAX_ROWS + 1:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file has more than %(n)s experts; split it.")
                                           % {"n": MAX_ROWS})])
    (header_number, header_cells), body = numbered[0], numbered[1:]
    columns, errors = read_header(header_number, header_cells)
    if errors:
        return ImportPreview([], errors)
    if not body:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file has a header but no experts."))])

    known_codes = set(Discipline.objects.values_list("code", flat=True))
    institutions = dict(Institution.objects.values_list("credit_code", "pk"))
    rows, first_row_of = [], {}
    for number, cells in body:
        values = {code: cells[i] if i < len(cells) else None for i, code in columns.items()}
        row, row_errors = check_row(number, values, known_codes, institutions)
        errors.extend(row_errors)
        email = cell_text(values.get("email")).lower()
        if email and email in first_row_of:
            errors.append(RowError(number, "email", _("Duplicate email: %(email)s is also in row %(row)s.")
                                   % {"email": email, "row": first_row_of[email]}))
            row = None
        elif email:
            first_row_of[email] = number
        if row is not None:
            rows.append(row)
    for email, reason in sorted(taken_emails(first_row_of).items(), key=lambda item: first_row_of[item[0]]):
        errors.append(RowError(first_row_of[email], "email", reason))
        rows = [r for r in rows if r.email != email]
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return ImportPreview(rows, errors)


@transaction.atomic
def import_experts(user, preview: ImportPreview) -> list[Expert]:
    """Create an account (role expert, no usable password until the expert sets one) and an Expert per row.

    Officers only. Refused, with nothing written, if the preview reports any problem or if the pool changed
    since the preview so that a row no longer fits.
    """
    require(user, "import_experts", Expert)
    if preview.errors:
        raise BadInput(_("The file has %(n)s problem(s); nothing was imported. Correct the file and upload it "
                         "again.") % {"n": len(preview.errors)})
    if not preview.rows:
        raise BadInput(_("The file has no experts to import."))
    # Check again inside the transaction: another import or a new account may have taken an email since.
    taken = taken_emails([r.email for r in preview.rows])
    disciplines = {d.code: d for d in Discipline.objects.filter(code__in={c for r in preview.rows
                                                                           for c in r.disciplines})}
    institutions = dict(Institution.objects.filter(
        credit_code__in={r.institution_credit_code for r in preview.rows if r.institution_credit_code})
        .values_list("credit_code", "pk"))
    problems = []
    for r in preview.rows:
        if r.email in taken:
            problems.append(_("Row %(row)s: %(reason)s") % {"row": r.row, "reason": taken[r.email]})
        missing = [c for c in r.disciplines if c not in disciplines]
        if missing:
            problems.append(_("Row %(row)s: unknown discipline codes %(codes)s.")
                            % {"row": r.row, "codes": ", ".join(missing)})
        if r.institution_credit_code and r.institution_credit_code not in institutions:
            problems.append(_("Row %(row)s: no registered institution has the credit code %(code)s.")
                            % {"row": r.row, "code": r.institution_credit_code})
    if problems:
        raise BadInput(_("The pool changed since the preview; nothing was imported."), *problems)

    User = get_user_model()
    role = Group.objects.get(name=EXPERT)
    created = []
    for r in preview.rows:
        account = User(username=r.email, email=r.email, first_name=r.name[:150])
        account.set_unusable_password()
        account.save()
        account.groups.add(role)
        forget_roles(account)
        expert = Expert.objects.create(
            user=account, name=r.name, affiliation=r.affiliation, title=r.title, keywords=r.keywords,
            max_load_per_call=r.max_load, pledge_signed_on=r.pledge_signed_on,
            institution_id=institutions.get(r.institution_credit_code))
        expert.disciplines.set([disciplines[c] for c in r.disciplines])
        created.append(expert)
    return created


def export_experts(experts=None, progress=None) -> bytes:
    """The pool as an XLSX workbook with the import's columns (one header row, one row per expert).

    ``experts``: the experts to write, already permission-filtered by the caller (e.g.
    ``review.selectors.experts_visible_to(user)``); all of them when None. Text is written as text, never as
    a formula, whatever it starts with. ``progress``: called with the number of rows written after each row
    (``poc.jobs.Progress`` reports every 50 of them).
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    qs = Expert.objects.all() if experts is None else experts
    qs = qs.select_related("user", "institution").prefetch_related("disciplines").order_by("name", "pk")
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Experts"))
    sheet.append(list(COLUMNS))

    def text_cell(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # "=…" stays text: no formula injection into whoever opens the file
        return cell

    for done, e in enumerate(qs, start=1):
        pledge = WriteOnlyCell(sheet, value=e.pledge_signed_on)
        if e.pledge_signed_on:
            pledge.number_format = "yyyy-mm-dd"
        sheet.append([
            text_cell(e.name), text_cell(e.user.email or e.user.username), text_cell(e.affiliation),
            text_cell(e.title), text_cell("; ".join(sorted(d.code for d in e.disciplines.all()))),
            text_cell(e.keywords), e.max_load_per_call, pledge,
            text_cell(e.institution.credit_code if e.institution_id else ""),
        ])
        if progress is not None:
            progress(done)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
