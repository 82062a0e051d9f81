"""Reproducible random draw of experts (随机抽取评审专家).

Each eligible (application, expert) pair gets a ticket, a 64-bit number computed from the recorded
seed and the two ids only::

    ticket = mix((mix((seed + φ) ^ application_id) + φ) ^ expert_id)    (uint64 arithmetic, wrapping)

where mix is the splitmix64 finaliser and φ = 0x9E3779B97F4A7C15 (see :func:`tickets`),
so anyone holding the seed and the ids can recompute every ticket, independently of the order of
the input, of the other experts in the pool and of the numpy version. Within an application the
eligible experts are ranked by ticket (highest first; equal tickets by expert id).

Each application takes the k experts with the best tickets (checked directly, without a solver, when no
expert is drawn beyond their load). When expert loads bind, the draw is
the assignment that maximises the total of ``(n_experts − rank)`` over chosen pairs (exact
min-cost flow, see :mod:`.assignment`), so it never fails while a load-respecting draw exists; when
no load binds, this is exactly "the top-k tickets of each application", i.e. an independent uniform
random choice of k experts per application.

Eligible means: marked eligible by the caller (qualified: pledge signed, available, in the right
field, e.g. ``field_overlap(...) & qualified``), not a conflict of interest, and load > 0.
Conflicted experts are removed before tickets are ranked, so they can never be drawn.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import numpy as np

from .assignment import _hall_report, _pair_hash, _precheck
from .assignment_problem import AssignmentProblem, _canonical
from .flow import _solve_flow

__all__ = ["DRAW_METHOD", "DrawResult", "draw_experts", "make_seed", "tickets"]

DRAW_METHOD = "tickets=splitmix64(seed, application id, expert id); k best tickets per application; loads by min-cost flow; v1"


def make_seed() -> int:
    """A fresh seed to record *before* the draw (63 random bits from the OS)."""
    return secrets.randbits(63)


def _check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError("seed must be an integer")
    seed = int(seed)
    if not 0 <= seed < 2**64:
        raise ValueError("seed must be in [0, 2**64)")
    return seed


def tickets(seed: int, application_ids, expert_ids) -> np.ndarray:
    """The tickets (uint64) of the given (application id, expert id) pairs, element-wise."""
    return _pair_hash(np.asarray(application_ids, dtype=np.int64), np.asarray(expert_ids, dtype=np.int64),
                      salt=_check_seed(seed))


@dataclass(frozen=True, eq=False)
class DrawResult:
    """Drawn pairs, sorted by (application id, expert id).

    ``ticket_rank`` is the rank of the drawn expert's ticket among the application's eligible
    experts (1 = best); a rank above k means a load pushed the draw further down the list.
    """

    seed: int
    method: str
    application_ids: np.ndarray
    expert_ids: np.ndarray
    ticket_rank: np.ndarray

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.application_ids.tolist(), self.expert_ids.tolist(), strict=True))

    def experts_for(self, application_id: int) -> list[int]:
        return self.expert_ids[self.application_ids == application_id].tolist()


def draw_experts(
    application_ids,
    expert_ids,
    *,
    k: int | np.ndarray,
    seed: int,
    eligible: np.ndarray | None = None,
    conflicts=(),
    max_load: int | np.ndarray | None = None,
) -> DrawResult:
    """Draw ``k`` experts per application; the same arguments always give the same draw.

    ``eligible``: boolean (n_applications, n_experts) in the order of the ids, None = all;
    ``conflicts``: (application_id, expert_id) pairs never to draw; ``max_load``: per expert (int or
    array, e.g. remaining capacity), None = no limit. Raises
    :class:`~review.algorithms.assignment.AssignmentInfeasible` when too few experts qualify.
    """
    seed = _check_seed(seed)
    n_a, n_e = len(application_ids), len(expert_ids)
    problem = AssignmentProblem(
        application_ids, expert_ids, np.zeros((n_a, n_e)),
        k=k, max_load=n_a if max_load is None else max_load, conflicts=conflicts, eligible=eligible,
    )
    c = _canonical(problem)
    _precheck(c)
    ticket = _pair_hash(c.app_ids[c.ai], c.exp_ids[c.ej], salt=seed)
    direct = _top_tickets_without_sorting(c, ticket)
    if direct is not None:
        sel, chosen_rank = direct
    else:
        order = np.lexsort((c.ej, ~ticket, c.ai))  # by application, best ticket first, then expert id
        group_start = np.searchsorted(c.ai[order], c.ai[order], side="left")
        rank = np.empty(c.ai.size, np.int64)
        rank[order] = np.arange(c.ai.size) - group_start
        sel = _best_tickets_within_loads(c, order)
        if sel is None:  # some expert's load binds: the flow finds the best draw that respects every load
            weight = (n_e - rank).astype(np.int64)
            flow = _solve_flow(n_a, n_e, c.ai, c.ej, weight, c.k, c.load, tie=None)
            if not flow.feasible:
                raise _hall_report(c, flow)
            sel = flow.chosen
        chosen_rank = rank[sel]
    return DrawResult(
        seed=seed,
        method=DRAW_METHOD,
        application_ids=c.app_ids[c.ai[sel]],
        expert_ids=c.exp_ids[c.ej[sel]],
        ticket_rank=chosen_rank + 1,
    )


def _top_tickets_without_sorting(c, ticket: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """What :func:`_best_tickets_within_loads` finds (and the chosen pairs' ranks, 0 = best), by a partial
    selection per application instead of a sort of every pair; None when it cannot tell without sorting (two
    tickets equal at an application's cut, a load that binds, more experts wanted than there are).

    Tickets sit in an (applications × experts) matrix, 0 where the pair is not usable; an application's k best
    are the cells above its (k + 1)-th largest value when the k-th is strictly larger than it (so no tie
    decides, and every cell taken holds a real ticket).
    """
    n_a, n_e = c.app_ids.size, c.exp_ids.size
    most = int(c.k.max(initial=0))
    if n_a == 0 or most == 0 or most >= n_e:
        return None
    usable = c.load[c.ej] > 0
    grid = np.zeros((n_a, n_e), np.uint64)
    grid[c.ai[usable], c.ej[usable]] = ticket[usable]
    top = np.sort(np.partition(grid, n_e - most - 1, axis=1)[:, n_e - most - 1:], axis=1)[:, ::-1]
    rows = np.arange(n_a)
    wanted = c.k > 0
    kth, after = top[rows, np.maximum(c.k - 1, 0)], top[rows, c.k]
    if np.any(wanted & (kth <= after)):
        return None
    sel = usable & wanted[c.ai] & (ticket >= kth[c.ai])
    if np.any(np.bincount(c.ej[sel], minlength=n_e) > c.load):
        return None
    # Ranks among every eligible expert of the application (experts without load included), as the sort gives.
    everyone = np.zeros((n_a, n_e), np.uint64)
    everyone[c.ai, c.ej] = ticket
    present = np.zeros((n_a, n_e), bool)
    present[c.ai, c.ej] = True
    ai, ej, mine = c.ai[sel], c.ej[sel], ticket[sel]
    row_t, row_p = everyone[ai], present[ai]
    ahead = row_p & ((row_t > mine[:, None]) | ((row_t == mine[:, None]) & (np.arange(n_e)[None, :] < ej[:, None])))
    return sel, ahead.sum(axis=1).astype(np.int64)


def _best_tickets_within_loads(c, order: np.ndarray) -> np.ndarray | None:
    """The k best tickets of each application among experts with load left, as a mask over the arcs, if no
    expert is drawn beyond their load; else None.

    Within an application the flow's weights ``n_experts − rank`` are distinct, so these pairs are the unique
    maximum without the loads; when they respect the loads they are the unique maximum with them, i.e. what
    the flow would return. Checking first spares the flow whenever no load binds.
    """
    usable = order[c.load[c.ej[order]] > 0]  # still by application, best ticket first
    group = c.ai[usable]
    position = np.arange(usable.size) - np.searchsorted(group, group, side="left")
    taken = usable[position < c.k[group]]
    if np.any(np.bincount(c.ej[taken], minlength=c.exp_ids.size) > c.load):
        return None
    sel = np.zeros(c.ai.size, bool)
    sel[taken] = True
    return sel
