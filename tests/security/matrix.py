"""The machinery of the route × role × ownership matrix: the URL walk, request bodies and database fingerprints."""
import hashlib
import json
from dataclasses import dataclass

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import pdf_bytes

# Patterns the matrix leaves out on purpose (everything else must have an entry in the table):
SKIPPED_PREFIXES = (
    "admin/",  # Django's admin site: staff-only behind its own login, holds no route of the apps' own
)
SKIPPED_NAMES = {
    "api-schema", "api-docs", "api-redoc",  # the OpenAPI schema and its two viewers (documentation, no data)
}
# The transfer app's routes have their own matrix (tests/transfer/test_route_matrix.py: every route × its eight
# roles, failing on a route without a row); they are left out here.
SKIPPED_NAMESPACES = ("transfer:", "transfer-api:")
# Tables whose rows change on any signed-in request and hold no data of the apps: left out of the fingerprint.
UNTRACKED_TABLES = {"django_session"}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple
    api: bool
    methods: frozenset  # HTTP methods the route answers, lower case ("" = unknown: a plain Django view)

    @property
    def is_detail(self):
        return "pk" in self.kwargs or "code" in self.kwargs


def _methods(callback):
    actions = getattr(callback, "actions", None)
    if actions:
        return frozenset(actions)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None and getattr(cls, "__module__", "").split(".")[0] in {"poc", "review", "funding",
                                                                            "rest_framework"}:
        return frozenset(m for m in ("get", "post", "put", "patch", "delete") if hasattr(cls, m))
    return frozenset()


def walk(resolver=None, prefix="", namespace="", outer_kwargs=()):
    """Every URL pattern of the project, recursively, as Routes (an unnamed one gets the name "")."""
    for pattern in (resolver or get_resolver()).url_patterns:
        kwargs = outer_kwargs + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from walk(pattern, prefix + str(pattern.pattern), ns, kwargs)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else ""
            yield Route(name, route, kwargs, route.startswith("api/"), _methods(pattern.callback))


def checked_routes():
    """The routes the matrix covers, by name (skipped ones left out), and the unnamed ones (which fail)."""
    named, unnamed = {}, []
    for r in walk():
        if r.route.startswith(SKIPPED_PREFIXES) or r.name in SKIPPED_NAMES or r.name.startswith(SKIPPED_NAMESPACES):
            continue
        if not r.name:
            unnamed.append(r.route)
        else:
            named[r.name] = r
    return named, unnamed


def url_of(route, kwargs):
    """The route's URL; a variant's ``"?"`` key is its query string (an export's call)."""
    kwargs = dict(kwargs)
    query = kwargs.pop("?", "")
    return reverse(route.name, kwargs=kwargs) + (f"?{query}" if query else "")


STEP_FIELDS = ("comment", "reason", "likelihood", "impact", "disposal", "payment_reference", "paid_on", "score",
               "opinion", "until", "new_due_on")


