"""Importing the expert pool from CSV or XLSX (a preview that reports every bad row; nothing imported until the
file is clean) and exporting it as XLSX; an export imports again into an empty pool."""
import csv
import io
from datetime import date, datetime

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from poc.access.relations import has_role
from poc.errors import BadInput, NotAllowed
from poc.roles import EXPERT
from review import importing
from review.expert_rows import COLUMNS, RowError
from review.importing import export_experts, import_experts, parse_expert_file
from review.models import Expert
from tests.factories import InstitutionFactory, UserFactory, applicant_of, make_credit_code, officer
from tests.review.factories import ExpertAffiliationFactory, ExpertFactory, local_moment

pytestmark = pytest.mark.django_db
User = get_user_model()

HEADER = list(COLUMNS)


@pytest.fixture(autouse=True)
def english_and_frozen():
    with translation.override("en"), time_machine.travel(local_moment(2026, 5, 12, 10, 0), tick=False):
        yield


@pytest.fixture
def off():
    return officer()


@pytest.fixture
def inst():
    return InstitutionFactory(name="Wenzhou Institute of Materials")


def good_rows(inst):
    return [
        ["刘教授", "Liu@ZJU.edu.cn", "浙江大学", "教授", "ENG.MAT; ENG.CHEM", "钙钛矿, 光伏", "12", "2026-01-05", ""],
        ["Sun Wei", "sun.wei@nimte.ac.cn", "Ningbo Institute of Materials", "Researcher", "ENG.MAT,ICT.AI",
         "graphene", "", "", inst.credit_code],
    ]


