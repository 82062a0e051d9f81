"""Run every section in benchmarks.SECTIONS, write benchmarks/report.md and print it.

Usage: python -m benchmarks [--small] [--only NAME ...] [--output PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

from benchmarks import SECTIONS

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "report.md"


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def header() -> str:
    env = ", ".join(f"{k}={os.environ[k]}" for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ)
    return "\n".join([
        "# PoC Hub benchmarks",
        "",
        f"- run: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}",
        f"- numpy {_version('numpy')}, ortools {_version('ortools')}"
        + (f"; environment: {env}" if env else ""),
        f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the "
        "machine slows wall-clock figures)",
        "- figures are from this single run; they are not asserted anywhere",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--small", action="store_true", help="tiny sizes (a smoke test)")
    parser.add_argument("--only", nargs="*", default=None, help="section module names (e.g. assignment)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    parts = [header()]
    for name in SECTIONS:
        if args.only and name.rsplit(".", 1)[-1] not in args.only and name not in args.only:
            continue
        module = importlib.import_module(name)
        t0 = time.perf_counter()
        body = module.run(small=args.small)
        parts.append(f"## {module.TITLE}\n\n{body.rstrip()}\n\n_(section ran in {time.perf_counter() - t0:.2f} s)_\n")
    report = "\n".join(parts)
    args.output.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    sys.stdout.write(f"\n(report written to {args.output})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
