"""Post-investment (投后管理): quarterly reports, material events, the risk register and insurance policies.

Quarterly reports and material events are filed by the investee institution or the fund's managers (the
investee files them from its decision page); the risk register and insurance belong to the bureau and the fund."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.errors import DomainError
from poc.views.common import report_form_errors

from .. import monitoring_services, selectors
from ..forms import AssessForm, InsuranceForm, MaterialEventForm, QuarterlyReportForm, RiskForm
from ..models import Risk
from .common import (
    form_status,
    managed_decision,
    redirect_back,
    report_refusal,
    requires,
    staff,
    steps,
    submit_form,
    visible_decision,
)


def report_initial() -> dict:
    year, quarter, _end = selectors.last_finished_quarter()
    return {"year": year, "quarter": quarter, "follow_on_financing": 0}


def monitoring_context(request, decision, **forms) -> dict:
    user = request.user
    risks = list(decision.risks.select_related("identified_by").order_by("-identified_at"))
    for risk in risks:
        risk.panel = steps(risk, user, forms={"assess": AssessForm})
    year, quarter, _end = selectors.last_finished_quarter()
    reported = decision.quarterly_reports.filter(year=year, quarter=quarter).exists()
    return {
        "decision": decision, "application": decision.application, "tab": "monitoring", "staff": True,
        "reports": decision.quarterly_reports.select_related("filed_by"),
        "events": decision.material_events.select_related("reported_by"),
        "risks": risks,
        "policies": decision.insurance_policies.order_by("-starts_on"),
        "last_quarter": f"{year}Q{quarter}", "last_quarter_reported": reported,
        "may_report": monitoring_services.may_file_quarterly_report(user, decision),
        "report_form": forms.get("report_form") or QuarterlyReportForm(initial=report_initial(), prefix="report"),
        "event_form": forms.get("event_form") or MaterialEventForm(prefix="event"),
        "risk_form": forms.get("risk_form") or RiskForm(prefix="risk"),
        "insurance_form": forms.get("insurance_form") or InsuranceForm(prefix="ins"),
    }


@requires(staff)
def monitoring(request, pk):
    decision = managed_decision(request, pk)
    return render(request, "funding/monitoring.html", monitoring_context(request, decision))


def _back_to(request, decision):
    return "funding:monitoring" if selectors.may_manage_decision(request.user, decision) else "funding:decision"


def _refused_page(request, decision, form_name, form):
    """Show the form again with the refusal: on the monitoring page (staff) or the decision page (investee)."""
    if selectors.may_manage_decision(request.user, decision):
        return render(request, "funding/monitoring.html",
                      monitoring_context(request, decision, **{form_name: form}), status=form_status(form))
    for message in [str(e) for errors in form.errors.values() for e in errors]:
        messages.error(request, message)
    return redirect("funding:decision", decision.pk)


@require_POST
@login_required
def report_add(request, pk):
    decision = visible_decision(request, pk)
    form = QuarterlyReportForm(request.POST, prefix="report")
    done = submit_form(
        request, form, lambda data: monitoring_services.file_quarterly_report(request.user, decision, **data),
        success=lambda report: _("The report for %(y)sQ%(q)s is filed.") % {"y": report.year, "q": report.quarter},
        redirect_to=(_back_to(request, decision), pk))
    return done or _refused_page(request, decision, "report_form", form)


@require_POST
@login_required
def event_add(request, pk):
    decision = visible_decision(request, pk)
    form = MaterialEventForm(request.POST, prefix="event")
    done = submit_form(
        request, form, lambda data: monitoring_services.report_material_event(request.user, decision, **data),
        success=_("The material event is reported."), redirect_to=(_back_to(request, decision), pk))
    return done or _refused_page(request, decision, "event_form", form)


@require_POST
@requires(staff)
def risk_add(request, pk):
    decision = managed_decision(request, pk)
    form = RiskForm(request.POST, prefix="risk")
    done = submit_form(request, form, lambda data: monitoring_services.identify_risk(request.user, decision, **data),
                       success=_("The risk is in the register."), redirect_to=("funding:monitoring", pk))
    return done or render(request, "funding/monitoring.html", monitoring_context(request, decision, risk_form=form),
                          status=form_status(form))


RISK_STEPS = {"assess", "warn", "dispose"}


@require_POST
@requires(staff)
def risk_step(request, pk, name):
    risk = get_object_or_404(Risk.objects.select_related("decision"), pk=pk)
    decision = managed_decision(request, risk.decision_id)
    if name not in RISK_STEPS:
        messages.error(request, _("Unknown step “%(name)s”.") % {"name": name})
        return redirect_back(request, "funding:monitoring", decision.pk)
    if name == "assess":
        form = AssessForm(request.POST, prefix=name)
    else:
        from poc.forms import TransitionForm

        form = TransitionForm(request.POST, prefix=name)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect_back(request, "funding:monitoring", decision.pk)
    comment = form.cleaned_data.get("comment", "")
    try:
        if name == "assess":
            done = monitoring_services.assess_risk(request.user, risk, comment=comment, **form.details())
        elif name == "warn":
            done = monitoring_services.warn_risk(request.user, risk, comment)
        else:
            done = monitoring_services.dispose_risk(request.user, risk, comment)
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect_back(request, "funding:monitoring", decision.pk)
    messages.success(request, _("The risk is now “%(state)s”.") % {"state": done.get_state_display()})
    return redirect_back(request, "funding:monitoring", decision.pk)


@require_POST
@requires(staff)
def insurance_add(request, pk):
    decision = managed_decision(request, pk)
    form = InsuranceForm(request.POST, prefix="ins")
    done = submit_form(request, form, lambda data: monitoring_services.add_insurance(request.user, decision, **data),
                       success=_("The insurance policy is recorded."), redirect_to=("funding:monitoring", pk))
    return done or render(request, "funding/monitoring.html",
                          monitoring_context(request, decision, insurance_form=form), status=form_status(form))
