"""The numerical heart of expert review: pure Python + numpy, no Django.

Modules (each documents its formulas):

- :mod:`review.algorithms.affinity`: expert–application affinity from fields and keywords.
- :mod:`review.algorithms.assignment`: exact assignment of k experts per application
  (OR-Tools min-cost flow) and infeasibility diagnosis, over the problem of
  :mod:`review.algorithms.assignment_problem`; :mod:`review.algorithms.assignment_checks` holds a greedy
  baseline and an optimality certificate.
- :mod:`review.algorithms.draw`: reproducible seeded random draw (随机抽取) of experts.
- :mod:`review.algorithms.aggregation`: weighted totals, per-application statistics
  (mean, median, trimmed mean 去掉一个最高分和一个最低分, sample std, spread, divergence),
  ranks and Spearman correlation.
- :mod:`review.algorithms.calibration`: reviewer leniency/severity (additive bias model, least squares).
- :mod:`review.algorithms.ranking`: ranking a call by its chosen aggregate with a fixed tie rule.

Identifiers (applications, experts) are integers (database primary keys).
"""

from .affinity import AffinityWeights, build_affinity, field_overlap
from .aggregation import Aggregates, ReviewTable, Rubric, aggregate, rankdata, spearman
from .assignment import AssignmentInfeasible, AssignmentResult, solve_assignment
from .assignment_checks import Certificate, certify, greedy_assign
from .assignment_problem import Arcs, AssignmentProblem
from .calibration import Calibration, calibrate
from .draw import DrawResult, draw_experts, make_seed
from .ranking import TIE_RULE, Ranking, rank_applications, rank_call

__all__ = [
    "AffinityWeights",
    "Aggregates",
    "Arcs",
    "AssignmentInfeasible",
    "AssignmentProblem",
    "AssignmentResult",
    "Calibration",
    "Certificate",
    "DrawResult",
    "Ranking",
    "ReviewTable",
    "Rubric",
    "TIE_RULE",
    "aggregate",
    "build_affinity",
    "calibrate",
    "certify",
    "draw_experts",
    "field_overlap",
    "greedy_assign",
    "make_seed",
    "rank_applications",
    "rank_call",
    "rankdata",
    "solve_assignment",
    "spearman",
]
