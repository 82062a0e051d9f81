"""Result–demand matching in numbers: profiles, the affinity matrix and each row's best matches (no Django).

The affinity is expert review's engine, :func:`review.algorithms.affinity.build_affinity`, reused as it is:
0.6 × Jaccard of the discipline sets + 0.4 × cosine of the keyword sets, in [0, 1]. A discipline also counts as
its parent field (``ENG.MAT`` also counts as ``ENG``), as in review's matching.

:func:`top_matches` is the city-scale batch (20,000 results × 5,000 demands, top 10 each): the matrix is built in
blocks of rows so memory stays bounded (a block of 2,000 × 5,000 float64 is 80 MB), the discipline term is
computed once over the distinct discipline sets, and ``argpartition`` picks each row's best in linear time before
only those k are sorted.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from review.algorithms.affinity import AffinityWeights, build_affinity

BLOCK_ROWS = 2000


@dataclass(frozen=True)
class Profile:
    fields: frozenset = field(default_factory=frozenset)
    keywords: frozenset = field(default_factory=frozenset)


def with_parents(codes) -> frozenset:
    out = set(codes)
    out.update(code.split(".", 1)[0] for code in codes if "." in code)
    return frozenset(out)


def affinity(left: list[Profile], right: list[Profile]) -> np.ndarray:
    if not left or not right:
        return np.zeros((len(left), len(right)))
    return build_affinity([p.fields for p in left], [p.keywords for p in left],
                          [p.fields for p in right], [p.keywords for p in right])


def _unique(sets) -> tuple[list, np.ndarray]:
    """The distinct sets, and for each input the index of its distinct set."""
    index: dict = {}
    inverse = np.fromiter((index.setdefault(s, len(index)) for s in sets), dtype=np.int64, count=len(sets))
    return list(index), inverse


def top_matches(left: list[Profile], right: list[Profile], k: int = 10, *, block: int = BLOCK_ROWS,
                weights: AffinityWeights | None = None, workers: int = 1):
    """For each left profile its ``k`` best right profiles: ``(indices, scores)``, each ``(len(left), k)``,
    best first; slots without a positive score have index -1 and score 0.

    The same affinity as :func:`affinity`, computed in two calls to the engine with its own weights: the
    discipline term once over the *distinct* discipline sets of each side (a taxonomy of a few dozen codes gives
    a few hundred distinct sets, however many results), gathered per block; the keyword term per block of rows.
    Profiles carry normalised tokens already (:func:`transfer.matching.profile` case-folds keywords), so the
    engine is called with ``normalize=False``. ``workers`` > 1 runs blocks on that many threads (each block
    writes its own rows of the output, and numpy releases the GIL in the heavy work).
    """
    n, m = len(left), len(right)
    k_eff = min(k, m)
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float64)
    if not n or not m:
        return indices, scores
    wf, wk = (weights or AffinityWeights()).normalised()
    left_sets, left_of = _unique([p.fields for p in left])
    right_sets, right_of = _unique([p.fields for p in right])
    fields = build_affinity(left_sets, [()] * len(left_sets), right_sets, [()] * len(right_sets),
                            weights=AffinityWeights(fields=1.0, keywords=0.0), normalize=False)
    rk = [p.keywords for p in right]
    no_fields = [()] * m

    def run_block(start: int) -> None:
        part = left[start:start + block]
        matrix = build_affinity([()] * len(part), [p.keywords for p in part], no_fields, rk,
                                weights=AffinityWeights(fields=0.0, keywords=1.0), normalize=False)
        matrix *= wk
        matrix += wf * fields[np.ix_(left_of[start:start + len(part)], right_of)]
        if k_eff < m:
            best = np.argpartition(matrix, m - k_eff, axis=1)[:, m - k_eff:]
        else:
            best = np.tile(np.arange(m), (len(part), 1))
        best_scores = np.take_along_axis(matrix, best, axis=1)
        del matrix
        order = np.lexsort((best, -best_scores), axis=1)  # best first; equal scores: lower index first
        best, best_scores = np.take_along_axis(best, order, axis=1), np.take_along_axis(best_scores, order, axis=1)
        best[best_scores <= 0] = -1
        indices[start:start + len(part), :k_eff] = best
        scores[start:start + len(part), :k_eff] = np.where(best_scores > 0, best_scores, 0.0)

    starts = range(0, n, block)
    if workers > 1 and len(starts) > 1:
        # numpy releases the GIL in the heavy element-wise work: blocks run side by side on several cores.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(run_block, starts))
    else:
        for start in starts:
            run_block(start)
    return indices, scores
