"""The benchmark sections run at a tiny size (no timing is asserted: figures live in the report)."""

import importlib

import pytest

from benchmarks import SECTIONS
from benchmarks.__main__ import main


@pytest.mark.parametrize("name", SECTIONS)
def test_each_section_runs_small(name):
    module = importlib.import_module(name)
    assert module.TITLE
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
