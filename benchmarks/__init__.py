"""`make bench` (= `python -m benchmarks`): seeded synthetic data at scale, timings, a Markdown report.

Hook for later sections: add a module to this package that defines

    TITLE = "…"                      # the section heading
    def run(small: bool = False) -> str: ...   # returns the section's Markdown body

and list its dotted name in SECTIONS. `small=True` must finish in about a second (the test suite
runs every section that way so none of them rots; a section too slow for that sets IN_TEST_SUITE = False
and .ci/run runs it small instead); the full run is what the report quotes.
Sections import only what they need, so one section's dependencies never slow another.
"""

SECTIONS = [
    "benchmarks.assignment",
    "benchmarks.assignment_e2e",
    "benchmarks.ranking",
    "benchmarks.portfolio",
    "benchmarks.documents",
    "benchmarks.transfer",
    "benchmarks.loadtest",
    "benchmarks.lists",
]
