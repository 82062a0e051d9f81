"""Helpers shared by the export tests: download an export, read its CSV or XLSX back."""
import codecs
import csv
import io

from django.urls import reverse
from openpyxl import load_workbook


def export_url(name, fmt, **params):
    from urllib.parse import urlencode

    url = reverse("export", args=[name, fmt])
    return f"{url}?{urlencode(params)}" if params else url


def download(client, name, fmt, **params):
    return client.get(export_url(name, fmt, **params))


def csv_rows(response) -> list[list[str]]:
    """The CSV's rows (header first); it must be an attachment in UTF-8 with a byte-order mark."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content[len(codecs.BOM_UTF8):].decode("utf-8"))))


def workbook_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def xlsx_sheet(response):
    assert response.status_code == 200, response.status_code
    assert "spreadsheetml" in response["Content-Type"]
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    return workbook_sheet(response.content)


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_dicts(rows) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]
