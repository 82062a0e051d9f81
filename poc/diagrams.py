"""Workflow diagrams drawn from the django-fsm declarations themselves, as server-side SVG.

Nothing here is drawn by hand: :func:`diagram_of` reads a model's state field (its states and their
labels) and its transitions (sources, target, ``permission=``, ``conditions=``, label), and
:func:`render_svg` lays the states out in rows by their distance from the initial state. A new
transition on a model is therefore on its diagram at once. The current state can be highlighted,
with the steps the viewing user may take now drawn bold.
"""
from __future__ import annotations

import inspect
from collections import deque
from dataclasses import dataclass, field
from html import escape

from django.apps import apps
from django.utils.safestring import SafeString, mark_safe
from django_fsm import FSMFieldMixin

from .rules import describe, transition_methods

NODE_HEIGHT = 34
ROW_GAP = 104
COLUMN_GAP = 84
MARGIN = 24


@dataclass
class Edge:
    name: str
    label: str
    source: str
    target: str
    who: str = ""
    conditions: list[str] = field(default_factory=list)


@dataclass
class Diagram:
    model: type
    title: str
    states: dict[str, str]  # code -> label, in the field's order
    initial: str
    edges: list[Edge]


def workflow_models() -> list[type]:
    """Every installed model with a django-fsm state field (found, not named: higher apps included)."""
    return [m for m in apps.get_models() if any(isinstance(f, FSMFieldMixin) for f in m._meta.fields)]


def _state_field(model):
    return next(f for f in model._meta.fields if isinstance(f, FSMFieldMixin))


def _who(permission) -> str:
    if permission is None:
        return ""
    return str(getattr(permission, "label", "") or getattr(permission, "name", "") or "")


def _condition_names(meta, source) -> list[str]:
    transition = meta.get_transition(source)
    if transition is None:
        return []
    return [getattr(c, "name", None) or getattr(c, "__name__", "?") for c in transition.conditions]


def diagram_of(model) -> Diagram:
    fsm_field = _state_field(model)
    states = {str(code): str(label) for code, label in fsm_field.flatchoices}
    default = fsm_field.get_default()
    edges = []
    for name, method in transition_methods(model).items():
        meta = method._django_fsm
        declared = describe(model, name)
        target = declared["target"]
        targets = [target] if isinstance(target, str) else [str(s) for s in getattr(target, "allowed_states", [])]
        sources = declared["sources"]
        if "*" in sources or "+" in sources:
            sources = [s for s in states if not ("+" in sources and s in targets)]
        for source in sources:
            for target_state in targets:
                edges.append(Edge(
                    name=name, label=str(declared["custom"].get("label", name)), source=str(source),
                    target=str(target_state), who=_who(declared["permission"]),
                    conditions=_condition_names(meta, source),
                ))
            if not targets:  # a computed target with no declared states: drawn as a loop
                edges.append(Edge(name, str(declared["custom"].get("label", name)), str(source), str(source),
                                  _who(declared["permission"]), _condition_names(meta, source)))
    for edge in edges:  # states that only the transitions name (e.g. a field without choices)
        for code in (edge.source, edge.target):
            states.setdefault(code, code)
    doc = inspect.getdoc(model) or ""
    title = str(model._meta.verbose_name)
    return Diagram(model=model, title=title or doc.splitlines()[0], states=states, initial=str(default), edges=edges)


# --------------------------------------------------------------------------------- layout


def _text_width(text: str, size: float = 13) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def _rows(diagram: Diagram) -> list[list[str]]:
    """States by distance from the initial state; unreachable ones last."""
    depth = {diagram.initial: 0}
    queue = deque([diagram.initial])
    while queue:
        state = queue.popleft()
        for edge in diagram.edges:
            if edge.source == state and edge.target not in depth:
                depth[edge.target] = depth[state] + 1
                queue.append(edge.target)
    last = max(depth.values(), default=0)
    rows: list[list[str]] = [[] for _ in range(last + 2)]
    for code in diagram.states:
        rows[depth.get(code, last + 1)].append(code)
    rows = [row for row in rows if row]
    # Order each row by where its states' predecessors stand (fewer crossings), keeping ties stable.
    for above, row in zip(rows, rows[1:], strict=False):
        rank = {code: i for i, code in enumerate(above)}

        def barycentre(code, rank=rank, row=row):
            parents = [rank[e.source] for e in diagram.edges if e.target == code and e.source in rank]
            return sum(parents) / len(parents) if parents else len(rank) + row.index(code)

        row.sort(key=barycentre)
    return rows


