"""Use cases on roadshows ("温州好成果" 路演): plan, present results, hold, register, give feedback."""
from django.db import transaction
from django.utils.translation import gettext as _

from poc.access import require
from poc.errors import BadInput, NotNow
from poc.workflow import record_creation, run_transition

from ..models import (
    Participant,
    Result,
    Roadshow,
    RoadshowFeedback,
    RoadshowPresentation,
    RoadshowRegistration,
    RoadshowState,
    Stage,
)
from ..relations import enterprise_of_user
from .common import validate


@transaction.atomic
def plan_roadshow(actor, *, theme: str, held_on, place: str, results=()) -> Roadshow:
    require(actor, "create", Roadshow())
    roadshow = Roadshow(theme=(theme or "").strip(), held_on=held_on, place=(place or "").strip(), created_by=actor)
    validate(roadshow, exclude=["state", "created_by"])
    roadshow.save()
    record_creation(roadshow, actor)
    for result in results:
        present(actor, roadshow, result)
    return roadshow


@transaction.atomic
def present(actor, roadshow: Roadshow, result: Result) -> RoadshowPresentation:
    """Put a result on a planned roadshow's programme."""
    require(actor, "change", roadshow)
    if roadshow.state != RoadshowState.PLANNED:
        raise NotNow(_("Results are added to planned roadshows only."))
    if result.stage in (Stage.LANDED, Stage.SHELVED):
        raise NotNow(_("“%(result)s” is %(stage)s; it is not presented any more.")
                     % {"result": result.title, "stage": result.get_stage_display()})
    order = roadshow.presentations.count() + 1
    presentation, _created = RoadshowPresentation.objects.get_or_create(
        roadshow=roadshow, result=result, defaults={"order": order})
    return presentation


@transaction.atomic
def hold_roadshow(actor, roadshow: Roadshow, comment: str = "") -> Roadshow:
    """The roadshow took place: its collected results become road-showed (路演), each with its audit row."""
    roadshow = run_transition(roadshow, "hold", actor, comment)
    for presentation in roadshow.presentations.select_related("result"):
        if presentation.result.stage == Stage.COLLECTED:
            run_transition(presentation.result, "roadshow", actor, str(roadshow))
    return roadshow


def transition_roadshow(actor, roadshow: Roadshow, name: str, comment: str = "", **details) -> Roadshow:
    if name == "hold":
        return hold_roadshow(actor, roadshow, comment)
    return run_transition(roadshow, name, actor, comment, **details)


@transaction.atomic
def register(actor, roadshow: Roadshow, organisation: str = "") -> RoadshowRegistration:
    """A verified enterprise or an investor (a fund manager) registers for a planned roadshow."""
    roadshow = Roadshow.objects.get(pk=roadshow.pk)
    require(actor, "register", roadshow)
    if roadshow.state != RoadshowState.PLANNED:
        raise NotNow(_("Registration is open until the roadshow takes place."))
    enterprise = enterprise_of_user(actor)
    participant = Participant.ENTERPRISE if enterprise is not None else Participant.INVESTOR
    organisation = enterprise.name if enterprise is not None else (organisation or "").strip() or actor.get_full_name()
    registration, _created = RoadshowRegistration.objects.get_or_create(
        roadshow=roadshow, user=actor, defaults={"participant": participant, "organisation": organisation[:200]})
    return registration


@transaction.atomic
def give_feedback(actor, roadshow: Roadshow, result: Result, *, score: int, comment: str = "") -> RoadshowFeedback:
    """A registered participant scores a presented result (1–5) after the roadshow."""
    roadshow = Roadshow.objects.get(pk=roadshow.pk)
    registration = RoadshowRegistration.objects.filter(roadshow=roadshow, user=actor).first()
    if registration is None:
        raise NotNow(_("Only registered participants give feedback."))
    if roadshow.state != RoadshowState.HELD:
        raise NotNow(_("Feedback is given after the roadshow took place."))
    presentation = roadshow.presentations.filter(result=result).first()
    if presentation is None:
        raise BadInput(_("This result was not presented at this roadshow."))
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise BadInput(_("The score is a whole number from 1 to 5."), field_errors={"score": [_("1 to 5.")]})
    feedback, _created = RoadshowFeedback.objects.update_or_create(
        presentation=presentation, registration=registration, defaults={"score": score, "comment": comment})
    return feedback
