"""The benchmark sections run at a tiny size (no timing is asserted: figures live in the report)."""

import importlib
from pathlib import Path

import pytest

from benchmarks import SECTIONS
from benchmarks.__main__ import main


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_runs_small(name):
    module = importlib.import_module(name)
    assert module.TITLE
    if not getattr(module, "IN_TEST_SUITE", True):
        ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
        runs = [line for line in ci.splitlines() if "-m benchmarks" in line and "--small" in line]
        assert any(name.rsplit(".", 1)[-1] in line for line in runs), f"{name} runs neither here nor in .ci/run"
        return
    body = module.run(small=True)
    assert "|" in body


def test_main_writes_the_report(tmp_path, capsys):
    out = tmp_path / "report.md"
    assert main(["--small", "--only", "assignment", "ranking", "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# PoC Hub benchmarks")
    assert "## 1. Automatic assignment" in text and "## 2. Aggregation" in text
    assert "| min-cost flow | OPTIMAL |" in text
    assert text in capsys.readouterr().out
