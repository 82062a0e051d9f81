"""Pages of roadshows, 先用后转 licences and the yearly 四个一批 board."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poc.access import SIGNED_IN, can, officer, visible
from poc.access.pages import requires, visible_or_404
from poc.errors import DomainError

from .. import selectors
from ..models import Licence, Result, Roadshow, RoadshowRegistration, RoadshowState
from ..services import roadshows as services
from .common import steps


@requires(SIGNED_IN)
def roadshow_list(request):
    rows = visible(request.user, Roadshow).prefetch_related("presentations__result").order_by("-held_on")
    return render(request, "transfer/roadshow_list.html", {"rows": rows})


@requires(SIGNED_IN)
def roadshow_detail(request, pk):
    roadshow = visible_or_404(request.user, Roadshow, pk=pk)
    user = request.user
    presentations = roadshow.presentations.select_related("result__institution")
    mine = RoadshowRegistration.objects.filter(roadshow=roadshow, user=user).first()
    return render(request, "transfer/roadshow_detail.html", {
        "roadshow": roadshow, "steps": steps(roadshow, user), "presentations": presentations,
        "registrations": visible(user, roadshow.registrations.all()), "registration": mine,
        "may_register": can(user, "register", roadshow) and roadshow.state == RoadshowState.PLANNED and mine is None,
        "feedback": visible(user, selectors_feedback(roadshow)),
    })


def selectors_feedback(roadshow):
    from ..models import RoadshowFeedback

    return RoadshowFeedback.objects.filter(presentation__roadshow=roadshow).select_related(
        "presentation__result", "registration")


@require_POST
@requires(SIGNED_IN)
def roadshow_register(request, pk):
    roadshow = visible_or_404(request.user, Roadshow, pk=pk)
    try:
        services.register(request.user, roadshow, request.POST.get("organisation", ""))
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("You are registered."))
    return redirect("transfer:roadshow", pk)


@require_POST
@requires(SIGNED_IN)
def roadshow_feedback(request, pk):
    roadshow = visible_or_404(request.user, Roadshow, pk=pk)
    result_id = request.POST.get("result", "")
    result = Result.objects.filter(presentations__roadshow=roadshow, pk=result_id).first() if result_id.isdigit() \
        else None
    try:
        score = int(request.POST.get("score", ""))
        if result is None:
            raise ValueError
        services.give_feedback(request.user, roadshow, result, score=score, comment=request.POST.get("comment", ""))
    except ValueError:
        messages.error(request, _("The score is a whole number from 1 to 5."))
    except DomainError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you for your feedback."))
    return redirect("transfer:roadshow", pk)


@requires(SIGNED_IN)
def licence_list(request):
    rows = visible(request.user, Licence).select_related("result", "licensee").order_by("-trial_ends_on")
    return render(request, "transfer/licence_list.html", {"rows": rows})


@requires(SIGNED_IN)
def licence_detail(request, pk):
    licence = visible_or_404(request.user, Licence.objects.select_related("result", "licensee"), pk=pk)
    return render(request, "transfer/licence_detail.html", {
        "licence": licence, "steps": steps(licence, request.user),
        "days_left": (licence.trial_ends_on - timezone.localdate()).days})


@requires(officer)
def board(request):
    try:
        year = int(request.GET.get("year", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return render(request, "transfer/board.html", {
        "board": selectors.yearly_board(year), "years": selectors.board_years(), "year": year})
