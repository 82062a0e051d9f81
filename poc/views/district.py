"""The district officer's page (区县科技局): the district's submitted applications that wait for its recommendation,
each with the recommend and decline forms, and the opinions it has given."""
from django.shortcuts import render

from poc.access import district_officer
from poc.access.pages import requires
from poc.access.relations import districts_of
from poc.applications import selectors
from poc.institutions.models import District

from .panel import transition_panel

DISTRICT_STEPS = ("recommend", "decline_recommendation")


@requires(district_officer)
def district_home(request):
    user = request.user
    waiting = list(selectors.awaiting_recommendation(user))
    for application in waiting:
        # The same panel as the detail page, narrowed to the district's two steps (the model decides them).
        application.steps = [entry for entry in transition_panel(application, user)
                             if entry["check"].name in DISTRICT_STEPS]
        for entry in application.steps:
            if entry["form"] is not None:  # one page, many applications: ids of their own
                entry["form"].auto_id = f"id_{application.pk}_%s"
    decided = list(selectors.recommended_by_district(user)[:20])
    for application in decided:
        application.opinion = application.district_recommendation()
    return render(request, "poc/home_district.html", {
        "districts": District.objects.filter(name__in=districts_of(user)),
        "waiting": waiting,
        "decided": decided,
    })
