"""Score aggregation per application (评分汇总).

Per review: the weighted total ``Σ_c score_c × weight_c`` (:class:`Rubric`). The weights are used as
given: with weights that sum to 1 and criterion scores out of 100 the total is out of 100; with
weights of 1 and criterion scores out of their own maximum points, it is the sum of points.

Per application, over its n reviews' totals (all vectorised: one sort, no loop over rows):

- ``mean``; ``median`` (the mean of the two middle values when n is even);
- ``trimmed_mean``: when ``n ≥ trim_min_reviews`` (per call, default 5, at least 3) drop one
  highest and one lowest total (去掉一个最高分和一个最低分) and average the rest; below that, the
  plain mean (``trimmed`` says which). 90, 85, 80, 70, 40 → (85 + 80 + 70) / 3 = 78.33;
- ``std``: the *sample* standard deviation (ddof = 1), NaN for n < 2;
- ``spread`` = max − min (0 for one review); ``divergent`` = spread > ``divergence_threshold``
  (strictly; per call; no flag when the threshold is None);
- applications listed in ``application_ids`` with no review have n = 0 and NaN statistics.

Also :func:`rankdata` (average ranks for ties) and :func:`spearman` (rank correlation), in numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = ["Aggregates", "ReviewTable", "Rubric", "aggregate", "group_index", "rankdata", "spearman"]


@dataclass(frozen=True, eq=False)
class Rubric:
    """Criterion weights (one per criterion, non-negative) and optional criterion codes."""

    weights: np.ndarray
    codes: tuple[str, ...] = ()

    def __post_init__(self):
        w = np.asarray(self.weights, dtype=np.float64)
        if w.ndim != 1 or w.size == 0:
            raise ValueError("rubric weights must be a non-empty one-dimensional array")
        if not np.all(np.isfinite(w)) or w.min() < 0:
            raise ValueError("rubric weights must be finite and non-negative")
        if self.codes and len(self.codes) != w.size:
            raise ValueError("one code per criterion")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "codes", tuple(self.codes))

    def totals(self, criterion_scores) -> np.ndarray:
        """Weighted totals, one per row of ``criterion_scores`` (n_reviews × n_criteria)."""
        s = np.asarray(criterion_scores, dtype=np.float64)
        if s.ndim != 2 or s.shape[1] != self.weights.size:
            raise ValueError(f"criterion scores must have shape (n_reviews, {self.weights.size})")
        return s @ self.weights


@dataclass(frozen=True, eq=False)
class ReviewTable:
    """Submitted reviews, one row each: application id, expert id, weighted total.

    A pair (application, expert) may occur once only.
    """

    application_ids: np.ndarray
    expert_ids: np.ndarray
    totals: np.ndarray

    def __post_init__(self):
        a = np.asarray(self.application_ids)
        e = np.asarray(self.expert_ids)
        t = np.asarray(self.totals, dtype=np.float64)
        if not (a.ndim == e.ndim == t.ndim == 1 and a.shape == e.shape == t.shape):
            raise ValueError("application_ids, expert_ids and totals must be 1-D and of equal length")
        for arr, what in ((a, "application"), (e, "expert")):
            if arr.size and not np.issubdtype(arr.dtype, np.integer):
                raise ValueError(f"{what} ids must be integers")
        if not np.all(np.isfinite(t)):
            raise ValueError("review totals must be finite")
        a, e = a.astype(np.int64), e.astype(np.int64)
        if a.size:
            pairs = np.unique(np.stack([a, e], axis=1), axis=0)
            if pairs.shape[0] != a.size:
                raise ValueError("an expert reviews an application at most once")
        object.__setattr__(self, "application_ids", a)
        object.__setattr__(self, "expert_ids", e)
        object.__setattr__(self, "totals", t)

    @classmethod
    def from_criteria(cls, application_ids, expert_ids, criterion_scores, rubric: Rubric) -> ReviewTable:
        return cls(application_ids, expert_ids, rubric.totals(criterion_scores))

    def __len__(self) -> int:
        return int(self.totals.size)


def group_index(ids: np.ndarray, keys=None) -> tuple[np.ndarray, np.ndarray]:
    """Map each element of ``ids`` to a group: returns ``(group_keys, index)``.

    With ``keys`` None the groups are the sorted unique ids; otherwise the given keys in their
    order (every id must occur among them; keys must be unique).
    """
    ids = np.asarray(ids, dtype=np.int64)
    if keys is None:
        return np.unique(ids, return_inverse=True)
    keys = np.asarray(keys, dtype=np.int64)
    if keys.ndim != 1 or np.unique(keys).size != keys.size:
        raise ValueError("application_ids must be unique")
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    pos = np.searchsorted(sorted_keys, ids)
    ok = pos < sorted_keys.size
    ok[ok] = sorted_keys[pos[ok]] == ids[ok]
    if not ok.all():
        missing = np.unique(ids[~ok])[:10].tolist()
        raise ValueError(f"reviews name applications not in application_ids: {missing}")
    return keys, order[pos]


@dataclass(frozen=True, eq=False)
class Aggregates:
    """Per-application statistics, aligned with ``application_ids`` (see the module doc)."""

    application_ids: np.ndarray
    n_reviews: np.ndarray
    mean: np.ndarray
    median: np.ndarray
    trimmed_mean: np.ndarray
    trimmed: np.ndarray
    std: np.ndarray
    spread: np.ndarray
    min: np.ndarray
    max: np.ndarray
    divergent: np.ndarray
    trim_min_reviews: int
    divergence_threshold: float | None
    calibrated_mean: np.ndarray | None = None

    def as_rows(self) -> list[dict]:
        """One dict per application (for templates and exports)."""
        cols = {f.name: getattr(self, f.name) for f in fields(self)
                if isinstance(getattr(self, f.name), np.ndarray)}
        return [{k: v[i].item() for k, v in cols.items()} for i in range(self.application_ids.size)]


def aggregate(
    reviews: ReviewTable,
    *,
    application_ids=None,
    trim_min_reviews: int = 5,
    divergence_threshold: float | None = None,
    calibrated_totals: np.ndarray | None = None,
) -> Aggregates:
    """Statistics of the review totals per application.

    ``application_ids`` fixes the rows (and includes applications without reviews); by default the
    reviewed applications in ascending id order. ``calibrated_totals`` (one per review, e.g.
    ``Calibration.calibrated_scores``) adds ``calibrated_mean``.
    """
    if int(trim_min_reviews) < 3:
        raise ValueError("trim_min_reviews must be at least 3 (one review must remain)")
    if divergence_threshold is not None and not divergence_threshold >= 0:
        raise ValueError("divergence_threshold must be non-negative")
    keys, g = group_index(reviews.application_ids, application_ids)
    n_groups = keys.size
    x = reviews.totals
    n = np.bincount(g, minlength=n_groups)
    has = n > 0
    safe_n = np.where(has, n, 1)
    nan = np.full(n_groups, np.nan)

    order = np.lexsort((x, g))
    xs = x[order]
    start = np.cumsum(n) - n
    lo = np.where(has, start, 0)
    hi = np.where(has, start + n - 1, 0)
    vmin = np.where(has, xs[lo] if xs.size else nan, np.nan)
    vmax = np.where(has, xs[hi] if xs.size else nan, np.nan)
    m1 = np.where(has, start + (n - 1) // 2, 0)
    m2 = np.where(has, start + n // 2, 0)
    median = np.where(has, (xs[m1] + xs[m2]) / 2 if xs.size else nan, np.nan)

    total = np.bincount(g, weights=x, minlength=n_groups)
    mean = np.where(has, total / safe_n, np.nan)
    trimmed = n >= trim_min_reviews
    trimmed_mean = np.where(trimmed, (total - np.nan_to_num(vmin) - np.nan_to_num(vmax))
                            / np.where(trimmed, n - 2, 1), mean)
    dev = x - np.nan_to_num(mean)[g]
    ss = np.bincount(g, weights=dev * dev, minlength=n_groups)
    std = np.where(n >= 2, np.sqrt(ss / np.where(n >= 2, n - 1, 1)), np.nan)
    spread = vmax - vmin
    if divergence_threshold is None:
        divergent = np.zeros(n_groups, bool)
    else:
        divergent = np.where(has, spread > divergence_threshold, False)

    calibrated_mean = None
    if calibrated_totals is not None:
        ct = np.asarray(calibrated_totals, dtype=np.float64)
        if ct.shape != x.shape:
            raise ValueError("calibrated_totals must have one value per review")
        calibrated_mean = np.where(has, np.bincount(g, weights=ct, minlength=n_groups) / safe_n, np.nan)

    return Aggregates(
        application_ids=keys, n_reviews=n, mean=mean, median=median, trimmed_mean=trimmed_mean,
        trimmed=trimmed, std=std, spread=spread, min=vmin, max=vmax, divergent=divergent,
        trim_min_reviews=int(trim_min_reviews), divergence_threshold=divergence_threshold,
        calibrated_mean=calibrated_mean,
    )


def rankdata(x) -> np.ndarray:
    """Ranks 1..n, ascending, ties get the average of their positions (like scipy's 'average')."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("rankdata expects a one-dimensional array")
    if np.isnan(x).any():
        raise ValueError("rankdata: NaN values have no rank")
    order = np.argsort(x, kind="stable")
    xs = x[order]
    new = np.r_[True, xs[1:] != xs[:-1]] if xs.size else np.zeros(0, bool)
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    counts = np.diff(np.r_[starts, xs.size])
    avg = starts + (counts + 1) / 2.0
    ranks = np.empty(x.size)
    ranks[order] = avg[group]
    return ranks


def spearman(x, y) -> float:
    """Spearman's rank correlation (Pearson correlation of average ranks); NaN if either is constant."""
    rx, ry = rankdata(x), rankdata(y)
    if rx.shape != ry.shape:
        raise ValueError("x and y must have the same length")
    if rx.size < 2:
        return float("nan")
    rx, ry = rx - rx.mean(), ry - ry.mean()
    denom = np.sqrt((rx @ rx) * (ry @ ry))
    return float(rx @ ry / denom) if denom > 0 else float("nan")
