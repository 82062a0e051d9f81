"""What every page view shares: access guards from the policy, service-refusal handling and safe redirects."""
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from poc.access import applicant, officer
from poc.access.pages import requires, visible_or_404
from poc.models import Application

officer_required = requires(officer)
applicant_required = requires(applicant)


def visible_application(request, pk):
    """The application if the user may see it; 404 otherwise (never reveal that it exists)."""
    return visible_or_404(request.user, Application.objects.select_related("call", "institution"), pk=pk)


def report_form_errors(request, form) -> None:
    """Show a form's errors as messages, each with its field's label ("label: error", translated)."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, _("%(label)s: %(error)s") % {"label": label, "error": error} if label else error)


def report_refusal(request, exc) -> None:
    """Show a service refusal (poc.errors.DomainError) as error messages."""
    for message in exc.messages or [str(exc)]:
        messages.error(request, message)


def redirect_back(request, fallback, *args):
    """Back to a local ``next`` URL if one is given, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback, *args)


def form_data(request):
    """The submitted data on POST (even when empty: unticked checkboxes send nothing), None otherwise."""
    return request.POST if request.method == "POST" else None


def submit_form(request, form, use_case, *, success, redirect_to):
    """The page pattern "form valid → call the service → on refusal show why" in one place.

    When ``form`` is bound and valid, ``use_case(form.cleaned_data)`` runs (a service call, actor
    first). A :class:`poc.errors.DomainError` is attached to the form (field errors beside their
    field) and ``None`` is returned, so the caller renders the form again with
    ``status=form_status(form)``. On success the message ``success`` (a string, or a callable given
    the use case's result) is shown and the redirect to ``redirect_to`` (a URL name with its
    arguments as a tuple, or a callable given the result) is returned.
    """
    from django.contrib import messages as django_messages

    from poc.errors import DomainError
    from poc.forms.base import attach_domain_error

    if not form.is_bound or not form.is_valid():
        return None
    try:
        result = use_case(form.cleaned_data)
    except DomainError as exc:
        attach_domain_error(form, exc)
        return None
    django_messages.success(request, success(result) if callable(success) else success)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


def form_status(form) -> int:
    """400 for a submitted form that is shown again with errors, 200 for a fresh one."""
    return 400 if form.is_bound else 200