def render_svg(diagram: Diagram, current: str | None = None, available: set[str] | frozenset = frozenset()) -> SafeString:
    """The diagram as inline SVG; ``current`` is highlighted and ``available`` transitions drawn bold."""
    rows = _rows(diagram)
    widths = {code: max(80.0, _text_width(label) + 28) for code, label in diagram.states.items()}
    row_widths = [sum(widths[c] for c in row) + COLUMN_GAP * (len(row) - 1) for row in rows]
    width = max(row_widths) + 2 * MARGIN + 160
    position = {}
    for index, row in enumerate(rows):
        x = MARGIN + (width - 160 - 2 * MARGIN - row_widths[index]) / 2
        y = MARGIN + index * ROW_GAP
        for code in row:
            position[code] = (x, y, widths[code])
            x += widths[code] + COLUMN_GAP
    height = MARGIN * 2 + (len(rows) - 1) * ROW_GAP + NODE_HEIGHT

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(diagram.title)}">',
        f"<title>{escape(diagram.title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5568"/></marker>'
        '<marker id="arrow-now" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#1d4ed8"/></marker></defs>',
    ]
    seen_pairs: dict[tuple[str, str], int] = {}
    labels = []
    for edge in diagram.edges:
        x1, y1, w1 = position[edge.source]
        x2, y2, w2 = position[edge.target]
        pair = (edge.source, edge.target)
        offset = seen_pairs.get(pair, 0)
        seen_pairs[pair] = offset + 1
        bold = edge.name in available and edge.source == current
        colour, marker, stroke = ("#1d4ed8", "arrow-now", 2.6) if bold else ("#4a5568", "arrow", 1.2)
        if edge.source == edge.target:
            sx, sy = x1 + w1, y1 + NODE_HEIGHT / 2
            path = (f"M{sx:.1f},{sy - 8:.1f} C{sx + 46 + 14 * offset:.1f},{sy - 34:.1f} "
                    f"{sx + 46 + 14 * offset:.1f},{sy + 34:.1f} {sx:.1f},{sy + 8:.1f}")
            lx, ly = sx + 50 + 14 * offset, sy
        elif y2 > y1:  # forward: from the bottom of the source to the top of the target
            sx, sy = x1 + w1 / 2 + 10 * offset, y1 + NODE_HEIGHT
            tx, ty = x2 + w2 / 2 + 10 * offset, y2
            mid = (sy + ty) / 2
            path = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{mid:.1f} {tx:.1f},{mid:.1f} {tx:.1f},{ty:.1f}"
            lx, ly = (sx + tx) / 2, mid
        elif y2 == y1:  # the same row: an arc below it
            sx, sy = x1 + w1 / 2 + 8 * offset, y1 + NODE_HEIGHT
            tx, ty = x2 + w2 / 2 - 8 * offset, y2 + NODE_HEIGHT
            dip = sy + 30 + 12 * offset
            path = f"M{sx:.1f},{sy:.1f} C{sx:.1f},{dip:.1f} {tx:.1f},{dip:.1f} {tx:.1f},{ty:.1f}"
            lx, ly = (sx + tx) / 2, dip - 6
        else:  # back: bow out to the right of both
            sx, sy = x1 + w1, y1 + NODE_HEIGHT / 2 + 6 * offset
            tx, ty = x2 + w2, y2 + NODE_HEIGHT / 2 - 6 * offset
            bow = max(sx, tx) + 60 + 18 * offset
            path = f"M{sx:.1f},{sy:.1f} C{bow:.1f},{sy:.1f} {bow:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"
            lx, ly = bow - 14, (sy + ty) / 2
        tooltip = edge.label + (f" — {edge.who}" if edge.who else "")
        if edge.conditions:
            tooltip += " [" + ", ".join(edge.conditions) + "]"
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}" marker-end="url(#{marker})" '
            f'data-transition="{escape(edge.name)}"><title>{escape(tooltip)}</title></path>')
        labels.append((lx, ly, edge.label, bold))
    for code, (x, y, w) in position.items():
        is_current = code == current
        fill, text_colour = ("#1d4ed8", "#ffffff") if is_current else ("#f7fafc", "#1a202c")
        border = "#1d4ed8" if is_current else ("#2f855a" if code == diagram.initial else "#a0aec0")
        current_mark = ' aria-current="step"' if is_current else ""
        parts.append(
            f'<g data-state="{escape(code)}"{current_mark}>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{NODE_HEIGHT}" rx="8" fill="{fill}" '
            f'stroke="{border}" stroke-width="{2 if is_current or code == diagram.initial else 1}"/>'
            f'<text x="{x + w / 2:.1f}" y="{y + NODE_HEIGHT / 2 + 4.5:.1f}" text-anchor="middle" font-size="13" '
            f'fill="{text_colour}">{escape(diagram.states[code])}</text></g>')
    placed: list[tuple[float, float, float]] = []
    for lx, ly, text, bold in labels:
        w = _text_width(text, 11) + 8
        while any(abs(lx - px) < (w + pw) / 2 and abs(ly - py) < 15 for px, py, pw in placed):
            ly += 15  # move a label down until it overlaps no other
        placed.append((lx, ly, w))
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<g class="edge-label"><rect x="{lx - w / 2:.1f}" y="{ly - 8:.1f}" width="{w:.1f}" height="15" '
            f'fill="#ffffff" opacity="0.9"/><text x="{lx:.1f}" y="{ly + 3.5:.1f}" text-anchor="middle" '
            f'font-size="11" fill="{"#1d4ed8" if bold else "#2d3748"}"{weight}>{escape(text)}</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
