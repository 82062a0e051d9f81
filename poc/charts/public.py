"""The public list's summary: designated centers per district and type (public facts only)."""
from django.db.models import Count
from django.utils.translation import gettext as _

from poc.centers.services import public_centers
from poc.models import Center

from .chart import Chart, Series


def centers_per_district() -> Chart:
    rows = list(public_centers().order_by().values_list("institution__district", "center_type")
                .annotate(n=Count("id")))
    districts = sorted({district for district, _type, _n in rows})
    counts = {(district, kind): n for district, kind, n in rows}
    return Chart(key="districts", kind="stack", title=_("Designated centers per district and type"),
                 category_label=_("District"), categories=districts,
                 series=[Series(str(label), [counts.get((district, value), 0) for district in districts])
                         for value, label in Center.CenterType.choices])
