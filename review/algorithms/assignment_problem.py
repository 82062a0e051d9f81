"""The input of an assignment problem (applications, experts, eligible pairs and affinities),
validated, and its canonical form (sorted ids, integer indices) the solver and the checks work on."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


class Arcs(NamedTuple):
    """Sparse affinities: one entry per eligible (application id, expert id) pair."""

    application_ids: np.ndarray
    expert_ids: np.ndarray
    affinity: np.ndarray


def _as_ids(values, what: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{what} ids must be one-dimensional")
    if arr.size == 0:
        return arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{what} ids must be integers")
    arr = arr.astype(np.int64)
    if np.unique(arr).size != arr.size:
        raise ValueError(f"duplicate {what} ids")
    return arr


def _as_counts(value, n: int, what: str) -> np.ndarray:
    arr = np.asarray(value)
    if arr.ndim == 0:
        arr = np.full(n, arr)
    if arr.shape != (n,):
        raise ValueError(f"{what} must be an integer or an array of length {n}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if not np.all(np.equal(np.mod(arr, 1), 0)):
            raise ValueError(f"{what} must be whole numbers")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{what} must be non-negative")
    return arr


def _as_pairs(pairs) -> np.ndarray:
    if isinstance(pairs, set | frozenset):
        pairs = sorted(pairs)
    arr = np.asarray(pairs if len(pairs) else np.empty((0, 2)), dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError("conflicts must be (application_id, expert_id) pairs")
    return arr


@dataclass(frozen=True, eq=False)
class AssignmentProblem:
    """One call's assignment problem.

    ``affinity`` is either a dense float array of shape (n_applications, n_experts) in the order of
    ``application_ids`` × ``expert_ids`` (NaN = not eligible) or :class:`Arcs` (sparse: only the
    listed pairs are eligible). ``k`` and ``max_load`` are an int or one value per application /
    expert (e.g. the remaining load after earlier assignments). ``conflicts`` lists
    (application_id, expert_id) pairs that must never be assigned; pairs naming ids outside the
    problem are ignored. ``eligible`` (dense only) is a boolean mask of qualified pairs.
    """

    application_ids: np.ndarray
    expert_ids: np.ndarray
    affinity: np.ndarray | Arcs
    k: int | np.ndarray = 3
    max_load: int | np.ndarray = 10
    conflicts: np.ndarray | list = ()
    eligible: np.ndarray | None = None

    def __post_init__(self):
        app_ids = _as_ids(self.application_ids, "application")
        exp_ids = _as_ids(self.expert_ids, "expert")
        set_ = object.__setattr__
        set_(self, "application_ids", app_ids)
        set_(self, "expert_ids", exp_ids)
        set_(self, "k", _as_counts(self.k, app_ids.size, "k"))
        set_(self, "max_load", _as_counts(self.max_load, exp_ids.size, "max_load"))
        set_(self, "conflicts", _as_pairs(self.conflicts))
        if isinstance(self.affinity, Arcs):
            a_ids = np.asarray(self.affinity.application_ids, dtype=np.int64)
            e_ids = np.asarray(self.affinity.expert_ids, dtype=np.int64)
            aff = np.asarray(self.affinity.affinity, dtype=np.float64)
            if not (a_ids.shape == e_ids.shape == aff.shape) or aff.ndim != 1:
                raise ValueError("Arcs arrays must be one-dimensional and of equal length")
            if self.eligible is not None:
                raise ValueError("eligible applies to a dense affinity matrix only")
            set_(self, "affinity", Arcs(a_ids, e_ids, aff))
        else:
            aff = np.asarray(self.affinity, dtype=np.float64)
            if aff.shape != (app_ids.size, exp_ids.size):
                raise ValueError(
                    f"affinity has shape {aff.shape}; expected ({app_ids.size}, {exp_ids.size})"
                )
            set_(self, "affinity", aff)
            if self.eligible is not None:
                elig = np.asarray(self.eligible, dtype=bool)
                if elig.shape != aff.shape:
                    raise ValueError("eligible must have the affinity's shape")
                set_(self, "eligible", elig)
        finite = aff[~np.isnan(aff)]
        if finite.size and (finite.min() < 0.0 or finite.max() > 1.0):
            raise ValueError("affinities must lie in [0, 1] (NaN marks a pair that is not eligible)")

    @property
    def demand(self) -> int:
        """Total number of reviews to assign (Σ k)."""
        return int(self.k.sum())


class _Canon(NamedTuple):
    """A problem in canonical form: ids sorted ascending, eligible arcs sorted by (application, expert)."""

    app_ids: np.ndarray
    exp_ids: np.ndarray
    ai: np.ndarray
    ej: np.ndarray
    aff: np.ndarray
    k: np.ndarray
    load: np.ndarray


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of ``ids`` in ``sorted_ids`` and a mask of those found."""
    if sorted_ids.size == 0:
        return np.zeros(ids.shape, np.int64), np.zeros(ids.shape, bool)
    pos = np.searchsorted(sorted_ids, ids)
    pos = np.minimum(pos, sorted_ids.size - 1)
    return pos, sorted_ids[pos] == ids


def _canonical(problem: AssignmentProblem) -> _Canon:
    oa = np.argsort(problem.application_ids, kind="stable")
    oe = np.argsort(problem.expert_ids, kind="stable")
    app_ids, exp_ids = problem.application_ids[oa], problem.expert_ids[oe]
    n_e = exp_ids.size
    ca, found_a = _positions(app_ids, problem.conflicts[:, 0])
    ce, found_e = _positions(exp_ids, problem.conflicts[:, 1])
    found = found_a & found_e
    ca, ce = ca[found], ce[found]
    if isinstance(problem.affinity, Arcs):
        arcs = problem.affinity
        pa, fa = _positions(app_ids, arcs.application_ids)
        pe, fe = _positions(exp_ids, arcs.expert_ids)
        if not (fa.all() and fe.all()):
            raise ValueError("Arcs name an application or expert id that is not in the problem")
        keys = pa * n_e + pe
        order = np.argsort(keys, kind="stable")
        keys, aff = keys[order], arcs.affinity[order]
        if keys.size > 1 and np.any(keys[1:] == keys[:-1]):
            raise ValueError("Arcs list the same (application, expert) pair twice")
        keep = ~np.isnan(aff)
        if ca.size:
            keep &= ~np.isin(keys, ca * n_e + ce)
        keys, aff = keys[keep], aff[keep]
        ai, ej = keys // max(n_e, 1), keys % max(n_e, 1)
    else:
        a = problem.affinity
        in_order = bool(np.all(oa[1:] > oa[:-1])) and bool(np.all(oe[1:] > oe[:-1]))
        if not in_order:  # ids not ascending: reorder rows and columns (a copy)
            a = a[np.ix_(oa, oe)]
        mask = ~np.isnan(a)
        if problem.eligible is not None:
            mask &= problem.eligible if in_order else problem.eligible[np.ix_(oa, oe)]
        mask[ca, ce] = False
        flat = np.flatnonzero(mask)
        ai, ej = np.divmod(flat, max(n_e, 1))
        aff = a.ravel()[flat]
    return _Canon(app_ids, exp_ids, ai.astype(np.int64), ej.astype(np.int64), aff,
                  problem.k[oa], problem.max_load[oe])
