"""Importing an institution's patent list (专利清单) as CSV or XLSX: preview first, then import whole or not at all.

Columns (the header row names them; English codes or the Chinese labels of :data:`HEADER_ALIASES`):

======================  ========  =============================================================================
title                   required  the result's title (≤ 200 characters)
result_type             required  invention_patent, utility_model, design, software, plant_variety, ic_layout,
                                  know_how, other (or the Chinese names: 发明专利, 实用新型…)
registration_number     required  the patent or registration number, unique in the institution's library
legal_status            required  pending, granted, lapsed (审中, 授权, 失效)
filed_on, granted_on    optional  YYYY-MM-DD; a granted result needs its grant date
last_transaction_on     optional  the last licence or transfer, YYYY-MM-DD
team, keywords          optional  keywords separated by commas
disciplines             optional  discipline codes (``ENG.MAT``) separated by ; or ,
trl                     optional  1–9
======================  ========  =============================================================================

:func:`parse_result_file` writes nothing and names every problem as (row, column, reason), with the row numbers
a spreadsheet shows (the header is row 1). Each clean row says whether it is dormant (沉睡专利: granted, no
licence or transfer for N years). :func:`import_results` refuses a preview with any problem.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.institutions.selectors import institution_of
from poc.models import Discipline
from poc.workflow import record_creation

from .models import LegalStatus, Result, ResultType
from .selectors import dormant_cutoff

COLUMNS = ("title", "result_type", "registration_number", "legal_status", "filed_on", "granted_on",
           "last_transaction_on", "team", "keywords", "disciplines", "trl")
REQUIRED = ("title", "result_type", "registration_number", "legal_status")
HEADER_ALIASES = {
    "名称": "title", "成果名称": "title", "专利名称": "title", "类型": "result_type", "成果类型": "result_type",
    "专利号": "registration_number", "登记号": "registration_number", "申请号": "registration_number",
    "法律状态": "legal_status", "申请日": "filed_on", "授权日": "granted_on", "最近转化日期": "last_transaction_on",
    "团队": "team", "发明人": "team", "关键词": "keywords", "学科领域": "disciplines", "技术成熟度": "trl",
}
TYPE_ALIASES = {"发明专利": "invention_patent", "实用新型": "utility_model", "外观设计": "design",
                "软件著作权": "software", "植物新品种": "plant_variety", "集成电路布图设计": "ic_layout",
                "技术秘密": "know_how", "其他": "other"}
STATUS_ALIASES = {"审中": "pending", "申请中": "pending", "授权": "granted", "有效": "granted", "失效": "lapsed"}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
_SPLIT = re.compile(r"[;,；，、\s]+")


class RowError(NamedTuple):
    row: int
    column: str
    reason: str


@dataclass
class ResultRow:
    row: int
    values: dict
    disciplines: list[str] = field(default_factory=list)
    dormant: bool = False


@dataclass
class ImportPreview:
    rows: list[ResultRow]
    errors: list[RowError]

    @property
    def clean(self) -> bool:
        return not self.errors and bool(self.rows)

    @property
    def dormant_count(self) -> int:
        return sum(r.dormant for r in self.rows)


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


def _rows(data: bytes, name: str) -> list[list]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError):
            raise _FileProblem(_("The file is not a readable XLSX workbook.")) from None
        try:
            return [list(v) for v in book.worksheets[0].iter_rows(values_only=True)][:MAX_ROWS + 2] \
                if book.worksheets else []
        finally:
            book.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _FileProblem(_("The file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”."))
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise _FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from None


def _date(raw: str, column: str, number: int, errors: list) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}", raw) else _raise()
    except ValueError:
        errors.append(RowError(number, column, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": raw}))
        return None


def _raise():
    raise ValueError


def _check_row(number: int, cells: dict, known_codes: set, seen_numbers: dict, taken: set, cutoff: date):
    errors: list[RowError] = []
    values = {}
    title = cells.get("title", "")
    if not title:
        errors.append(RowError(number, "title", _("A title is required.")))
    elif len(title) > 200:
        errors.append(RowError(number, "title", _("The title is too long (at most 200 characters).")))
    values["title"] = title
    kind = TYPE_ALIASES.get(cells.get("result_type", ""), cells.get("result_type", "").lower())
    if kind not in ResultType.values:
        errors.append(RowError(number, "result_type", _("Unknown type “%(value)s”; the types are: %(types)s.")
                               % {"value": cells.get("result_type", ""), "types": ", ".join(ResultType.values)}))
    values["result_type"] = kind
    reg = cells.get("registration_number", "")
    if not reg:
        errors.append(RowError(number, "registration_number", _("A patent or registration number is required.")))
    elif reg in seen_numbers:
        errors.append(RowError(number, "registration_number", _("“%(value)s” is also on row %(row)s.")
                               % {"value": reg, "row": seen_numbers[reg]}))
    elif reg in taken:
        errors.append(RowError(number, "registration_number", _("“%(value)s” is already in your library.")
                               % {"value": reg}))
    else:
        seen_numbers[reg] = number
    values["registration_number"] = reg
    status = STATUS_ALIASES.get(cells.get("legal_status", ""), cells.get("legal_status", "").lower())
    if status not in LegalStatus.values:
        errors.append(RowError(number, "legal_status", _("Unknown legal status “%(value)s”; use pending, granted "
                                                         "or lapsed.") % {"value": cells.get("legal_status", "")}))
    values["legal_status"] = status
    for column in ("filed_on", "granted_on", "last_transaction_on"):
        values[column] = _date(cells.get(column, ""), column, number, errors)
    if status == LegalStatus.GRANTED and values["granted_on"] is None and not any(e.column == "granted_on" for e in errors):
        errors.append(RowError(number, "granted_on", _("A granted result needs its grant date.")))
    values["team"] = cells.get("team", "")[:300]
    values["keywords"] = cells.get("keywords", "")[:300]
    trl = cells.get("trl", "")
    values["trl"] = None
    if trl:
        if trl.isdigit() and 1 <= int(trl) <= 9:
            values["trl"] = int(trl)
        else:
            errors.append(RowError(number, "trl", _("The TRL is a whole number from 1 to 9.")))
    codes = [c for c in _SPLIT.split(cells.get("disciplines", "")) if c]
    unknown = [c for c in codes if c not in known_codes]
    if unknown:
        errors.append(RowError(number, "disciplines", _("Unknown discipline codes: %(codes)s.")
                               % {"codes": ", ".join(unknown)}))
    granted, last = values["granted_on"], values["last_transaction_on"]
    dormant = (status == LegalStatus.GRANTED and granted is not None and granted <= cutoff
               and (last is None or last <= cutoff))
    return ResultRow(number, values, codes, dormant), errors


def parse_result_file(uploaded_file, institution) -> ImportPreview:
    """Read and check the file against ``institution``'s library. Writes nothing."""
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(MAX_BYTES + 1)
    data = data.encode() if isinstance(data, str) else bytes(data)
    if len(data) > MAX_BYTES:
        return ImportPreview([], [RowError(0, "", _("The file is larger than 5 MB."))])
    try:
        raw = _rows(data, getattr(uploaded_file, "name", "") or "")
    except _FileProblem as exc:
        return ImportPreview([], [RowError(0, "", str(exc))])
    raw = [r for r in raw if any(_text(c) for c in r)]
    if not raw:
        return ImportPreview([], [RowError(0, "", _("The file has no rows."))])
    if len(raw) > MAX_ROWS + 1:
        return ImportPreview([], [RowError(0, "", _("At most %(n)s rows per file.") % {"n": MAX_ROWS})])
    errors, columns = [], {}
    for i, cell in enumerate(raw[0]):
        name = _text(cell)
        if not name:
            continue
        code = HEADER_ALIASES.get(name, name.lower().replace(" ", "_"))
        if code not in COLUMNS:
            errors.append(RowError(1, name, _("Unknown column “%(column)s”; the columns are: %(columns)s.")
                                   % {"column": name, "columns": ", ".join(COLUMNS)}))
        elif code in columns.values():
            errors.append(RowError(1, code, _("The column “%(column)s” appears twice.") % {"column": code}))
        else:
            columns[i] = code
    errors += [RowError(1, c, _("Missing column “%(column)s”.") % {"column": c}) for c in REQUIRED
               if c not in columns.values()]
    if errors:
        return ImportPreview([], errors)
    known = set(Discipline.objects.values_list("code", flat=True))
    taken = set(Result.objects.filter(institution=institution).exclude(registration_number="")
                .values_list("registration_number", flat=True))
    cutoff, seen, rows = dormant_cutoff(), {}, []
    for offset, cells in enumerate(raw[1:], start=2):
        values = {code: _text(cells[i]) if i < len(cells) else "" for i, code in columns.items()}
        row, row_errors = _check_row(offset, values, known, seen, taken, cutoff)
        rows.append(row)
        errors.extend(row_errors)
    return ImportPreview(rows, errors)