def body(w, kwargs):
    """A plausible body for any write: every field name the apps' forms and serializers use, pointing at side B."""
    b = w.b
    data = {
        "comment": "matrix write", "reason": "matrix write", "title": "MATRIX WRITE", "name": "MATRIX WRITE",
        "summary": "matrix", "description": "matrix", "content": "matrix", "findings": "matrix", "opinion": "ok",
        "report": "matrix report", "disposal": "matrix", "note": "matrix", "details": "matrix",
        "application": b.app_reviewed.pk, "project": b.project.pk, "decision": b.decision.pk, "fund": b.fund.pk,
        "investment": b.investment.pk, "center": b.center.pk, "evaluation": b.evaluation.pk,
        "expert": b.expert_profile.pk, "assignment": b.assignment.pk, "contract": b.contract.pk,
        "milestone": b.milestone.pk, "institution": b.institution.pk, "call": w.project_call.pk,
        "user": b.applicant.pk, "manager": w.a.manager.pk, "credit_code": b.institution.credit_code,
        "code": b.institution.credit_code, "accept": "1", "decision_value": "accept", "action": "accept",
        "amount": "1000", "part": "grant", "release_on": "2026-05-01", "invested_on": "2026-03-01",
        "investee_name": "MATRIX", "investee_credit_code": b.institution.credit_code,
        "pre_money_valuation": "18000000", "kind": "deadline", "new_due_on": "2027-01-01", "year": "2026",
        "quarter": "3", "revenue": "1", "rd_spend": "1", "headcount": "3", "occurred_on": "2026-05-01",
        "insurer": "MATRIX", "product": "x", "premium": "1", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "registration_number": "MATRIX-1", "parties": "x", "contract_amount": "1", "registered_on": "2026-03-01",
        "received_on": "2026-04-01", "round_name": "MATRIX", "closed_on": "2026-08-01", "amount_raised": "1",
        "exited_on": "2026-07-01", "proceeds": "1", "stake_sold": "1", "marked_on": "2026-06-30", "value": "1",
        "instrument": "grant", "grant_amount": "100000", "grant_programme": "x", "equity_amount": "0",
        "likelihood": "3", "impact": "3", "visited_on": "2026-03-01", "score": "80", "recommendation": "support",
        "overall_comment": "matrix", "until": "2027-01-01", "extended_until": "2027-01-01", "payment_reference": "x",
        "paid_on": "2026-05-02", "attachment_type": "application_form", "tasks_done_percent": "100",
        "data_year": "2025", "month": "3", "deliverables": "x", "category": "设备费", "source": "grant",
        "number": "ZL1", "ip_type": "invention_patent", "owner": "x", "status": "granted", "role": "x",
        "integrity": "on", "ip": "on", "integrity_pledge": "on", "ip_pledge": "on", "email_enabled": "on",
        "language": "en", "username": "", "keywords": "matrix", "excluded_experts": "matrix",
        **{f"{n}_score": "10" for n in ("content", "technical", "economic", "deliverables", "funds", "other")},
    }
    step = kwargs.get("name") or kwargs.get("transition_name")
    if step:  # a step's form reads its fields under the step's prefix
        data.update({f"{step}-{k}": data[k] for k in STEP_FIELDS})
    return data


def upload():
    return SimpleUploadedFile("matrix.pdf", pdf_bytes(), content_type="application/pdf")


def send(client, method, path, data, api):
    """Make the request; POST bodies are multipart with a PDF, PUT/PATCH bodies JSON."""
    if method == "get":
        return client.get(path)
    if method == "post":
        return client.post(path, {**data, "file": upload(), "evidence": upload(), "agreement": upload()})
    if method == "delete":
        return client.delete(path)
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# -------------------------------------------------------------------------------- fingerprints

def _tables():
    seen = []
    for m in apps.get_models(include_auto_created=True):
        if m._meta.db_table not in seen and m._meta.managed and not m._meta.proxy:
            seen.append(m._meta.db_table)
    return [t for t in seen if t not in UNTRACKED_TABLES]


def fingerprint() -> dict:
    """Per table: row count, highest id and a hash of every row (so an update shows as well as an insert)."""
    result = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
            rows = cursor.fetchall()
            result[table] = (len(rows), max((r[0] for r in rows), default=None, key=str),
                             hashlib.sha1(repr(rows).encode()).hexdigest())
    return result


def write_counter():
    """SQLite's count of rows this connection has inserted, updated or deleted (None elsewhere): when it has not
    moved, nothing was written and the full fingerprint need not be read again."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        return cursor.fetchone()[0]


def audit_rows():
    log = apps.get_model("poc.TransitionLog")
    return [(pk, (ct, obj), transition) for pk, ct, obj, transition in
            log.objects.order_by("id").values_list("id", "content_type_id", "object_id", "transition")]


def side_fingerprint(side) -> dict:
    """The rows of one side (every object the world made for it) read afresh, and how many applications,
    memberships, projects and centers its institution has (so a row added in its name shows too)."""
    rows = {label: list(apps.get_model(label).objects.filter(pk__in=pks).order_by("pk").values())
            for label, pks in side.owned.items()}
    for label in ("poc.Application", "poc.Membership", "poc.Project", "poc.Center"):
        rows[f"{label} of the institution"] = apps.get_model(label).objects.filter(
            institution=side.institution).count()
    return rows


def changed_tables(before, after):
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
