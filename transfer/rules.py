"""When a result, a demand, a roadshow or a licence may move: the conditions of their declared transitions.

Each condition says why not in words a user can read (:func:`poc.rules.condition`); who may act is declared
with relations on the transitions themselves (:mod:`transfer.relations`, :mod:`poc.access`).
"""
from django.utils.translation import gettext as _

from poc.rules import condition


@condition
def presented_at_held_roadshow(result):
    if not result.presentations.filter(roadshow__state="held").exists():
        return _("The result has not been presented at a roadshow that took place.")
    return None


@condition
def validation_application_linked(result):
    if result.validation_application_id is None:
        return _("Start the validation from a PoC or pilot project application at a chosen center.")
    return None


@condition
def landing_evidenced(result):
    if not result.evidence.exists():
        return _("Landing needs evidence: a registered technology contract, a licence, an investment or a "
                 "company founded.")
    return None


@condition
def demand_complete(demand):
    missing = [str(label) for field, label in (("title", _("title")), ("problem", _("problem")))
               if not getattr(demand, field).strip()]
    if not demand.deadline:
        missing.append(str(_("deadline")))
    if missing:
        return _("The demand is missing: %(fields)s.") % {"fields": ", ".join(missing)}
    return None


@condition
def has_presentations(roadshow):
    if not roadshow.presentations.exists():
        return _("A roadshow needs at least one result to present.")
    return None


@condition
def trial_over(licence):
    from django.utils import timezone

    if timezone.localdate() < licence.trial_ends_on:
        return _("The trial runs until %(date)s.") % {"date": licence.trial_ends_on.isoformat()}
    return None
