"""Section 3: the portfolio figures of a large fund (funding.selectors.portfolio).

One fund holding 2,000 investments with 20,000 dated cash flows behind them (exits and valuation
marks), seeded with bulk_create into a throwaway SQLite database. The benchmark runs outside pytest,
so it sets Django up itself, in a child process (``python -m benchmarks.portfolio --worker …``) with
DJANGO_SETTINGS_MODULE=config.settings and DATABASE_URL pointing to a temporary file: whatever
Django state the caller has (another section, or the test suite's test database) is left alone.
The full run builds the schema with the project's migrations; the small run, which must take about a
second, keeps the database in memory and creates the same tables straight from the models.

It reports the time of funding.figures.portfolio(fund) (first call and best of five), its query count,
and what it computed: invested, realised, unrealised, MOIC and XIRR.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TITLE = "3. Portfolio figures of a large fund"
TARGET_SECONDS = 1.0
ROOT = Path(__file__).resolve().parent.parent
SEED = 20260512


def run(small: bool = False) -> str:
    n_investments, n_flows = (100, 1_000) if small else (2_000, 20_000)
    with tempfile.TemporaryDirectory(prefix="pochub-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # The small run (the test suite's smoke test) keeps the database in memory: no disk syncs.
            "DATABASE_URL": "sqlite://:memory:" if small else f"sqlite:///{Path(tmp) / 'portfolio.sqlite3'}",
            "DEBUG": "0",  # no query log slowing the timed calls
            "SECRET_KEY": "benchmark-throwaway-key",
            "CELERY_BROKER_URL": "",
            "PRIVATE_MEDIA_ROOT": str(Path(tmp) / "media"),
        }
        args = [sys.executable, "-m", "benchmarks.portfolio", "--worker", str(n_investments), str(n_flows)]
        if small:
            args.append("--schema-from-models")
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the portfolio benchmark failed:\n{done.stderr[-4000:]}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    best = r["best_seconds"]
    verdict = "within" if best <= TARGET_SECONDS else "over"
    return "\n".join([
        f"One fund: {r['investments']:,} investments ({r['conversions']:,} from converted grants), "
        f"{r['exits']:,} exits and {r['marks']:,} valuation marks ({r['exits'] + r['marks']:,} dated flows), "
        f"in SQLite ({r['database']}; schema: {r['schema']}; seeded in {r['seed_seconds']:.2f} s). "
        f"`figures.portfolio(fund, as_of={r['as_of']})`:",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| first call (includes importing numpy for the XIRR) | {r['first_seconds']:.4f} s |",
        f"| best of 5 | **{best:.4f} s** ({verdict} the {TARGET_SECONDS:.0f} s target) |",
        f"| SQL queries per call | {r['queries']} |",
        f"| cash flows in the XIRR (investments, exits, one terminal value from the latest marks) | "
        f"{r['cash_flows']:,} |",
        f"| invested / converted | ¥{r['invested']} / ¥{r['converted']} |",
        f"| realised / unrealised | ¥{r['realised']} / ¥{r['unrealised']} |",
        f"| MOIC | {r['moic']} |",
        f"| XIRR | {r['irr_percent']} |",
    ])


# ------------------------------------------------------------------------------------- the child process

def _schema(from_models: bool) -> str:
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    if from_models:
        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
        call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
        return "tables created from the models"
    call_command("migrate", verbosity=0, interactive=False)
    return "the project's migrations"


def _seed(n_investments: int, n_flows: int):
    """One fund; n_investments / 10 approved decisions of 10 investments each; n_flows exits and marks."""
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from funding.finance import stake_from_pre_money
    from funding.models import Exit, Fund, FundingDecision, Investment, ValuationMark
    from poc.models import Application, Call, Institution

    rng = random.Random(SEED)
    cent = Decimal("0.01")
    now = timezone.now()
    user = get_user_model().objects.create(username="bench@example.org", email="bench@example.org")
    institution = Institution.objects.create(
        name="Bench Institution", credit_code="91330300MA2BENCH00", type="university", district="鹿城区",
        address="—", contact_name="—", contact_phone="—", contact_email="bench@example.org",
        group=Group.objects.create(name="institution:bench"))
    call = Call.objects.create(kind="poc_project", round="2026", title="Bench call", opens_at=now - timedelta(days=30),
                               closes_at=now)
    fund = Fund.objects.create(name="Bench fund", manager_organisation="—", size=Decimal("10000000000.00"),
                               group=Group.objects.create(name=Fund.group_name_for("Bench fund")))
    n_decisions = max(n_investments // 10, 1)
    apps = Application.objects.bulk_create([
        Application(call=call, institution=institution, kind="poc_project", number=f"B-{i:06d}", title=f"Project {i}",
                    state="approved", created_by=user) for i in range(n_decisions)])
    decisions = FundingDecision.objects.bulk_create([
        FundingDecision(application=a, instrument="equity", equity_amount=Decimal("100000000.00"), fund=fund,
                        state="approved", proposed_by=user, equity_approved_by=user, equity_approved_at=now)
        for a in apps])

    investments = []
    for i in range(n_investments):
        amount = Decimal(rng.randrange(200_000, 5_000_000)).quantize(cent)
        pre = Decimal(rng.randrange(5_000_000, 80_000_000)).quantize(cent)
        investments.append(Investment(
            decision=decisions[i % n_decisions], fund=fund, investee_name=f"Investee {i}",
            investee_credit_code="91330300MA2BENCH00", amount=amount, pre_money_valuation=pre,
            stake=stake_from_pre_money(amount, pre), is_conversion=(i % 10 == 0),
            invested_on=date(2019, 1, 1) + timedelta(days=rng.randrange(0, 5 * 365)), recorded_by=user))
    investments = Investment.objects.bulk_create(investments, batch_size=500)

    # Flows: one in ten is an exit (a partial sale), the others quarterly marks; some fall after as_of.
    exits, marks = [], []
    for k in range(n_flows):
        inv = investments[k % n_investments]
        nth = k // n_investments
        on = inv.invested_on + timedelta(days=91 * (nth + 1))
        if nth == 4:
            exits.append(Exit(investment=inv, kind="secondary", exited_on=on, stake_sold=Decimal("0.0001"),
                              proceeds=(inv.amount * Decimal(rng.uniform(0.05, 0.6))).quantize(cent),
                              recorded_by=user))
        else:
            marks.append(ValuationMark(investment=inv, marked_on=on, recorded_by=user,
                                       value=(inv.amount * Decimal(rng.uniform(0.2, 3.0))).quantize(cent)))
    Exit.objects.bulk_create(exits, batch_size=1000)
    ValuationMark.objects.bulk_create(marks, batch_size=1000)
    return fund, {"investments": len(investments), "conversions": sum(i.is_conversion for i in investments),
                  "exits": len(exits), "marks": len(marks)}


def worker(n_investments: int, n_flows: int, schema_from_models: bool) -> dict:
    import django

    django.setup()
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from funding import figures as funding_figures

    schema = _schema(schema_from_models)
    t0 = time.perf_counter()
    fund, counts = _seed(n_investments, n_flows)
    seed_seconds = time.perf_counter() - t0
    as_of = date(2025, 12, 31)

    t0 = time.perf_counter()
    figures = funding_figures.portfolio(fund, as_of=as_of)
    first = time.perf_counter() - t0
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        again = funding_figures.portfolio(fund, as_of=as_of)
        timings.append(time.perf_counter() - t0)
        assert again == figures
    with CaptureQueriesContext(connection) as queries:
        funding_figures.portfolio(fund, as_of=as_of)
    return {
        **counts, "schema": schema, "seed_seconds": seed_seconds, "as_of": as_of.isoformat(),
        "database": "in memory" if connection.settings_dict["NAME"] == ":memory:" else "a temporary file",
        "first_seconds": first, "best_seconds": min(timings), "queries": len(queries),
        "cash_flows": figures.cash_flows, "invested": f"{figures.invested:,.2f}",
        "converted": f"{figures.converted:,.2f}", "realised": f"{figures.realised:,.2f}",
        "unrealised": f"{figures.unrealised:,.2f}", "moic": str(figures.moic),
        "irr_percent": "—" if figures.irr is None else f"{figures.irr * 100:.4f} %",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.portfolio")
    parser.add_argument("--worker", nargs=2, type=int, metavar=("INVESTMENTS", "FLOWS"),
                        help="(internal) seed and time in this process; needs DATABASE_URL to a throwaway database")
    parser.add_argument("--schema-from-models", action="store_true")
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(*args.worker, args.schema_from_models)))
    else:
        print(run(small=args.small))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
