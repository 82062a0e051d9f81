"""Expert–application affinity (专业匹配度) from fields and keywords.

Formula, for application *a* and expert *e* with field sets F and keyword sets K::

    affinity(a, e) = w_f · J(F_a, F_e) + w_k · C(K_a, K_e)

    J(X, Y) = |X ∩ Y| / |X ∪ Y|            Jaccard on fields (学科/产业领域); 0 when both are empty
    C(X, Y) = |X ∩ Y| / sqrt(|X| · |Y|)    cosine of the binary keyword vectors (Ochiai); 0 when either is empty

with ``w_f = 0.6`` and ``w_k = 0.4`` by default (:class:`AffinityWeights`; the weights are divided by
their sum, so the affinity is always in [0, 1]). Fields are a short controlled list, so Jaccard
rewards an exact match of the whole profile; keyword lists differ in length between applicants and
experts, and cosine penalises that asymmetry less than Jaccard does.

Tokens are compared after ``str(token).strip().casefold()`` (so "AI" and "ai " match); pass
``normalize=False`` to compare them as given.

Vectorised: only tokens that occur on *both* sides matter for intersections (a token known to one
side only changes set sizes). Intersection counts come either from an inverted index (every pair
sharing a token found with ``np.repeat`` and counted by one ``np.bincount``; cheap when sets are
small and vocabularies large, the usual case) or from one 0/1 matrix product ``A @ E.T`` in
float32 (exact for counts below 2**24; in column blocks to bound memory), whichever costs less.
The only Python loop is over the entities to read their sets (O(applications + experts)), never
over pairs.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["AffinityWeights", "build_affinity", "field_overlap", "intersection_counts"]

# Upper bound on the bytes of one block of 0/1 indicator columns (both sides together).
_BLOCK_BYTES = 64 * 1024 * 1024
# Above this many token matches the sparse path's index arrays get large; use BLAS instead.
_SPARSE_MAX_PAIRS = 50_000_000


@dataclass(frozen=True)
class AffinityWeights:
    """Weights of the two affinity terms; normalised to sum to 1."""

    fields: float = 0.6
    keywords: float = 0.4

    def normalised(self) -> tuple[float, float]:
        if self.fields < 0 or self.keywords < 0:
            raise ValueError("affinity weights must be non-negative")
        total = self.fields + self.keywords
        if total <= 0:
            raise ValueError("at least one affinity weight must be positive")
        return self.fields / total, self.keywords / total


def _norm(token: Hashable) -> Hashable:
    return str(token).strip().casefold()


def _token_sets(sets: Sequence[Iterable[Hashable]], normalize: bool) -> list[frozenset]:
    if normalize:
        return [frozenset(_norm(t) for t in s) for s in sets]
    return [frozenset(s) for s in sets]


def intersection_counts(
    left: Sequence[Iterable[Hashable]],
    right: Sequence[Iterable[Hashable]],
    *,
    normalize: bool = True,
    method: str = "auto",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return ``(inter, left_sizes, right_sizes)``: ``inter[i, j] = |left[i] ∩ right[j]|`` (float64).

    ``method``: "sparse" counts token matches through an inverted index (one ``bincount`` over all
    (left, right) pairs that share a token: cost Σ_t |left_t|·|right_t|), "dense" multiplies 0/1
    matrices (cost n_left·n_right·vocabulary, BLAS); "auto" picks the cheaper.
    """
    if method not in ("auto", "sparse", "dense"):
        raise ValueError("method must be 'auto', 'sparse' or 'dense'")
    lsets = _token_sets(left, normalize)
    rsets = _token_sets(right, normalize)
    lsize = np.fromiter((len(s) for s in lsets), dtype=np.float64, count=len(lsets))
    rsize = np.fromiter((len(s) for s in rsets), dtype=np.float64, count=len(rsets))
    inter = np.zeros((len(lsets), len(rsets)), dtype=np.float64)
    if not lsets or not rsets:
        return inter, lsize, rsize
    shared = frozenset().union(*lsets) & frozenset().union(*rsets)
    if not shared:
        return inter, lsize, rsize
    # Deterministic vocabulary order (sorting by repr works for mixed token types).
    vocab = {tok: i for i, tok in enumerate(sorted(shared, key=repr))}

    def coo(sets: list[frozenset]) -> tuple[np.ndarray, np.ndarray]:
        cols = [[vocab[t] for t in s if t in vocab] for s in sets]
        lengths = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
        rows = np.repeat(np.arange(len(sets), dtype=np.int64), lengths)
        flat = np.fromiter((c for row in cols for c in row), dtype=np.int64, count=int(lengths.sum()))
        return rows, flat

    lrows, lcols = coo(lsets)
    rrows, rcols = coo(rsets)
    n_l, n_r, n_vocab = len(lsets), len(rsets), len(vocab)
    r_count = np.bincount(rcols, minlength=n_vocab)
    pairs = int(r_count[lcols].sum())  # token matches to count, Σ_t |left_t| · |right_t|
    if method == "auto":
        method = "sparse" if pairs <= min(_SPARSE_MAX_PAIRS, n_l * n_r * n_vocab // 128) else "dense"
    if method == "sparse":
        inter = _sparse_counts(lrows, lcols, rrows, rcols, r_count, n_l, n_r)
    else:
        inter = _dense_counts(lrows, lcols, rrows, rcols, n_l, n_r, n_vocab)
    return inter, lsize, rsize


def _sparse_counts(lrows, lcols, rrows, rcols, r_count, n_l, n_r) -> np.ndarray:
    order = np.argsort(rcols, kind="stable")
    r_sorted_rows = rrows[order]
    r_start = np.cumsum(r_count) - r_count
    rep = r_count[lcols]
    total = int(rep.sum())
    left = np.repeat(lrows, rep)
    offset = np.arange(total) - np.repeat(np.cumsum(rep) - rep, rep)
    right = r_sorted_rows[np.repeat(r_start[lcols], rep) + offset]
    counts = np.bincount(left * n_r + right, minlength=n_l * n_r)
    return counts.reshape(n_l, n_r).astype(np.float64)


def _dense_counts(lrows, lcols, rrows, rcols, n_l, n_r, n_vocab) -> np.ndarray:
    inter = np.zeros((n_l, n_r), dtype=np.float64)
    block = max(1, _BLOCK_BYTES // (4 * (n_l + n_r)))
    for start in range(0, n_vocab, block):
        stop = min(n_vocab, start + block)
        lm = np.zeros((n_l, stop - start), dtype=np.float32)
        rm = np.zeros((n_r, stop - start), dtype=np.float32)
        sel = (lcols >= start) & (lcols < stop)
        lm[lrows[sel], lcols[sel] - start] = 1.0
        sel = (rcols >= start) & (rcols < stop)
        rm[rrows[sel], rcols[sel] - start] = 1.0
        inter += lm @ rm.T
    return inter


def _jaccard(inter: np.ndarray, ls: np.ndarray, rs: np.ndarray) -> np.ndarray:
    union = ls[:, None] + rs[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(union > 0, inter / union, 0.0)
    return out


def _cosine(inter: np.ndarray, ls: np.ndarray, rs: np.ndarray) -> np.ndarray:
    denom = np.sqrt(ls[:, None] * rs[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(denom > 0, inter / denom, 0.0)
    return out


def build_affinity(
    application_fields: Sequence[Iterable[Hashable]],
    application_keywords: Sequence[Iterable[Hashable]],
    expert_fields: Sequence[Iterable[Hashable]],
    expert_keywords: Sequence[Iterable[Hashable]],
    *,
    weights: AffinityWeights | None = None,
    normalize: bool = True,
    method: str = "auto",
) -> np.ndarray:
    """Affinity matrix of shape (n_applications, n_experts), float64 in [0, 1] (formula in the module doc).

    ``weights`` defaults to ``AffinityWeights(fields=0.6, keywords=0.4)``; ``method`` is passed to
    :func:`intersection_counts`.
    """
    if len(application_fields) != len(application_keywords):
        raise ValueError("application_fields and application_keywords differ in length")
    if len(expert_fields) != len(expert_keywords):
        raise ValueError("expert_fields and expert_keywords differ in length")
    wf, wk = (weights or AffinityWeights()).normalised()
    out = np.zeros((len(application_fields), len(expert_fields)), dtype=np.float64)
    if wf:
        inter, ls, rs = intersection_counts(application_fields, expert_fields, normalize=normalize, method=method)
        out += wf * _jaccard(inter, ls, rs)
    if wk:
        inter, ls, rs = intersection_counts(application_keywords, expert_keywords, normalize=normalize,
                                          method=method)
        out += wk * _cosine(inter, ls, rs)
    np.clip(out, 0.0, 1.0, out=out)  # guard the last ulp of rounding
    return out


def field_overlap(
    application_fields: Sequence[Iterable[Hashable]],
    expert_fields: Sequence[Iterable[Hashable]],
    *,
    normalize: bool = True,
) -> np.ndarray:
    """Boolean matrix (n_applications, n_experts): the expert shares at least one field with the application."""
    inter, _, _ = intersection_counts(application_fields, expert_fields, normalize=normalize)
    return inter > 0