def csv_file(rows, *, header=HEADER, encoding="utf-8", name="experts.csv"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows, *, header=HEADER, name="experts.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows, header))


def counts():
    return Expert.objects.count(), User.objects.count()


def assert_refused_and_nothing_imported(off, preview):
    before = counts()
    with pytest.raises(BadInput) as exc:
        import_experts(off, preview)
    assert counts() == before
    return exc.value


# ----------------------------------------------------------------------------------------- clean files

def test_a_clean_csv(inst):
    preview = parse_expert_file(csv_file(good_rows(inst)))
    assert preview.errors == []
    assert preview.clean
    first, second = preview.rows
    assert (first.row, first.name, first.email, first.affiliation, first.title) == (
        2, "刘教授", "liu@zju.edu.cn", "浙江大学", "教授")
    assert first.disciplines == ["ENG.MAT", "ENG.CHEM"]
    assert (first.keywords, first.max_load, first.pledge_signed_on, first.institution_credit_code) == (
        "钙钛矿, 光伏", 12, date(2026, 1, 5), "")
    assert (second.row, second.disciplines, second.max_load, second.pledge_signed_on) == (
        3, ["ENG.MAT", "ICT.AI"], 15, None)
    assert second.institution_credit_code == inst.credit_code


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(inst, encoding):
    preview = parse_expert_file(csv_file(good_rows(inst), encoding=encoding))
    assert preview.errors == []
    assert [r.name for r in preview.rows] == ["刘教授", "Sun Wei"]
    assert preview.rows[0].keywords == "钙钛矿, 光伏"


def test_a_clean_xlsx_with_typed_cells(inst):
    rows = [
        ["刘教授", "liu@zju.edu.cn", "浙江大学", "教授", "ENG.MAT；ENG.CHEM", "钙钛矿", 12, datetime(2026, 1, 5), None],
        ["Sun Wei", "sun.wei@nimte.ac.cn", "NIMTE", None, "eng.mat", None, 20.0, date(2025, 12, 1), inst.credit_code],
    ]
    preview = parse_expert_file(xlsx_file(rows))
    assert preview.errors == []
    assert [(r.row, r.disciplines, r.max_load, r.pledge_signed_on) for r in preview.rows] == [
        (2, ["ENG.MAT", "ENG.CHEM"], 12, date(2026, 1, 5)),
        (3, ["ENG.MAT"], 20, date(2025, 12, 1)),
    ]


def test_chinese_headers_blank_lines_and_column_order(inst):
    header = ["邮箱", "姓名", "工作单位", "学科领域", "评审上限"]
    rows = [["liu@zju.edu.cn", "刘教授", "浙江大学", "ENG.MAT", "9"], ["", "", "", "", ""],
            ["sun@nimte.ac.cn", "孙研究员", "宁波材料所", "ENG.CHEM", ""]]
    preview = parse_expert_file(csv_file(rows, header=header))
    assert preview.errors == []
    assert [(r.row, r.name, r.email, r.max_load) for r in preview.rows] == [
        (2, "刘教授", "liu@zju.edu.cn", 9), (4, "孙研究员", "sun@nimte.ac.cn", 15)]


# ----------------------------------------------------------------------------------------- every error

GOOD = ["刘教授", "liu@zju.edu.cn", "浙江大学", "教授", "ENG.MAT", "", "12", "2026-01-05", ""]
I = {c: i for i, c in enumerate(COLUMNS)}  # noqa: E741


def with_(**changes):
    row = list(GOOD)
    for column, value in changes.items():
        row[I[column]] = value
    return row


CODE = make_credit_code(1)
WRONG_CODE = CODE[:17] + ("0" if CODE[-1] != "0" else "1")
ROW_ERRORS = {
    "missing name": (with_(name=""), "name", "Missing value: “name” is required."),
    "missing email": (with_(email=" "), "email", "Missing value: “email” is required."),
    "missing affiliation": (with_(affiliation=""), "affiliation", "Missing value: “affiliation” is required."),
    "missing disciplines": (with_(disciplines=""), "disciplines", "Missing value: “disciplines” is required."),
    "unknown discipline code": (with_(disciplines="ENG.MAT; ENG.QUANTUM"), "disciplines",
                                "Unknown discipline code “ENG.QUANTUM”."),
    "bad email": (with_(email="liu at zju.edu.cn"), "email", "“liu at zju.edu.cn” is not a valid email address."),
    "bad email domain": (with_(email="liu@"), "email", "“liu@” is not a valid email address."),
    "not a number": (with_(max_load="ten"), "max_load", "“ten” is not a whole number from 1 to 200."),
    "zero load": (with_(max_load="0"), "max_load", "“0” is not a whole number from 1 to 200."),
    "load too high": (with_(max_load="201"), "max_load", "“201” is not a whole number from 1 to 200."),
    "fractional load": (with_(max_load="2.5"), "max_load", "“2.5” is not a whole number from 1 to 200."),
    "date format": (with_(pledge_signed_on="2026/01/05"), "pledge_signed_on",
                    "“2026/01/05” is not a date in the form YYYY-MM-DD."),
    "impossible date": (with_(pledge_signed_on="2026-02-30"), "pledge_signed_on",
                        "“2026-02-30” is not a date in the form YYYY-MM-DD."),
    "future pledge": (with_(pledge_signed_on="2026-05-13"), "pledge_signed_on",
                      "The pledge date 2026-05-13 is in the future."),
    "bad credit code": (with_(institution_credit_code=WRONG_CODE), "institution_credit_code",
                        f"Wrong check character: the last character should be {CODE[-1]}, not {WRONG_CODE[-1]}."),
    "unknown credit code": (with_(institution_credit_code=make_credit_code(9999)), "institution_credit_code",
                            f"No registered institution has the credit code {make_credit_code(9999)}."),
    "name too long": (with_(name="长" * 101), "name", "Too long: at most 100 characters."),
}


@pytest.mark.parametrize("kind", list(ROW_ERRORS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_row_error_is_reported_and_nothing_is_imported(off, kind, fmt):
    row, column, reason = ROW_ERRORS[kind]
    good = with_(email="ok@example.org")
    upload = csv_file([good, row]) if fmt == "csv" else xlsx_file([good, row])
    preview = parse_expert_file(upload)
    assert preview.errors == [RowError(3, column, reason)]
    assert not preview.clean
    assert [r.row for r in preview.rows] == [2]  # the good row is previewed, the bad one is not
    error = assert_refused_and_nothing_imported(off, preview)
    assert error.messages == ["The file has 1 problem(s); nothing was imported. Correct the file and upload it again."]


def test_duplicate_email_in_the_file(off):
    rows = [GOOD, with_(name="刘教授 (2)"), with_(email="other@example.org"), with_(email="LIU@zju.edu.cn ")]
    preview = parse_expert_file(csv_file(rows))
    assert preview.errors == [
        RowError(3, "email", "Duplicate email: liu@zju.edu.cn is also in row 2."),
        RowError(5, "email", "Duplicate email: liu@zju.edu.cn is also in row 2."),
    ]
    assert [r.row for r in preview.rows] == [2, 4]
    assert_refused_and_nothing_imported(off, preview)


def test_email_already_in_the_pool_or_used_by_another_account(off, inst):
    ExpertFactory(user=UserFactory(username="liu@zju.edu.cn", roles=["expert"]))
    applicant_of(inst, username="applicant@example.org")
    rows = [with_(email="Liu@ZJU.edu.cn"), with_(email="new@example.org"), with_(email="applicant@example.org")]
    preview = parse_expert_file(xlsx_file(rows))
    assert preview.errors == [
        RowError(2, "email", "An expert with this email is already in the pool."),
        RowError(4, "email", "An account with this email already exists (not an expert); add it to the pool by hand."),
    ]
    assert [r.email for r in preview.rows] == ["new@example.org"]
    assert_refused_and_nothing_imported(off, preview)


def test_every_bad_row_is_reported_at_once():
    rows = [with_(name="", email="a@example.org", max_load="x"), GOOD, with_(email="bad", disciplines="XYZ", pledge_signed_on="yesterday")]
    preview = parse_expert_file(csv_file(rows))
    assert preview.errors == [
        RowError(2, "name", "Missing value: “name” is required."),
        RowError(2, "max_load", "“x” is not a whole number from 1 to 200."),
        RowError(4, "email", "“bad” is not a valid email address."),
        RowError(4, "disciplines", "Unknown discipline code “XYZ”."),
        RowError(4, "pledge_signed_on", "“yesterday” is not a date in the form YYYY-MM-DD."),
    ]
    assert [r.row for r in preview.rows] == [3]


@pytest.mark.parametrize(
    ("header", "errors"),
    [
        (["name", "affiliation", "disciplines"], [RowError(1, "email", "Missing column “email”.")]),
        ([*HEADER, "phone"], [RowError(1, "phone", "Unknown column “phone”; the columns are: "
                                                   + ", ".join(COLUMNS) + ".")]),
        ([*HEADER, "Email"], [RowError(1, "email", "The column “email” appears twice.")]),
    ],
)
def test_header_problems(off, header, errors):
    preview = parse_expert_file(csv_file([GOOD[: len(header)]], header=header))
    assert preview.errors == errors
    assert preview.rows == []
    assert_refused_and_nothing_imported(off, preview)


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("experts.xls", b"\xd0\xcf\x11\xe0"), "Upload a .csv or .xlsx file (this one is “experts.xls”)."),
        (SimpleUploadedFile("experts", b"name,email"), "Upload a .csv or .xlsx file (this one is “experts”)."),
        (SimpleUploadedFile("experts.csv", b""), "The file is empty."),
        (SimpleUploadedFile("experts.csv", b"\n\n,,\n"), "The file is empty."),
        (SimpleUploadedFile("experts.csv", b"\xff\xfe\xff"), "The file is neither UTF-8 nor GB18030 text; save it as "
                                                              "“CSV UTF-8”."),
        (SimpleUploadedFile("experts.xlsx", b"PK\x03\x04 not really a workbook"),
         "The file is not a readable XLSX workbook."),
        (SimpleUploadedFile("experts.xlsx", b"name,email\n"), "The file is not a readable XLSX workbook."),
    ],
    ids=["xls", "no extension", "empty", "blank lines", "not text", "broken zip", "csv named xlsx"],
)
def test_file_problems(off, upload, reason):
    preview = parse_expert_file(upload)
    assert preview.errors == [RowError(0, "", reason)]
    assert_refused_and_nothing_imported(off, preview)


