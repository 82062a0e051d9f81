"""Section: every main list page and API list against a bare Django view rendering the same rows.

A world of 1,000 rows of each listed kind is seeded (benchmarks/lists_seed.py, not timed). Each page is requested
by the role that lists it, through Django's test client and the whole middleware stack, alternating with a bare
view (benchmarks/lists_urls.py) that reads the same number of rows of the same table in one query and renders
them with a minimal template; the figure is the median of the runs. Query counts are of one request each.

The database is PostgreSQL when ``DATABASE_URL`` points to one (a throwaway database is created on that server
and dropped afterwards, as in benchmarks/assignment_e2e.py), otherwise a temporary SQLite file.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TITLE = "List pages and API lists against a bare Django view"
ROOT = Path(__file__).resolve().parent.parent
GOAL = 2.0
RUNS_FULL, RUNS_SMALL = 9, 2


def run(small: bool = False) -> str:
    r = _run_child(60 if small else 1_000, RUNS_SMALL if small else RUNS_FULL)
    lines = [
        f"Database: **{r['database']}**; {r['rows']:,} rows of each listed kind in the database; load average before "
        f"the run: {r['load']}. Median of {r['runs']} requests each, page and bare view alternating in the same run "
        f"(seeding took {r['seed_seconds']:.0f} s, not timed). The bare view reads as many rows as the page shows, "
        "from the same table, in one query, and renders them with a minimal template through the same middleware.",
        "",
        "| page | role | rows shown | page ms | bare ms | ratio | goal | page queries | bare queries | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in r["pages"]:
        ratio = p["page"] / p["bare"] if p["bare"] else float("inf")
        verdict = "meets the goal" if ratio <= GOAL else "**misses the goal**"
        lines.append(f"| {p['name']} | {p['role']} | {p['shown']} | {p['page'] * 1000:.1f} | {p['bare'] * 1000:.1f} "
                     f"| {ratio:.2f}× | ≤ {GOAL:g}× | {p['queries']} | {p['bare_queries']} | {verdict} |")
    return "\n".join(lines)


def _run_child(rows: int, runs: int) -> dict:
    from benchmarks.support import throwaway_postgres

    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="pochub-bench-") as tmp:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
               "SECRET_KEY": "benchmark-throwaway-key", "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://",
               "PRIVATE_MEDIA_ROOT": str(Path(tmp) / "media"), "SECURE_SSL_REDIRECT": "0",
               "REQUIRE_SECOND_FACTOR": "0",
               "STATIC_MANIFEST": "0"}  # no collected static files here: names as they are, no manifest lookup
        dropper = None
        if url.startswith(("postgres://", "postgresql://")):
            env["DATABASE_URL"], dropper = throwaway_postgres(url, "pochub_lists")
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'lists.sqlite3'}"
        try:
            done = subprocess.run([sys.executable, "-m", "benchmarks.lists", "--worker", str(rows), str(runs)],
                                  cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        finally:
            if dropper:
                dropper()
    if done.returncode != 0:
        raise RuntimeError(f"the list pages benchmark failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------- the child process

def _pages(w):
    """(name, role, path, rows the page shows, bare queryset(user), bare fields)."""
    from django.apps import apps
    from django.urls import reverse

    def m(label):
        return apps.get_model(label).objects

    call, fund = w.project_call.pk, w.fund.pk
    apps_cols = ("number", "title", "institution__name", "state", "created_at")
    return [
        ("officer inbox", "officer", reverse("inbox"), 25,
         lambda u: m("poc.Application").filter(state="submitted").order_by("-submitted_at"), apps_cols),
        ("application list", "officer", reverse("application-list"), 25,
         lambda u: m("poc.Application").order_by("-created_at"), apps_cols),
        ("applicant home", "applicant", reverse("home"), 20,
         lambda u: m("poc.Application").filter(institution__group__user=u).order_by("-created_at"), apps_cols),
        ("applicant's application list", "applicant", reverse("application-list"), 25,
         lambda u: m("poc.Application").filter(institution__group__user=u).order_by("-created_at"), apps_cols),
        ("expert review queue", "expert", reverse("review:queue"), 50,
         lambda u: m("review.Assignment").filter(expert__user=u, state="active")
         .order_by("application__call_id", "application__number"),
         ("application__number", "application__title", "review__state", "review__submitted_at")),
        ("review console", "officer", reverse("review:console", args=[call]), 1_000,
         lambda u: m("poc.Application").filter(call_id=call, state__in=("under_review", "reviewed")), apps_cols),
        ("ranking", "officer", reverse("review:ranking", args=[call]), 1_000,
         lambda u: m("poc.Application").filter(call_id=call, state__in=("under_review", "reviewed")), apps_cols),
        ("fund detail", "fund_manager", reverse("funding:fund", args=[fund]), 25,
         lambda u: m("funding.FundingDecision").filter(fund_id=fund).order_by("-proposed_at"),
         ("application__number", "application__title", "application__institution__name", "instrument", "state")),
        ("funding decisions", "officer", reverse("funding:decisions"), 25,
         lambda u: m("funding.FundingDecision").order_by("-proposed_at"),
         ("application__number", "application__title", "application__institution__name", "instrument", "state")),
        ("centers", "officer", reverse("center-list"), 25,
         lambda u: m("poc.Center").order_by("valid_until"),
         ("designation_number", "name", "institution__name", "state", "valid_until")),
        ("projects", "officer", reverse("project-list"), 25,
         lambda u: m("poc.Project").order_by("-approved_on"),
         ("project_number", "title", "institution__name", "state", "due_on")),
        ("notifications", "applicant", reverse("notification-list"), 25,
         lambda u: m("poc.Notification").filter(recipient=u).order_by("-created_at"), ("title", "link", "created_at")),
        ("transfer results", "applicant", reverse("transfer:results"), 25,
         lambda u: m("transfer.Result").order_by("-id"), ("title", "registration_number", "stage")),
        ("API applications", "officer", reverse("api:application-list"), 50,
         lambda u: m("poc.Application").order_by("-created_at"), apps_cols),
        ("API assignments", "expert", reverse("review-api:assignment-list"), 50,
         lambda u: m("review.Assignment").filter(expert__user=u), ("application_id", "state", "assigned_at")),
        ("API funding decisions", "officer", reverse("funding-api:funding-decision-list"), 50,
         lambda u: m("funding.FundingDecision").order_by("-proposed_at"),
         ("application_id", "instrument", "grant_amount", "equity_amount", "state")),
        ("API investments", "fund_manager", reverse("funding-api:investment-list"), 50,
         lambda u: m("funding.Investment").order_by("-invested_on"),
         ("investee_name", "amount", "stake", "invested_on")),
        ("API tranches", "officer", reverse("funding-api:tranche-list"), 50,
         lambda u: m("funding.Tranche").order_by("-id"), ("decision_id", "part", "amount", "state")),
        ("API funds", "officer", reverse("funding-api:fund-list"), 50,
         lambda u: m("funding.Fund").order_by("name"), ("name", "size", "manager_organisation")),
        ("API centers", "officer", reverse("api:center-list"), 50,
         lambda u: m("poc.Center").order_by("-id"), ("designation_number", "name", "state")),
        ("API projects", "officer", reverse("api:project-list"), 50,
         lambda u: m("poc.Project").order_by("-id"), ("project_number", "title", "state")),
    ]


def _worker(rows: int, runs: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import clear_url_caches, reverse
    from rest_framework.test import APIClient

    from benchmarks import lists_urls
    from benchmarks.assignment_e2e import counting_queries
    from benchmarks.lists_seed import seed

    if rows < 1_000:  # the small run (the suite's smoke test): tables from the models, the reference data put in
        from django.apps import apps

        from tests.reference_data import ensure_reference_data

        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        ensure_reference_data()
    else:
        call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        w = seed(rows)
    seed_seconds = time.perf_counter() - t0
    settings.ROOT_URLCONF = "benchmarks.lists_urls"
    clear_url_caches()
    clients = {}
    for role, user in w.users().items():
        if user is not None:
            clients[role], clients[f"api:{role}"] = Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), APIClient()
            clients[role].force_login(user)
            clients[f"api:{role}"].force_login(user)  # the bare view reads the session's user
            clients[f"api:{role}"].force_authenticate(user)
    results = []
    for name, role, url, shown, queryset, fields in _pages(w):
        lists_urls.BARE[name] = (queryset, fields, shown)
        bare_url = reverse("bench-bare", args=[name])
        client = clients[f"api:{role}" if url.startswith("/api/") else role]
        for _ in range(2):  # warm: caches, templates, the first query plans
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
            client.get(bare_url)
        page_times, bare_times = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            client.get(url)
            page_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            client.get(bare_url)
            bare_times.append(time.perf_counter() - t0)
        with counting_queries() as page_queries:
            client.get(url)
        with counting_queries() as bare_queries:
            client.get(bare_url)
        results.append({"name": name, "role": role.replace("_", " "), "shown": min(shown, rows),
                        "page": statistics.median(page_times), "bare": statistics.median(bare_times),
                        "queries": page_queries["n"], "bare_queries": bare_queries["n"]})
    return {"database": f"{connection.vendor} {connection.Database.__name__}", "rows": rows, "runs": runs,
            "load": ", ".join(f"{x:.2f}" for x in os.getloadavg()), "seed_seconds": seed_seconds, "pages": results}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--worker", nargs=2, type=int)
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
    else:
        print(run(small=args.small))
