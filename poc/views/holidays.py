"""The holiday calendar page (节假日安排): officers enter the holidays and make-up working days of the years the
``chinesecalendar`` package does not know yet; working-day public notices count with them."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from poc.access import visible
from poc.applications.holiday_calendar import add_calendar_day, calendar_overview, remove_calendar_day
from poc.errors import DomainError
from poc.forms import CalendarDayForm
from poc.models import CalendarDay

from .common import form_status, officer_required, report_refusal, submit_form


@require_http_methods(["GET", "POST"])
@officer_required
def holiday_calendar(request):
    form = CalendarDayForm(request.POST if request.method == "POST" else None)
    done = submit_form(request, form, lambda data: add_calendar_day(request.user, **data),
                       success=lambda entry: _("%(entry)s is entered.") % {"entry": entry},
                       redirect_to="holiday-calendar")
    if done:
        return done
    return render(request, "poc/holiday_calendar.html", {"form": form, **calendar_overview()},
                  status=form_status(form))


@require_POST
@officer_required
def holiday_calendar_remove(request, pk):
    entry = get_object_or_404(visible(request.user, CalendarDay), pk=pk)
    try:
        remove_calendar_day(request.user, entry)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("%(entry)s is removed.") % {"entry": entry})
    return redirect("holiday-calendar")
