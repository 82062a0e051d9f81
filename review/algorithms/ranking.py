"""Ranking the applications of a call (排序).

By the call's chosen aggregate: ``"mean"``, ``"median"``, ``"trimmed_mean"`` or ``"calibrated"``
(the mean calibrated score, see :mod:`.calibration`). Tie rule (:data:`TIE_RULE`), applied in order:

1. higher aggregate;
2. higher median;
3. lower spread (max − min);
4. more reviews;
5. lower application id.

Values are rounded to ``decimals`` (default 6) before they are compared, so float noise from
summation order never decides a place. Applications without reviews (NaN aggregate) come last.
Vectorised with one ``np.lexsort``. Each row says which rule placed it below the row before
(``decided_by``), and ``shared_rank`` is the competition rank by the aggregate alone (1, 2, 2, 4),
for display where a tie should be visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregation import Aggregates, ReviewTable, aggregate
from .calibration import Calibration, calibrate

__all__ = ["AGGREGATES", "TIE_RULE", "Ranking", "rank_applications", "rank_call"]

AGGREGATES = ("mean", "median", "trimmed_mean", "calibrated")
TIE_RULE = ("aggregate desc", "median desc", "spread asc", "n_reviews desc", "application_id asc")
_KEY_NAMES = np.array(["aggregate", "median", "spread", "n_reviews", "application_id"])


@dataclass(frozen=True, eq=False)
class Ranking:
    """Applications in rank order (row 0 is rank 1)."""

    by: str
    application_ids: np.ndarray
    rank: np.ndarray
    shared_rank: np.ndarray
    score: np.ndarray
    median: np.ndarray
    spread: np.ndarray
    n_reviews: np.ndarray
    decided_by: np.ndarray
    aggregates: Aggregates
    calibration: Calibration | None = None

    def rank_of(self) -> dict[int, int]:
        return dict(zip(self.application_ids.tolist(), self.rank.tolist(), strict=True))


def _score(aggregates: Aggregates, by: str) -> np.ndarray:
    if by not in AGGREGATES:
        raise ValueError(f"unknown aggregate {by!r}; choose one of {', '.join(AGGREGATES)}")
    if by == "calibrated":
        if aggregates.calibrated_mean is None:
            raise ValueError("ranking by 'calibrated' needs aggregates computed with calibrated_totals")
        return aggregates.calibrated_mean
    return getattr(aggregates, by)


def rank_applications(aggregates: Aggregates, by: str = "trimmed_mean", *, decimals: int = 6,
                      calibration: Calibration | None = None) -> Ranking:
    """Order the applications by ``by`` with the tie rule of the module doc."""
    score = _score(aggregates, by)
    keys = [
        -np.round(score, decimals),
        -np.round(aggregates.median, decimals),
        np.round(aggregates.spread, decimals),
        -aggregates.n_reviews.astype(np.float64),
        aggregates.application_ids.astype(np.float64),
    ]
    keys = [np.where(np.isnan(k), np.inf, k) for k in keys]  # missing values sort last
    order = np.lexsort(keys[::-1])  # np.lexsort sorts by its last key first
    ids = aggregates.application_ids[order]
    n = ids.size
    sorted_keys = np.stack([k[order] for k in keys])  # (5, n)
    if n:
        differs = sorted_keys[:, 1:] != sorted_keys[:, :-1]  # (5, n-1)
        first = np.argmax(differs, axis=0)
        decided = np.r_[[""], _KEY_NAMES[first]].astype(object)
        new_score = np.r_[True, differs[0]]
        shared = np.maximum.accumulate(np.where(new_score, np.arange(1, n + 1), 0))
    else:
        decided = np.zeros(0, dtype=object)
        shared = np.zeros(0, dtype=np.int64)
    return Ranking(
        by=by, application_ids=ids, rank=np.arange(1, n + 1), shared_rank=shared,
        score=score[order], median=aggregates.median[order], spread=aggregates.spread[order],
        n_reviews=aggregates.n_reviews[order], decided_by=decided, aggregates=aggregates,
        calibration=calibration,
    )


def rank_call(
    reviews: ReviewTable,
    by: str = "trimmed_mean",
    *,
    application_ids=None,
    trim_min_reviews: int = 5,
    divergence_threshold: float | None = None,
    min_reviews_for_calibration: int = 3,
    calibrate_scores: bool | None = None,
    decimals: int = 6,
) -> Ranking:
    """Aggregate, calibrate (when ranking by "calibrated", or when asked) and rank in one call."""
    calibration = None
    if calibrate_scores or (calibrate_scores is None and by == "calibrated"):
        calibration = calibrate(reviews, min_reviews=min_reviews_for_calibration)
    aggregates = aggregate(
        reviews, application_ids=application_ids, trim_min_reviews=trim_min_reviews,
        divergence_threshold=divergence_threshold,
        calibrated_totals=None if calibration is None else calibration.calibrated_scores,
    )
    return rank_applications(aggregates, by, decimals=decimals, calibration=calibration)
