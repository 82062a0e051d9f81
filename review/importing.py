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
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.errors import BadInput, NotAllowed
from poc.models import Discipline, Institution
from poc.roles import EXPERT, forget_roles, is_officer
from poc.validators import validate_credit_code

from .models import Expert

COLUMNS = ("name", "email", "affiliation", "title", "disciplines", "keywords", "max_load", "pledge_signed_on",
           "institution_credit_code")
REQUIRED = ("name", "email", "affiliation", "disciplines")
HEADER_ALIASES = {
    "姓名": "name", "邮箱": "email", "电子邮箱": "email", "工作单位": "affiliation", "单位": "affiliation",
    "职称": "title", "学科领域": "disciplines", "学科/产业领域": "disciplines", "关键词": "keywords",
    "评审上限": "max_load", "承诺书签署日期": "pledge_signed_on", "统一社会信用代码": "institution_credit_code",
}
MAX_LENGTHS = {"name": 100, "affiliation": 200, "title": 100, "keywords": 300, "email": 150}
DEFAULT_MAX_LOAD = 15
MAX_LOAD_RANGE = (1, 200)
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FILE_ROW = 0  # the row number of problems with the file as a whole
_SPLIT_CODES = re.compile(r"[;,；，、\s]+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RowError(NamedTuple):
    row: int
    column: str
    reason: str


@dataclass
class ExpertRow:
    """One clean row of the file."""

    row: int
    name: str
    email: str
    affiliation: str
    title: str = ""
    disciplines: list[str] = field(default_factory=list)
    keywords: str = ""
    max_load: int = DEFAULT_MAX_LOAD
    pledge_signed_on: date | None = None
    institution_credit_code: str = ""


@dataclass
class ImportPreview:
    rows: list[ExpertRow]
    errors: list[RowError]

    @property
    def clean(self) -> bool:
        return not self.errors and bool(self.rows)


# ------------------------------------------------------------------------------------------- reading

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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


# ------------------------------------------------------------------------------------------- checking

def _header(number: int, cells) -> tuple[dict[int, str], list[RowError]]:
    """{cell index: column code} and the problems of the header (row ``number``)."""
    errors, columns, seen = [], {}, set()
    for i, cell in enumerate(cells):
        raw = _text(cell)
        if not raw:
            continue
        code = HEADER_ALIASES.get(raw, raw.lower().replace(" ", "_"))
        if code not in COLUMNS:
            errors.append(RowError(number, raw, _("Unknown column “%(column)s”; the columns are: %(columns)s.")
                                   % {"column": raw, "columns": ", ".join(COLUMNS)}))
        elif code in seen:
            errors.append(RowError(number, code, _("The column “%(column)s” appears twice.") % {"column": code}))
        else:
            seen.add(code)
            columns[i] = code
    for code in REQUIRED:
        if code not in seen:
            errors.append(RowError(number, code, _("Missing column “%(column)s”.") % {"column": code}))
    return columns, errors


def _max_load(value) -> int | None:
    if value in (None, ""):
        return DEFAULT_MAX_LOAD
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None
        number = int(value)
    else:
        text = _text(value)
        if not re.fullmatch(r"\d+", text):
            return None
        number = int(text)
    low, high = MAX_LOAD_RANGE
    return number if low <= number <= high else None


def _date(value) -> date | None | bool:
    """The date, None when empty, False when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not _ISO_DATE.match(text):
        return False
    try:
        return date.fromisoformat(text)
    except ValueError:
        return False


def _check_row(number: int, values: dict, known_codes: set[str], institutions: dict[str, int]):
    """(ExpertRow or None, errors) for one row of the file."""
    errors = []

    def bad(column, reason):
        errors.append(RowError(number, column, reason))

    text = {c: _text(values.get(c)) for c in COLUMNS if c not in ("max_load", "pledge_signed_on")}
    for column in REQUIRED:
        if not text[column]:
            bad(column, _("Missing value: “%(column)s” is required.") % {"column": column})
    for column, limit in MAX_LENGTHS.items():
        if len(text[column]) > limit:
            bad(column, _("Too long: at most %(n)s characters.") % {"n": limit})

    email = text["email"].lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            bad("email", _("“%(email)s” is not a valid email address.") % {"email": text["email"]})

    codes = []
    for raw in _SPLIT_CODES.split(text["disciplines"]):
        code = raw.strip().upper()
        if not code or code in codes:
            continue
        if code not in known_codes:
            bad("disciplines", _("Unknown discipline code “%(code)s”.") % {"code": raw.strip()})
        codes.append(code)

    max_load = _max_load(values.get("max_load"))
    if max_load is None:
        bad("max_load", _("“%(value)s” is not a whole number from %(low)s to %(high)s.")
            % {"value": _text(values.get("max_load")), "low": MAX_LOAD_RANGE[0], "high": MAX_LOAD_RANGE[1]})

    pledge = _date(values.get("pledge_signed_on"))
    if pledge is False:
        bad("pledge_signed_on", _("“%(value)s” is not a date in the form YYYY-MM-DD.")
            % {"value": _text(values.get("pledge_signed_on"))})
    elif pledge is not None and pledge > timezone.localdate():
        bad("pledge_signed_on", _("The pledge date %(date)s is in the future.") % {"date": pledge.isoformat()})

    credit_code = "".join(text["institution_credit_code"].split()).upper()
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            bad("institution_credit_code", " ".join(exc.messages))
        else:
            if credit_code not in institutions:
                bad("institution_credit_code",
                    _("No registered institution has the credit code %(code)s.") % {"code": credit_code})

    if errors:
        return None, errors
    return ExpertRow(row=number, name=text["name"], email=email, affiliation=text["affiliation"],
                     title=text["title"], disciplines=codes, keywords=text["keywords"], max_load=max_load,
                     pledge_signed_on=pledge or None, institution_credit_code=credit_code), []


def _taken_emails(emails) -> dict[str, str]:
    """{email: why it cannot be used} for emails (lower case) already in the pool or used by another account."""
    from django.db.models import Q
    from django.db.models.functions import Lower

    User = get_user_model()
    emails = sorted(set(emails))
    taken = {}
    if not emails:
        return taken
    users = list(User.objects.annotate(username_lower=Lower("username"), email_lower=Lower("email"))
                 .filter(Q(username_lower__in=emails) | Q(email_lower__in=emails))
                 .values_list("pk", "username_lower", "email_lower"))
    in_pool = set(Expert.objects.filter(user_id__in=[pk for pk, *_rest in users]).values_list("user_id", flat=True))
    for pk, username, mail in users:
        for key in {username, mail or ""} & set(emails):
            if pk in in_pool:
                taken[key] = _("An expert with this email is already in the pool.")
            else:
                taken.setdefault(key, _("An account with this email already exists (not an expert); add it to the "
                                        "pool by hand."))
    return taken


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
    numbered = [(i + 1, cells) for i, cells in enumerate(table) if any(_text(c) for c in cells)]
    if not numbered:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file is empty."))])
    if len(numbered) > MAX_ROWS + 1:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file has more than %(n)s experts; split it.")
                                           % {"n": MAX_ROWS})])
    (header_number, header_cells), body = numbered[0], numbered[1:]
    columns, errors = _header(header_number, header_cells)
    if errors:
        return ImportPreview([], errors)
    if not body:
        return ImportPreview([], [RowError(FILE_ROW, "", _("The file has a header but no experts."))])

    known_codes = set(Discipline.objects.values_list("code", flat=True))
    institutions = dict(Institution.objects.values_list("credit_code", "pk"))
    rows, first_row_of = [], {}
    for number, cells in body:
        values = {code: cells[i] if i < len(cells) else None for i, code in columns.items()}
        row, row_errors = _check_row(number, values, known_codes, institutions)
        errors.extend(row_errors)
        email = _text(values.get("email")).lower()
        if email and email in first_row_of:
            errors.append(RowError(number, "email", _("Duplicate email: %(email)s is also in row %(row)s.")
                                   % {"email": email, "row": first_row_of[email]}))
            row = None
        elif email:
            first_row_of[email] = number
        if row is not None:
            rows.append(row)
    for email, reason in sorted(_taken_emails(first_row_of).items(), key=lambda item: first_row_of[item[0]]):
        errors.append(RowError(first_row_of[email], "email", reason))
        rows = [r for r in rows if r.email != email]
    errors.sort(key=lambda e: (e.row, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return ImportPreview(rows, errors)


# ------------------------------------------------------------------------------------------- writing

@transaction.atomic
def import_experts(user, preview: ImportPreview) -> list[Expert]:
    """Create an account (role expert, no usable password until the expert sets one) and an Expert per row.

    Officers only. Refused, with nothing written, if the preview reports any problem or if the pool changed
    since the preview so that a row no longer fits.
    """
    if not is_officer(user):
        raise NotAllowed(_("Only bureau officers can import experts."))
    if preview.errors:
        raise BadInput(_("The file has %(n)s problem(s); nothing was imported. Correct the file and upload it "
                         "again.") % {"n": len(preview.errors)})
    if not preview.rows:
        raise BadInput(_("The file has no experts to import."))
    # Check again inside the transaction: another import or a new account may have taken an email since.
    taken = _taken_emails([r.email for r in preview.rows])
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
