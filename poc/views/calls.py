"""Calls for applications: list, detail, the officer's form and publishing, and "apply"."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from poc.access import applicant, officer
from poc.applications import selectors, services
from poc.errors import DomainError
from poc.forms import ApplyForm, CallForm
from poc.institutions import selectors as institution_selectors

from .common import applicant_required, form_data, officer_required, report_refusal, submit_form


def _visible_call(request, pk):
    return get_object_or_404(selectors.calls_visible_to(request.user), pk=pk)


@login_required
def call_list(request):
    calls = selectors.calls_visible_to(request.user).order_by("-opens_at")
    return render(request, "poc/call_list.html", {"calls": calls})


@login_required
def call_detail(request, pk):
    call = _visible_call(request, pk)
    user = request.user
    context = {"call": call, "can_apply": False}
    if applicant.holds(user) and call.is_open():
        institution = institution_selectors.institution_of(user)
        context.update({
            "can_apply": institution is not None,
            "institution": institution,
            "apply_form": ApplyForm(),
            "own_applications": selectors.applications_visible_to(user).filter(call=call),
        })
    if officer.holds(user):
        context["application_count"] = selectors.applications_visible_to(user).filter(call=call).count()
        context["rules_frozen"] = call.rules_frozen_reason()
        context["rule_changes"] = selectors.rule_changes(call)
    return render(request, "poc/call_detail.html", context)


@require_http_methods(["GET", "POST"])
@officer_required
def call_edit(request, pk=None):
    call = _visible_call(request, pk) if pk else None
    form = CallForm(form_data(request), instance=call)
    done = submit_form(request, form,
                       lambda data: services.save_call(request.user, _visible_call(request, pk) if pk else None, **data),
                       success=_("The call is saved."), redirect_to=lambda saved: ("call-detail", saved.pk))
    return done or render(request, "poc/call_form.html", {"form": form, "call": call})


@require_POST
@officer_required
def call_publish(request, pk):
    call = _visible_call(request, pk)
    publish = request.POST.get("published") == "1"
    try:
        services.publish_call(request.user, call, published=publish)
    except DomainError as exc:
        report_refusal(request, exc)
    else:
        messages.success(request, _("The call is published.") if publish else _("The call is withdrawn from "
                                                                                 "publication."))
    return redirect("call-detail", pk)


@require_POST
@applicant_required
def call_apply(request, pk):
    call = _visible_call(request, pk)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give your application a title (at most 200 characters)."))
        return redirect("call-detail", pk)
    try:
        application = services.start_application(request.user, call, form.cleaned_data["title"])
    except DomainError as exc:
        report_refusal(request, exc)
        return redirect("call-detail", pk)
    messages.success(request, _("Application %(number)s started. Fill in each section, then submit it.")
                     % {"number": application.number})
    return redirect("editor", application.pk)
