"""Section 5: matching results with demands at city scale, and the public catalogue's search.

1. Batch match: 20,000 results × 5,000 demands, the top 10 demands of each result, with
   :func:`transfer.algorithms.top_matches` (expert review's affinity engine on candidate pairs). Synthetic profiles
   drawn from the project's discipline taxonomy (1–3 leaf codes each, counted with their parent fields) and a
   3,000-word keyword vocabulary (3–7 keywords each). Goal: ≤ 5 s.
2. Catalogue search on PostgreSQL (only when DATABASE_URL names a PostgreSQL server): a throwaway database is
   created on that server, migrated (so the pg_trgm GIN index exists), filled with 100,000 published results and
   searched for Chinese substrings the way the catalogue page does (first page of 30 + the count). Goal: ≤ 200 ms.
   The database is dropped afterwards. Without PostgreSQL the section says it was skipped.
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

import numpy as np

TITLE = "5. Results ↔ demands matching and the public catalogue's search"
MATCH_TARGET_SECONDS = 5.0
SEARCH_TARGET_MS = 200.0
ROOT = Path(__file__).resolve().parent.parent
SEED = 20261203
LEAVES = ["ENG.ELEC", "ENG.MECH", "ENG.AUTO", "ENG.PUMP", "ENG.MAT", "ENG.CHEM", "ENG.ENV", "ENG.MARINE", "ICT.AI",
          "ICT.SEMI", "ICT.SW", "ICT.OPTO", "LIFE.PHARMA", "LIFE.DEVICE", "LIFE.AGRI", "CONS.SHOES", "CONS.SMART",
          "BIZ.TT", "BIZ.FIN"]
TERMS = ["钠离子电池", "机器视觉", "耐磨涂层", "电池", "传感器芯片", "氢燃料电池"]
WORDS = ["钠离子电池", "固态电解质", "机器视觉", "缺陷检测", "耐磨涂层", "海水淡化", "复合膜", "智能脱扣", "断路器",
         "传感器芯片", "激光焊接", "生物医药", "中药提取", "排样算法", "镀膜工艺", "泵阀密封", "储能系统", "智能家居",
         "鞋类检测", "数字孪生", "工业互联网", "柔性电子", "氢燃料", "光伏组件", "医疗器械"]


def profiles(rng: np.random.Generator, n: int, vocab: int = 3000):
    from transfer.algorithms import Profile, with_parents

    out = []
    for _ in range(n):
        codes = [LEAVES[i] for i in rng.choice(len(LEAVES), size=int(rng.integers(1, 4)), replace=False)]
        words = frozenset(f"kw{i}" for i in rng.choice(vocab, size=int(rng.integers(3, 8)), replace=False))
        out.append(Profile(with_parents(codes), words))
    return out


def match_section(small: bool) -> list[str]:
    from transfer.algorithms import top_matches

    n_results, n_demands, k = (400, 100, 10) if small else (20_000, 5_000, 10)
    rng = np.random.default_rng(SEED)
    results, demands = profiles(rng, n_results), profiles(rng, n_demands)
    t0 = time.perf_counter()
    indices, scores = top_matches(results, demands, k)
    seconds = time.perf_counter() - t0
    filled = int((indices >= 0).sum())
    verdict = "within" if seconds <= MATCH_TARGET_SECONDS else "over"
    return [
        f"Batch match of {n_results:,} results × {n_demands:,} demands ({n_results * n_demands:,} pairs), top {k} "
        f"each, `transfer.algorithms.top_matches` (review's affinity engine on each result's candidate demands, blocks of 64 results):",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| wall time | **{seconds:.2f} s** ({verdict} the {MATCH_TARGET_SECONDS:.0f} s goal) |",
        f"| pairs covered per second (each scored, or ruled out without scoring) | {n_results * n_demands / seconds:,.0f} |",
        f"| matches returned (score > 0) | {filled:,} of {n_results * k:,} |",
        f"| best score, median of the rows' best | {scores[:, 0].max():.4f}, {np.median(scores[:, 0]):.4f} |",
        "",
    ]


def search_section(small: bool) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    if small or not url.startswith(("postgres://", "postgresql://")):
        return ["Catalogue search on PostgreSQL: skipped (set `DATABASE_URL=postgres://…` to a server where the "
                "bench may create and drop a throwaway database)."]
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"pochub_bench_transfer_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with tempfile.TemporaryDirectory(prefix="pochub-bench-") as tmp:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"{base}/{name}",
                   "DEBUG": "0", "SECRET_KEY": "benchmark-throwaway-key", "CELERY_BROKER_URL": "",
                   "PRIVATE_MEDIA_ROOT": str(Path(tmp) / "media")}
            done = subprocess.run([sys.executable, "-m", "benchmarks.transfer", "--worker", "100000"], cwd=ROOT,
                                  env=env, capture_output=True, text=True, check=False)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
    if done.returncode != 0:
        raise RuntimeError(f"the catalogue search benchmark failed:\n{done.stderr[-4000:]}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    rows = [
        f"Catalogue search on PostgreSQL {r['server']}: {r['results']:,} published results (seeded in "
        f"{r['seed_seconds']:.1f} s, migrated in {r['migrate_seconds']:.1f} s), the page's query: the first 30 "
        "matches newest first, plus their count. Best of 5 per term:",
        "",
        "| term | matches | first page + count | plan of the count |",
        "|---|---:|---:|---|",
    ]
    for term in r["terms"]:
        verdict = "✓" if term["ms"] <= SEARCH_TARGET_MS else "over"
        rows.append(f"| {term['term']} | {term['count']:,} | **{term['ms']:.1f} ms** {verdict} | {term['plan']} |")
    worst = max(t["ms"] for t in r["terms"])
    rows += ["", f"Slowest term: {worst:.1f} ms ({'within' if worst <= SEARCH_TARGET_MS else 'over'} the "
             f"{SEARCH_TARGET_MS:.0f} ms goal)."]
    return rows


def run(small: bool = False) -> str:
    return "\n".join(match_section(small) + search_section(small))


# ------------------------------------------------------------------------------------- the child process

def worker(n_results: int) -> dict:
    import random

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from poc.models import Institution
    from transfer import selectors
    from transfer.models import Result
    from transfer.models.results import bigrams

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - t0
    rng = random.Random(SEED)
    # A realistic vocabulary: the named technologies are each in about 1 % of the results, the rest of the
    # words are drawn from 5,000 made-up terms of 2–4 common characters.
    chars = "智能材料电子光学生物医药检测装置系统方法工艺设备控制传感新型高效环保节能复合精密制造数据网络平台"
    pool = ["".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) for _ in range(5000)]

    def word():
        return rng.choice(WORDS) if rng.random() < 0.15 else rng.choice(pool)

    t0 = time.perf_counter()
    user = get_user_model().objects.create(username="bench@example.org", email="bench@example.org")
    institution = Institution.objects.create(
        name="Bench University", credit_code="91330300MA2BENCH00", type="university", district="鹿城区",
        address="—", contact_name="—", contact_phone="—", contact_email="bench@example.org",
        group=Group.objects.create(name="institution:bench"))
    batch = []
    for i in range(n_results):
        a, b = word(), word()
        title = f"一种{a}与{b}的方法（{i}）"
        summary = f"本成果涉及{a}、{b}和{word()}，适用于温州相关产业。"
        keywords = f"{a}, {b}"
        text = " ".join([title, summary, keywords]).casefold()
        batch.append(Result(institution=institution, created_by=user, title=title, result_type="invention_patent",
                            public_summary=summary, keywords=keywords, published=True, search_text=text,
                            search_grams=bigrams(text)))
        if len(batch) == 5000:
            Result.objects.bulk_create(batch)
            batch = []
    Result.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE transfer_result")
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    seed_seconds = time.perf_counter() - t0
    terms = []
    for term in TERMS:
        queryset = selectors.search(selectors.catalogue_results(), term).order_by("-id")
        timings = []
        for _ in range(5):
            t0 = time.perf_counter()
            page = list(queryset[:30])
            count = queryset.count()
            timings.append(time.perf_counter() - t0)
        plan = " / ".join(line.strip().split("  (")[0].lstrip("-> ") for line in queryset.values("id")
                          .explain().splitlines() if "Scan" in line or "Limit" in line)[:160]
        terms.append({"term": term, "count": count, "ms": min(timings) * 1000, "plan": plan, "page": len(page)})
    return {"server": server, "results": n_results, "seed_seconds": seed_seconds, "migrate_seconds": migrate_seconds,
            "terms": terms}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.transfer")
    parser.add_argument("--worker", type=int, metavar="RESULTS", help="(internal) seed and time on DATABASE_URL")
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker)))
    else:
        print(run(small=args.small))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
