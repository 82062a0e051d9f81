"""Importing a patent list: every bad row named, nothing imported until the whole file is clean; dormant flagged."""
import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from poc.errors import BadInput
from tests.factories import InstitutionFactory, applicant_of
from transfer.importing import import_results, parse_result_file
from transfer.models import Result

from .factories import make_result

pytestmark = pytest.mark.django_db

HEADER = "title,result_type,registration_number,legal_status,granted_on,last_transaction_on,disciplines,keywords,trl\n"


def csv_file(body: str, header: str = HEADER):
    return SimpleUploadedFile("patents.csv", (header + body).encode("utf-8"), content_type="text/csv")


def test_every_bad_row_is_named_and_nothing_is_imported():
    institution = InstitutionFactory()
    user = applicant_of(institution)
    make_result(institution, registration_number="ZL-TAKEN", created_by=user)
    body = (
        "好成果,invention_patent,ZL-1,granted,2018-01-01,,ENG.MAT,电池,4\n"      # row 2: fine (dormant)
        ",invention_patent,ZL-2,granted,2020-01-01,,,,\n"                        # row 3: no title
        "成果三,rocket,ZL-3,granted,2020-01-01,,,,\n"                            # row 4: unknown type
        "成果四,invention_patent,ZL-1,pending,,,,,\n"                            # row 5: duplicate of row 2
        "成果五,invention_patent,ZL-TAKEN,pending,,,,,\n"                        # row 6: already in the library
        "成果六,invention_patent,ZL-6,granted,,,,,\n"                            # row 7: granted without a date
        "成果七,software,ZL-7,valid,2020-13-01,,XX.YY,,12\n"                     # row 8: status, date, code, TRL
    )
    preview = parse_result_file(csv_file(body), institution)
    named = {(e.row, e.column) for e in preview.errors}
    assert named == {(3, "title"), (4, "result_type"), (5, "registration_number"), (6, "registration_number"),
                     (7, "granted_on"), (8, "legal_status"), (8, "granted_on"), (8, "disciplines"), (8, "trl")}
    assert not preview.clean
    with pytest.raises(BadInput):
        import_results(user, preview)
    assert Result.objects.count() == 1  # only the one that was there


def test_header_problems_are_reported_before_any_row():
    institution = InstitutionFactory()
    preview = parse_result_file(csv_file("x,y\n", header="title,colour\n"), institution)
    assert {e.column for e in preview.errors} >= {"colour", "result_type", "registration_number", "legal_status"}
    assert all(e.row == 1 for e in preview.errors)


def test_a_clean_file_imports_whole_with_dormant_flags_and_audit_rows():
    institution = InstitutionFactory()
    user = applicant_of(institution)
    today = date.today()
    old = date(today.year - 6, 1, 1).isoformat()
    recent = date(today.year - 1, 1, 1).isoformat()
    body = (f"沉睡专利,invention_patent,ZL-A,granted,{old},,ENG.MAT,电池,4\n"
            f"转化过的老专利,invention_patent,ZL-B,granted,{old},{recent},,,\n"
            f"新专利,utility_model,ZL-C,granted,{recent},,,,\n"
            "审中专利,invention_patent,ZL-D,pending,,,,,\n")
    preview = parse_result_file(csv_file(body), institution)
    assert preview.clean, preview.errors
    assert [r.dormant for r in preview.rows] == [True, False, False, False]
    created = import_results(user, preview)
    assert [r.registration_number for r in created] == ["ZL-A", "ZL-B", "ZL-C", "ZL-D"]
    assert all(r.institution == institution and r.stage == "collected" for r in created)
    assert [r.is_dormant() for r in created] == [True, False, False, False]
    assert set(created[0].disciplines.values_list("code", flat=True)) == {"ENG.MAT"}


def test_chinese_headers_and_xlsx():
    institution = InstitutionFactory()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["专利名称", "类型", "专利号", "法律状态", "授权日"])
    sheet.append(["一种方法", "发明专利", "ZL-X", "授权", date(2019, 5, 1)])
    sheet.append(["一种装置", "实用新型", "ZL-Y", "审中", None])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("patents.xlsx", data.getvalue())
    preview = parse_result_file(upload, institution)
    assert preview.clean, preview.errors
    assert [r.values["result_type"] for r in preview.rows] == ["invention_patent", "utility_model"]
    assert preview.rows[0].values["granted_on"] == date(2019, 5, 1)


def test_unreadable_files_are_refused_as_a_whole():
    institution = InstitutionFactory()
    preview = parse_result_file(SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really"), institution)
    assert [e.row for e in preview.errors] == [0]
    preview = parse_result_file(SimpleUploadedFile("x.csv", b""), institution)
    assert not preview.clean


def test_import_page_previews_then_imports_from_the_session():
    from django.test import Client

    institution = InstitutionFactory()
    user = applicant_of(institution)
    client = Client()
    client.force_login(user)
    bad = client.post("/transfer/results/import/", {"file": csv_file(",invention_patent,ZL-1,pending,,,,,\n")})
    assert bad.status_code == 400 and Result.objects.count() == 0
    good = client.post("/transfer/results/import/", {"file": csv_file("好成果,invention_patent,ZL-1,pending,,,,,\n")})
    assert good.status_code == 200 and Result.objects.count() == 0  # a preview writes nothing
    done = client.post("/transfer/results/import/", {"confirm": "1"})
    assert done.status_code == 302
    assert Result.objects.get().registration_number == "ZL-1"


def test_import_over_the_api_refuses_then_imports():
    from rest_framework.test import APIClient

    institution = InstitutionFactory()
    client = APIClient()
    client.force_authenticate(applicant_of(institution))
    response = client.post("/api/v1/results/import/?confirm=true",
                           {"file": csv_file("好,invention_patent,ZL-1,granted,,,,,\n")}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "granted_on")]
    assert Result.objects.count() == 0
    response = client.post("/api/v1/results/import/?confirm=true",
                           {"file": csv_file("好,invention_patent,ZL-1,pending,,,,,\n")}, format="multipart")
    assert response.status_code == 200 and response.json()["imported"] == 1
