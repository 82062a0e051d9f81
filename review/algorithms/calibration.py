"""Reviewer calibration: leniency and severity across a call (评审尺度校准).

Model, for the review of application i by expert j::

    total_ij = quality_i + bias_j + noise        with Σ bias_j = 0 (per connected group, see below)

fitted by ordinary least squares. A lenient expert has bias > 0, a harsh one bias < 0. The
calibrated score of a review is ``total_ij − bias_j``; it is returned *beside* the raw total, never
instead of it, and the calibrated mean of an application (its mean calibrated score) is the least
squares ``quality_i``.

Too few reviews. Experts with fewer than ``min_reviews`` reviews in the call (default 3) are not
calibrated: their bias is 0, they are flagged (``too_few_reviews``), and their reviews are left out
of the fit (their calibrated score equals the raw total), so a barely-seen expert cannot move
everyone else's scale.

Identifiability. Biases are only comparable between experts linked by shared applications. The
fit splits the review graph (applications — experts) into connected groups and makes the biases
sum to zero within each group (hence also overall); an expert alone in a group gets bias 0.

Solver (numpy only, scales with the number of reviews). Eliminating ``quality`` from the normal
equations leaves, for the biases, the symmetric positive semi-definite system::

    m_j b_j − Σ_{reviews r of j} mean_{reviews r' of app(r)} b_{expert(r')} = T_j − Σ_{r of j} S_app(r) / n_app(r)

(m_j reviews of expert j, T_j their sum, S_i and n_i the sum and count for application i). It is
solved by conjugate gradients with a Jacobi preconditioner; every product with the matrix is two
``bincount``s over the reviews, so one iteration costs O(reviews) and the matrix is never formed.
The result is then centred per group and ``quality_i = mean over i's reviews of (total − bias)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .aggregation import ReviewTable

__all__ = ["Calibration", "calibrate", "connected_groups"]


@dataclass(frozen=True, eq=False)
class Calibration:
    """Fitted biases per expert and quality per application; calibrated scores per review.

    ``calibrated_scores`` is aligned with the input reviews (``raw_scores`` is the input totals).
    ``quality`` is NaN for an application whose every review comes from an uncalibrated expert.
    """

    expert_ids: np.ndarray
    bias: np.ndarray
    expert_reviews: np.ndarray
    too_few_reviews: np.ndarray
    group: np.ndarray
    application_ids: np.ndarray
    quality: np.ndarray
    raw_scores: np.ndarray
    calibrated_scores: np.ndarray
    min_reviews: int
    iterations: int
    converged: bool
    residual_rms: float

    def bias_of(self, expert_id: int) -> float:
        return float(self.bias[np.searchsorted(self.expert_ids, expert_id)])


def connected_groups(a: np.ndarray, e: np.ndarray, n_a: int, n_e: int) -> np.ndarray:
    """Connected component label per expert in the bipartite graph of reviews (a[r], e[r]).

    Label propagation with pointer jumping, vectorised; the label is the smallest expert index in
    the group. Experts without a review keep their own index.
    """
    label = np.arange(n_e, dtype=np.int64)
    if a.size == 0:
        return label
    while True:
        app_label = np.full(n_a, n_e, dtype=np.int64)
        np.minimum.at(app_label, a, label[e])
        new = label.copy()
        np.minimum.at(new, e, app_label[a])
        new = new[new]  # pointer jumping: a label is an expert of the same group
        if np.array_equal(new, label):
            return label
        label = new


def calibrate(
    reviews: ReviewTable,
    *,
    min_reviews: int = 3,
    tol: float = 1e-10,
    max_iter: int = 2000,
) -> Calibration:
    """Fit the additive bias model (see the module doc); returns biases and calibrated scores."""
    if int(min_reviews) < 1:
        raise ValueError("min_reviews must be at least 1")
    app_ids, a = np.unique(reviews.application_ids, return_inverse=True)
    exp_ids, e = np.unique(reviews.expert_ids, return_inverse=True)
    x = reviews.totals
    n_a, n_e = app_ids.size, exp_ids.size
    m = np.bincount(e, minlength=n_e)
    too_few = m < min_reviews

    fit = ~too_few[e]
    fa, fe, fx = a[fit], e[fit], x[fit]
    n = np.bincount(fa, minlength=n_a).astype(np.float64)
    s = np.bincount(fa, weights=fx, minlength=n_a)
    mf = np.bincount(fe, minlength=n_e).astype(np.float64)
    safe_n = np.where(n > 0, n, 1.0)

    group = connected_groups(fa, fe, n_a, n_e)
    _, group_idx = np.unique(group, return_inverse=True)
    group_size = np.bincount(group_idx)

    def center(v: np.ndarray) -> np.ndarray:
        return v - (np.bincount(group_idx, weights=v) / group_size)[group_idx]

    def matvec(b: np.ndarray) -> np.ndarray:
        app_mean = np.bincount(fa, weights=b[fe], minlength=n_a) / safe_n
        return mf * b - np.bincount(fe, weights=app_mean[fa], minlength=n_e)

    rhs = np.bincount(fe, weights=fx - (s / safe_n)[fa], minlength=n_e)
    rhs = center(rhs)  # exactly consistent: the system's null space is the per-group constants
    diag = mf - np.bincount(fe, weights=1.0 / safe_n[fa], minlength=n_e)
    precond = np.where(diag > 1e-12, 1.0 / np.where(diag > 1e-12, diag, 1.0), 0.0)

    b = np.zeros(n_e)
    r = rhs.copy()
    rhs_norm = float(np.sqrt(rhs @ rhs))
    iterations, converged = 0, rhs_norm == 0.0
    if not converged:
        z = precond * r
        p = z.copy()
        rz = float(r @ z)
        for iterations in range(1, max_iter + 1):  # noqa: B007 (reported)
            q = matvec(p)
            pq = float(p @ q)
            if pq <= 0:
                break
            alpha = rz / pq
            b += alpha * p
            r -= alpha * q
            if np.sqrt(r @ r) <= tol * rhs_norm:
                converged = True
                break
            z = precond * r
            rz_new = float(r @ z)
            p = z + (rz_new / rz) * p
            rz = rz_new
    b = center(b)
    b[too_few] = 0.0

    calibrated = x - b[e]
    quality = np.where(n > 0, np.bincount(fa, weights=fx - b[fe], minlength=n_a) / safe_n, np.nan)
    resid = fx - quality[fa] - b[fe]
    residual_rms = float(np.sqrt(resid @ resid / resid.size)) if resid.size else 0.0
    group_out = np.where(too_few, -1, group)
    return Calibration(
        expert_ids=exp_ids, bias=b, expert_reviews=m, too_few_reviews=too_few,
        group=group_out, application_ids=app_ids, quality=quality,
        raw_scores=x, calibrated_scores=calibrated, min_reviews=int(min_reviews),
        iterations=iterations, converged=converged, residual_rms=residual_rms,
    )
