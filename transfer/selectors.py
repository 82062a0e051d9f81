"""Reads of the transfer app: permission-filtered lists, the public catalogue, dormant patents, the yearly board."""
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from poc.access import visible
from poc.models import TransitionLog

from .models import Demand, DemandState, Disclosure, LegalStatus, Result, Stage

DEFAULT_DORMANT_YEARS = 3


def dormant_years() -> int:
    return int(getattr(settings, "TRANSFER_DORMANT_YEARS", DEFAULT_DORMANT_YEARS))


def dormant_cutoff(years: int | None = None, today: date | None = None) -> date:
    today = today or timezone.localdate()
    years = dormant_years() if years is None else years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def dormant_q(years: int | None = None, today: date | None = None) -> Q:
    """Granted for ``years`` and no licence or transfer for ``years`` (沉睡专利)."""
    cutoff = dormant_cutoff(years, today)
    return (Q(legal_status=LegalStatus.GRANTED, granted_on__lte=cutoff)
            & (Q(last_transaction_on__isnull=True) | Q(last_transaction_on__lte=cutoff)))


def results_for(user, *, stage: str = "", dormant: bool = False, query: str = "", disciplines: bool = True):
    """The results ``user`` may see, filtered; ``disciplines=False`` for a list that does not show them."""
    qs = visible(user, Result).select_related("institution")
    if disciplines:
        qs = qs.prefetch_related("disciplines")
    if stage:
        qs = qs.filter(stage=stage)
    if dormant:
        qs = qs.filter(dormant_q())
    if query:
        qs = search(qs, query)
    return qs


def demands_for(user, *, state: str = "", query: str = ""):
    qs = visible(user, Demand).select_related("enterprise").prefetch_related("disciplines")
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = search(qs, query)
    return qs


def search(queryset, query: str):
    """Substring search over title, summary and keywords: ``LIKE '%…%'`` on the case-folded ``search_text``
    (served by the pg_trgm GIN index on PostgreSQL), a plain ``icontains`` elsewhere. A two-character query has
    no trigram, so on PostgreSQL results answer it from their GIN-indexed list of two-character grams."""
    query = " ".join((query or "").split()).casefold()[:100]
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        if len(query) == 2 and " " not in query and queryset.model is Result:
            return queryset.filter(search_grams__contains=[query])
        return queryset.filter(search_text__contains=query)
    return queryset.filter(search_text__icontains=query)


# ------------------------------------------------------------------------------ the public catalogue

def catalogue_results():
    """Results cleared for publication (温州好成果), not shelved: anyone may see their public fields."""
    return Result.objects.filter(published=True).exclude(stage=Stage.SHELVED).select_related("institution")


def catalogue_demands():
    return Demand.objects.filter(state=DemandState.PUBLISHED, disclosure=Disclosure.PUBLIC).select_related("enterprise")


# ------------------------------------------------------------------------------ the yearly 四个一批 board

BATCHES = (("collected", "create"), ("roadshowed", "roadshow"), ("validated", "start_validation"), ("landed", "land"))


def yearly_board(year: int) -> dict:
    """The four batches' counts for one year: results collected (created), road-showed, sent to validation and
    landed in that year, read from the audit trail (each step counted once per result)."""
    content_type = ContentType.objects.get_for_model(Result)
    logs = TransitionLog.objects.filter(content_type=content_type, created_at__year=year)
    counts = dict(logs.values_list("transition").annotate(n=Count("object_id", distinct=True)).values_list(
        "transition", "n"))
    board = {batch: counts.get(name, 0) for batch, name in BATCHES}
    board["year"] = year
    board["shelved"] = counts.get("shelve", 0)
    return board


def board_years() -> list[int]:
    content_type = ContentType.objects.get_for_model(Result)
    years = TransitionLog.objects.filter(content_type=content_type).dates("created_at", "year")
    return sorted({d.year for d in years} | {timezone.localdate().year}, reverse=True)
