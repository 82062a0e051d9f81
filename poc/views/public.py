"""Public pages (no login): the list of designated centers, with public facts only."""
from django.shortcuts import render
from django.views.decorators.http import require_GET

from poc.centers import selectors as sel
from poc.centers.services import public_centers
from poc.charts.public import centers_per_district
from poc.models import Center


@require_GET
def public_center_list(request):
    """Designated centers in force: name, type, institution, services, validity. Nothing private: no
    contacts, no evaluations, no rectification (a rectifying center is still designated)."""
    centers = list(sel.public_center_facts(public_centers()))
    by_type = [{"type": value, "label": label, "centers": [c for c in centers if c.center_type == value]}
               for value, label in Center.CenterType.choices]
    return render(request, "poc/centers/public_list.html", {"groups": by_type, "total": len(centers),
                                                               "chart": centers_per_district()})
