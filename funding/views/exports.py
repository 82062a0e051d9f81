"""XLSX exports of a fund's ledgers, for officers and the fund's own managers only: downloaded at once, or
prepared in the background (``poc.jobs``) with a page that shows the progress."""
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from poc.jobs import start_job

from ..exports import XLSX, file_name, investments_workbook, tranches_workbook
from .common import requires, staff, visible_fund


def _response(content, fund, what):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{file_name(fund, what)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(staff)
def investments_xlsx(request, pk):
    fund = visible_fund(request, pk)
    return _response(investments_workbook(fund), fund, "investments")


@requires(staff)
def tranches_xlsx(request, pk):
    fund = visible_fund(request, pk)
    return _response(tranches_workbook(fund), fund, "tranches")


@require_POST
@requires(staff)
def investments_xlsx_background(request, pk):
    fund = visible_fund(request, pk)
    job = start_job(request.user, "fund-investments-export", "funding.tasks.export_fund_investments", [fund.pk])
    return redirect("job-detail", pk=job.pk)
