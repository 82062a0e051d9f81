"""Result–demand matching in numbers: profiles, the affinity matrix and each row's best matches (no Django).

The affinity is expert review's engine, :func:`review.algorithms.affinity.build_affinity`, reused as it is:
0.6 × Jaccard of the discipline sets + 0.4 × cosine of the keyword sets, in [0, 1]. A discipline also counts as
its parent field (``ENG.MAT`` also counts as ``ENG``), as in review's matching.

:func:`top_matches` is the city-scale batch (20,000 results × 5,000 demands, top 10 each). It does not fill the
whole 100-million-pair matrix: it scores each result only against the demands that could be among its best (those
sharing a keyword, and its best by disciplines alone), with exactly the engine's scores.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from review.algorithms.affinity import AffinityWeights, build_affinity

BLOCK_ROWS = 64


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
                weights: AffinityWeights | None = None):
    """For each left profile its ``k`` best right profiles: ``(indices, scores)``, each ``(len(left), k)``,
    best first; slots without a positive score have index -1 and score 0.

    The same scores as :func:`affinity` (all pairs), computed on far fewer pairs. A right profile sharing no
    keyword with a left one scores ``w_f · J`` only, so it can be among that left profile's best k only if it is
    among its best k by disciplines alone. Each left profile is therefore scored against (a) the right profiles
    sharing one of its keywords (an inverted index) and (b) its k best by disciplines; every other pair scores
    no more than the k-th of (b). The discipline term comes from one call to the engine over the *distinct*
    discipline sets of each side (a taxonomy of a few dozen codes gives a few hundred distinct sets), the
    keyword term from one call per block of left rows against the union of their candidates. Among equal scores
    at the k-th place the choice of index is arbitrary; the scores are exact. Profiles carry normalised tokens
    (:func:`transfer.matching.profile` case-folds keywords), so the engine is called with ``normalize=False``.
    """
    n, m = len(left), len(right)
    indices = np.full((n, k), -1, dtype=np.int64)
    scores = np.zeros((n, k), dtype=np.float64)
    if not n or not m or k <= 0:
        return indices, scores
    wf, wk = (weights or AffinityWeights()).normalised()
    left_sets, left_of = _unique([p.fields for p in left])
    right_sets, right_of = _unique([p.fields for p in right])
    fields = build_affinity(left_sets, [()] * len(left_sets), right_sets, [()] * len(right_sets),
                            weights=AffinityWeights(fields=1.0, keywords=0.0), normalize=False)
    members: list[list[int]] = [[] for _ in right_sets]
    for j, u in enumerate(right_of):
        members[u].append(j)
    best_by_fields = []  # per distinct left discipline set: its k best right profiles by disciplines alone
    for u in range(len(left_sets)):
        columns: list[int] = []
        for v in np.argsort(-fields[u], kind="stable"):
            if fields[u, v] <= 0 or len(columns) >= k:
                break
            columns.extend(members[v][:k - len(columns)])
        best_by_fields.append(columns)
    postings: dict = defaultdict(list)
    for j, p in enumerate(right):
        for word in p.keywords:
            postings[word].append(j)
    right_keywords = [p.keywords for p in right]
    # Rows sharing keywords share candidates: taken in keyword order, each block's union of candidates is smaller.
    order = sorted(range(n), key=lambda i: min(left[i].keywords, default=""))
    for start in range(0, n, block):
        rows = np.array(order[start:start + block], dtype=np.int64)
        candidates: set[int] = set()
        for i in rows:
            candidates.update(best_by_fields[left_of[i]])
            for word in left[i].keywords:
                candidates.update(postings.get(word, ()))
        if not candidates:
            continue
        columns = np.fromiter(sorted(candidates), dtype=np.int64, count=len(candidates))
        part = [left[i] for i in rows]
        matrix = build_affinity([()] * len(part), [p.keywords for p in part], [()] * len(columns),
                                [right_keywords[j] for j in columns],
                                weights=AffinityWeights(fields=0.0, keywords=1.0), normalize=False)
        matrix *= wk
        matrix += wf * fields[np.ix_(left_of[rows], right_of[columns])]
        width = len(columns)
        kk = min(k, width)
        best = np.argpartition(matrix, width - kk, axis=1)[:, width - kk:] if kk < width else \
            np.tile(np.arange(width), (len(part), 1))
        best_scores = np.take_along_axis(matrix, best, axis=1)
        by_score = np.argsort(-best_scores, axis=1, kind="stable")
        best_scores = np.take_along_axis(best_scores, by_score, axis=1)
        best = columns[np.take_along_axis(best, by_score, axis=1)]
        indices[rows, :kk] = np.where(best_scores > 0, best, -1)
        scores[rows, :kk] = np.where(best_scores > 0, best_scores, 0.0)
    return indices, scores