def test_header_without_experts(off):
    for upload in (csv_file([]), xlsx_file([])):
        preview = parse_expert_file(upload)
        assert preview.errors == [RowError(0, "", "The file has a header but no experts.")]


def test_too_large_a_file(monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1024 * 1024)
    upload = SimpleUploadedFile("experts.csv", b"name,email\n" + b"a" * (1024 * 1024))
    assert parse_expert_file(upload).errors == [RowError(0, "", "The file is larger than 1 MB.")]


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 2)
    rows = [with_(email=f"e{i}@example.org") for i in range(3)]
    assert parse_expert_file(csv_file(rows)).errors == [RowError(0, "", "The file has more than 2 experts; split it.")]
    assert parse_expert_file(csv_file(rows[:2])).errors == []


# ---------------------------------------------------------------------------------------------- import

def test_import_creates_accounts_and_experts(off, inst):
    created = import_experts(off, parse_expert_file(csv_file(good_rows(inst))))
    assert [e.name for e in created] == ["刘教授", "Sun Wei"]
    liu, sun = (Expert.objects.get(pk=e.pk) for e in created)
    assert (liu.user.username, liu.user.email, liu.user.first_name) == ("liu@zju.edu.cn", "liu@zju.edu.cn", "刘教授")
    assert not liu.user.has_usable_password()  # until the expert sets one
    assert has_role(User.objects.get(pk=liu.user.pk), EXPERT)
    assert (liu.affiliation, liu.title, liu.keywords, liu.max_load_per_call, liu.pledge_signed_on) == (
        "浙江大学", "教授", "钙钛矿, 光伏", 12, date(2026, 1, 5))
    assert sorted(d.code for d in liu.disciplines.all()) == ["ENG.CHEM", "ENG.MAT"]
    assert liu.institution is None and liu.qualified and liu.active
    assert sun.institution == inst
    assert not sun.qualified  # no pledge yet
    assert sun.max_load_per_call == 15


