"""The transition panel: buttons built from the model's declared transitions (poc.rules)."""
from django.utils.translation import gettext as _

from poc.applications.objections import outcome_message
from poc.forms import ObjectionForm, TransitionForm
from poc.rules import all_transition_checks, describe

# Transitions that take more than a comment, and the form that asks for it.
TRANSITION_FORMS = {"record_objection": ObjectionForm}


def _objection_outcome(application) -> str:
    return outcome_message(application.objections.order_by("-id").first())


# Transitions whose outcome is more than the new state, and what the page says after them.
TRANSITION_OUTCOMES = {"record_objection": _objection_outcome}


def outcome_of(name: str, application) -> str:
    """The message after step ``name``: what happened, for the steps whose outcome the state alone does not say."""
    describe = TRANSITION_OUTCOMES.get(name)
    if describe is not None:
        return describe(application)
    return _("Done. The application is now “%(state)s”.") % {"state": application.get_state_display()}


def form_for(name: str, data=None):
    return TRANSITION_FORMS.get(name, TransitionForm)(data, prefix=name)


def transition_panel(application, user, known=()) -> list[dict]:
    """Allowed steps as forms; steps refused now (409) with their reasons; steps never allowed (403) hidden.

    ``known``: reasons the page already shows (the editor's checklist); they are not repeated.
    """
    known = set(known)
    entries = []
    for check in all_transition_checks(application, user):
        if check.status == 403:
            continue
        form = form_for(check.name) if check.allowed else None
        if form is not None:
            comment = form.fields["comment"]
            comment.required = check.needs_comment
            comment.label = _("Reason (required)") if check.needs_comment else _("Comment (optional)")
            custom_label = describe(type(application), check.name)["custom"].get("comment_label")
            if custom_label:
                comment.label = custom_label
        reasons = [r for r in check.reasons if r not in known]
        entries.append({"check": check, "form": form, "reasons": reasons,
                        "see_checklist": len(reasons) < len(check.reasons)})
    return entries
