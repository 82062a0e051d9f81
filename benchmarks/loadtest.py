"""Section: throughput under load, gunicorn (4 workers) on the real database, with a bare view as the reference.

A throwaway database (PostgreSQL when ``DATABASE_URL`` points to one, else a SQLite file) is migrated and
seeded with the demo data (every role's login) plus a few hundred more applications and reviews so that
lists have rows to page through. Each simulated user holds a signed-in session of its role and walks that
role's pages in a random order, without pause:

- experts: the review queue and a review form; applicants: home, the application list and an application;
- officers: the inbox, the application list and a call's ranking; fund managers: funding home and decisions;
- the API lists (applications, reviews, funding decisions) as officer, expert and fund manager.

Then the same users request ``/bench/bare/``, a bare Django view that renders 50 applications with a minimal
template through the same middleware, for the reference throughput in the same run. Reported: requests/s,
p50/p95/p99 per page, errors (any status but 200, or a failed connection). The goals: 0 errors, and the mix's
throughput ≥ 40 % of the bare view's.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.support import throwaway_postgres

TITLE = "Throughput under load: gunicorn, 4 workers, 50 simulated users, a bare view as the reference"
ROOT = Path(__file__).resolve().parent.parent
# Minutes even at the small size (migrate, demo data, a server): .ci/run runs it small on PostgreSQL instead of
# every `make test` (tests/review/test_benchmarks.py checks that it does).
IN_TEST_SUITE = False
USERS = 50
WORKERS = 4
GOAL_RATIO = 0.40


def run(small: bool = False) -> str:
    duration, reference = (5.0, 3.0) if small else (60.0, 20.0)
    users = 10 if small else USERS
    with tempfile.TemporaryDirectory(prefix="pochub-load-") as tmp:
        env, dropper = _environment(Path(tmp))
        try:
            plan = _prepare(env, extra=40 if small else 400)
            port = _free_port()
            server = _start_gunicorn(env, port, Path(tmp) / "gunicorn.log")
            try:
                # every worker imports, compiles its templates and opens its connection first: not measured
                _drive(port, plan["users"], users, 3.0 if small else 15.0)
                load_before = os.getloadavg()[0]
                mixed = _drive(port, plan["users"], users, duration)
                bare = _drive(port, [{"role": "bare", "session": "", "pages": [["bare view", "/bench/bare/"]]}],
                              users, reference)
                load_after = os.getloadavg()[0]
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(30)
        finally:
            if dropper:
                dropper()
    return _report(plan, mixed, bare, users, duration, reference, load_before, load_after)


# ------------------------------------------------------------------------------------------ set-up

def _environment(tmp: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.loadtest_settings", "DEBUG": "0",
           "SECRET_KEY": "benchmark-throwaway-key-" + "x" * 30, "CELERY_BROKER_URL": "", "EMAIL_URL": "dummymail://",
           "PRIVATE_MEDIA_ROOT": str(tmp / "media"), "STATIC_ROOT": str(tmp / "static"), "ALLOWED_HOSTS": "127.0.0.1,testserver", "SECURE_SSL_REDIRECT": "0",
           "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "REQUIRE_SECOND_FACTOR": "0",
           "LOG_LEVEL": "WARNING", "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60")}
    url = os.environ.get("DATABASE_URL", "")
    dropper = None
    if url.startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"], dropper = throwaway_postgres(url, "pochub_load")
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'load.sqlite3'}"
    return env, dropper


def _prepare(env: dict, extra: int) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.loadtest_seed", str(extra)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seeding the load test failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(env: dict, port: int, log: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = _get(port, "/health/", "")
            if status in (200, 503):
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {log.read_text()[-3000:]}")


# ------------------------------------------------------------------------------------------ the driver

def _get(port: int, path: str, session: str, timeout: float = 60.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Accept-Language": "zh-hans", "Host": "127.0.0.1"}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def _drive(port: int, personas: list[dict], users: int, seconds: float) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def user(index: int):
        rng = random.Random(index)
        persona = personas[index % len(personas)]
        while time.monotonic() < stop_at:
            label, path = rng.choice(persona["pages"])
            t0 = time.perf_counter()
            try:
                status, _ = _get(port, path, persona["session"])
                problem = None if status == 200 else f"HTTP {status} {path}"
            except OSError as exc:
                problem = f"{type(exc).__name__} {path}"
            elapsed = time.perf_counter() - t0
            with lock:
                timings[label].append(elapsed)
                if problem:
                    errors[label].append(problem)

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {"timings": dict(timings), "errors": dict(errors), "wall": wall}


# ------------------------------------------------------------------------------------------ the report

def _quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def _report(plan, mixed, bare, users, duration, reference, load_before, load_after) -> str:
    total = sum(len(v) for v in mixed["timings"].values())
    failed = sum(len(v) for v in mixed["errors"].values())
    rps = total / mixed["wall"]
    bare_total = sum(len(v) for v in bare["timings"].values())
    bare_failed = sum(len(v) for v in bare["errors"].values())
    bare_rps = bare_total / bare["wall"]
    ratio = rps / bare_rps if bare_rps else 0.0
    verdict = "meets the goal" if ratio >= GOAL_RATIO and failed == 0 else "**misses the goal**"
    lines = [
        f"Database: **{plan['database']}**; gunicorn {WORKERS} sync workers; {users} simulated users without pause; "
        f"{duration:g} s of the mix, then {reference:g} s of the bare view; load average {load_before:.2f} before, "
        f"{load_after:.2f} after. Data: {plan['rows']}.",
        "",
        "| measure | mix | bare view (reference) | ratio | goal | result |",
        "|---|---:|---:|---:|---:|---|",
        f"| requests/s | {rps:.1f} | {bare_rps:.1f} | {ratio:.0%} | ≥ {GOAL_RATIO:.0%} | {verdict} |",
        f"| requests / errors | {total:,} / {failed} | {bare_total:,} / {bare_failed} | | 0 errors | "
        f"{'none' if failed == 0 else '**errors**'} |",
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, values in sorted(list(mixed["timings"].items()) + list(bare["timings"].items())):
        errs = len(mixed["errors"].get(label, [])) + len(bare["errors"].get(label, []))
        lines.append(f"| {label} | {len(values):,} | {_quantile(values, .5) * 1000:.0f} | "
                     f"{_quantile(values, .95) * 1000:.0f} | {_quantile(values, .99) * 1000:.0f} | {errs} |")
    samples = [e for v in list(mixed["errors"].values()) + list(bare["errors"].values()) for e in v][:5]
    if samples:
        lines += ["", "First errors: " + "; ".join(f"`{s}`" for s in samples)]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(small="--small" in sys.argv))