@pytest.mark.parametrize("who", ["expert", "applicant"])
def test_only_officers_import(who, inst):
    user = ExpertFactory().user if who == "expert" else applicant_of(inst)
    preview = parse_expert_file(csv_file(good_rows(inst)))
    before = counts()
    with pytest.raises(NotAllowed) as exc:
        import_experts(user, preview)
    assert exc.value.messages == ["Only bureau officers can import experts."]
    assert counts() == before


def test_an_empty_preview_is_refused(off):
    with pytest.raises(BadInput):
        import_experts(off, importing.ImportPreview([], []))


def test_a_pool_that_changed_since_the_preview_imports_nothing(off, inst):
    preview = parse_expert_file(csv_file(good_rows(inst)))
    UserFactory(username="sun.wei@nimte.ac.cn")  # someone registered meanwhile
    error = assert_refused_and_nothing_imported(off, preview)
    assert error.messages == [
        "The pool changed since the preview; nothing was imported.",
        "Row 3: An account with this email already exists (not an expert); add it to the pool by hand."]


def test_import_is_one_transaction(off, inst, monkeypatch):
    """A failure on the second row leaves no trace of the first."""
    real_create = Expert.objects.create
    calls = []

    def failing_create(**kw):
        calls.append(kw["name"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_create(**kw)

    monkeypatch.setattr(Expert.objects, "create", failing_create)
    preview = parse_expert_file(csv_file(good_rows(inst)))
    before = counts()
    with pytest.raises(RuntimeError):
        import_experts(off, preview)
    assert counts() == before
    assert not User.objects.filter(username="liu@zju.edu.cn").exists()


# ---------------------------------------------------------------------------------------------- export

def read_xlsx(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_writes_the_import_columns(inst):
    ExpertFactory(name="Zhao", user=UserFactory(username="zhao@example.org", roles=["expert"]),
                  disciplines=["ICT.AI", "ENG.MAT"], keywords="sensors, AI", max_load_per_call=7,
                  pledge_signed_on=date(2026, 3, 1), institution=inst, title="Professor", affiliation="WZU")
    ExpertFactory(name="An", user=UserFactory(username="an@example.org", roles=["expert"]), pledge_signed_on=None,
                  title="", affiliation="ZJU")
    table = read_xlsx(export_experts())
    assert table[0] == HEADER
    assert [row[:2] for row in table[1:]] == [["An", "an@example.org"], ["Zhao", "zhao@example.org"]]
    zhao = dict(zip(HEADER, table[2], strict=True))
    assert zhao["disciplines"] == "ENG.MAT; ICT.AI"
    assert (zhao["max_load"], zhao["pledge_signed_on"], zhao["institution_credit_code"]) == (
        7, datetime(2026, 3, 1), inst.credit_code)


def test_export_of_a_given_queryset_only(inst):
    kept = ExpertFactory(name="Kept")
    ExpertFactory(name="Other")
    table = read_xlsx(export_experts(Expert.objects.filter(pk=kept.pk)))
    assert [row[0] for row in table[1:]] == ["Kept"]
    assert read_xlsx(export_experts(Expert.objects.none())) == [HEADER]


def test_export_never_writes_a_formula():
    ExpertFactory(name='=HYPERLINK("http://evil.example","click")', keywords="+cmd, @sum")
    sheet = openpyxl.load_workbook(io.BytesIO(export_experts())).worksheets[0]
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil.example","click")'
    assert sheet["F2"].data_type == "s"


def snapshot_pool():
    return sorted(
        (e.name, e.user.email, e.affiliation, e.title, tuple(sorted(d.code for d in e.disciplines.all())), e.keywords,
         e.max_load_per_call, e.pledge_signed_on, e.institution.credit_code if e.institution_id else "")
        for e in Expert.objects.select_related("user", "institution").prefetch_related("disciplines"))


def test_round_trip_export_then_import_into_an_empty_pool(off, inst):
    import_experts(off, parse_expert_file(csv_file(good_rows(inst))))
    ExpertFactory(name="钱高工", user=UserFactory(username="qian@chint.com", roles=["expert"]), affiliation="正泰电器",
                  title="正高级工程师", disciplines=["ENG.ELEC", "ENG.MECH"], keywords="低压电器, 数字孪生",
                  max_load_per_call=5, pledge_signed_on=date(2025, 11, 30))
    ExpertAffiliationFactory(expert=Expert.objects.get(name="钱高工"))  # affiliations are not in the file
    before = snapshot_pool()
    data = export_experts()

    # An empty pool: the experts and their accounts are gone.
    users = list(Expert.objects.values_list("user_id", flat=True))
    Expert.objects.all().delete()
    User.objects.filter(pk__in=users).delete()
    assert not Expert.objects.exists()

    preview = parse_expert_file(SimpleUploadedFile("pool.xlsx", data))
    assert preview.errors == []
    import_experts(off, preview)
    assert snapshot_pool() == before
    # And the export of the imported pool is the same file content.
    assert read_xlsx(export_experts()) == read_xlsx(data)


def test_a_large_file_is_checked_in_one_query(off, django_assert_max_num_queries):
    rows = [with_(name=f"专家{i}", email=f"expert{i}@example.org") for i in range(1500)]
    upload = csv_file(rows)
    with django_assert_max_num_queries(5):
        preview = parse_expert_file(upload)
    assert preview.errors == [] and len(preview.rows) == 1500
