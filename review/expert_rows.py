"""The columns of the expert file (评审专家库) and the checks of one row: what :mod:`review.importing`
reads, each problem reported as (row number, column, reason)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from poc.validators import validate_credit_code

from .models import Expert
from .models.experts import DEFAULT_MAX_LOAD, MAX_LOAD_RANGE

COLUMNS = ("name", "email", "affiliation", "title", "disciplines", "keywords", "max_load", "pledge_signed_on",
           "institution_credit_code")

REQUIRED = ("name", "email", "affiliation", "disciplines")

HEADER_ALIASES = {
    "姓名": "name", "邮箱": "email", "电子邮箱": "email", "工作单位": "affiliation", "单位": "affiliation",
    "职称": "title", "学科领域": "disciplines", "学科/产业领域": "disciplines", "关键词": "keywords",
    "评审上限": "max_load", "承诺书签署日期": "pledge_signed_on", "统一社会信用代码": "institution_credit_code",
}

# The lengths the model allows (the email becomes the account's username, hence its limit).
MAX_LENGTHS = {**{name: Expert._meta.get_field(name).max_length for name in ("name", "affiliation", "title", "keywords")},
               "email": get_user_model()._meta.get_field("username").max_length}
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


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def read_header(number: int, cells) -> tuple[dict[int, str], list[RowError]]:
    """{cell index: column code} and the problems of the header (row ``number``)."""
    errors, columns, seen = [], {}, set()
    for i, cell in enumerate(cells):
        raw = cell_text(cell)
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
        text = cell_text(value)
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
    text = cell_text(value)
    if not _ISO_DATE.match(text):
        return False
    try:
        return date.fromisoformat(text)
    except ValueError:
        return False


def check_row(number: int, values: dict, known_codes: set[str], institutions: dict[str, int]):
    """(ExpertRow or None, errors) for one row of the file."""
    errors = []

    def bad(column, reason):
        errors.append(RowError(number, column, reason))

    text = {c: cell_text(values.get(c)) for c in COLUMNS if c not in ("max_load", "pledge_signed_on")}
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
            % {"value": cell_text(values.get("max_load")), "low": MAX_LOAD_RANGE[0], "high": MAX_LOAD_RANGE[1]})

    pledge = _date(values.get("pledge_signed_on"))
    if pledge is False:
        bad("pledge_signed_on", _("“%(value)s” is not a date in the form YYYY-MM-DD.")
            % {"value": cell_text(values.get("pledge_signed_on"))})
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


def taken_emails(emails) -> dict[str, str]:
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
