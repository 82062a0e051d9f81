"""A per-address rate limit for public pages (document verification), counted in the shared cache.

``over_limit(request, "verify", "30/m")`` counts the request and says whether its address went over the rate in
the current window; ``who=`` counts by something else than the address (an email address asking for a reset). A cache that fails lets the request through: a rate limit never takes a page down."""
import hashlib
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse(rate: str) -> tuple[int, int]:
    """"30/m" or "30/minute" → (30, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0].lower()]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, scope: str, rate: str, *, who: str | None = None) -> bool:
    limit, seconds = parse(rate)
    window = int(time.time() // seconds)
    who = client_address(request) if who is None else hashlib.sha256(who.encode()).hexdigest()
    key = f"pochub:throttle:{scope}:{who}:{window}"
    try:
        cache.add(key, 0, timeout=seconds + 1)
        return cache.incr(key) > limit
    except Exception as exc:  # the cache is down: serve the page
        logger.warning("rate limit %s not counted: %s", scope, type(exc).__name__)
        return False