@transaction.atomic
def import_results(actor, preview: ImportPreview) -> list[Result]:
    """Import a clean preview into the actor's institution's library, all rows or none."""
    require(actor, "create", Result())
    institution = institution_of(actor)
    if institution is None:
        raise NotNow(_("Register your institution, or join one, before adding results."))
    if not preview.clean:
        raise BadInput(_("The file has %(n)s problems; nothing was imported. Correct them and upload it again.")
                       % {"n": len(preview.errors)})
    fresh = parse_check_taken(institution, preview)
    if fresh:
        raise BadInput(*fresh)
    disciplines = {d.code: d for d in Discipline.objects.all()}
    created = []
    for row in preview.rows:
        result = Result.objects.create(institution=institution, created_by=actor, **row.values)
        if row.disciplines:
            result.disciplines.set([disciplines[c] for c in row.disciplines])
        record_creation(result, actor, _("Imported from a patent list."))
        created.append(result)
    return created


def parse_check_taken(institution, preview: ImportPreview) -> list[str]:
    """Numbers added to the library since the preview (the input changed meanwhile)."""
    numbers = [r.values["registration_number"] for r in preview.rows]
    taken = Result.objects.filter(institution=institution, registration_number__in=numbers).values_list(
        "registration_number", flat=True)
    return [_("“%(value)s” is already in your library.") % {"value": n} for n in taken]
