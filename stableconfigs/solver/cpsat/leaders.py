"""The bins of the CP-SAT model: one per monomer copy, led by its smallest monomer.

Types are put in an order (``order``) and their copies numbered along it. Bin j may only be used if
copy j leads it: copy j is in it and every other member comes later. ``x[t][j]`` counts the copies of
type t in bin j. Copies of one type are handed out in bin order, so bin j (led by the c-th copy of its
type) is used iff the copies of that type in earlier bins number exactly c: every configuration has
exactly one such form up to the order of bins led by copies of one type. The polymer count is the
number of bins used.

A polymer of an optimal configuration never splits into two parts with no domain between them
(splitting keeps saturation and adds a polymer), so bin j only holds types reachable from its leader's
type through types placed after it (``reach``): the graph joins types that share a domain they need,
and the constraints' monomers (``links``) so that splitting never breaks a constraint.
"""
from __future__ import annotations

from typing import NamedTuple

from ..instance import Instance, Vectors
from .loader import cp_model


class Layout(NamedTuple):
    """Types in the model's order, the copy numbering and which types each bin may hold."""

    order: tuple[int, ...]               # types, model order
    first: tuple[int, ...]               # per type: the number of its first copy
    leader: tuple[int, ...]              # per copy (bin): its type
    reach: tuple[tuple[int, ...], ...]   # per type: the types a bin it leads may hold (itself first)


def layout(inst: Instance, links: list[tuple[int, int]]) -> Layout:
    """Types ordered by how many others they touch (hubs first, so that the later ones fall apart
    into small pieces), and the reach of each (module docstring). ``links``: extra edges."""
    n = inst.n_types
    holders: dict[int, list[int]] = {}
    for t, net in enumerate(inst.sparse_nets):
        for d, _ in net:
            holders.setdefault(d, []).append(t)
    edges: list[set[int]] = [set() for _ in range(n)]
    for ts in holders.values():
        for t in ts:
            edges[t].update(ts)
    for a, b in links:
        edges[a].add(b)
        edges[b].add(a)
    order = sorted(range(n), key=lambda t: (-len(edges[t]), t))
    rank = {t: i for i, t in enumerate(order)}
    parent = list(range(n))
    members = [[t] for t in range(n)]

    def find(t: int) -> int:
        while parent[t] != t:
            parent[t] = parent[parent[t]]
            t = parent[t]
        return t

    reach: list[tuple[int, ...]] = [()] * n
    for t in reversed(order):  # add types last to first: a type's piece is its reach
        for u in edges[t]:
            if u != t and rank[u] > rank[t]:
                a, b = find(t), find(u)
                if a != b:
                    if len(members[a]) < len(members[b]):
                        a, b = b, a
                    parent[b] = a
                    members[a] += members[b]
                    members[b] = []
        piece = members[find(t)]
        reach[t] = (t, *sorted((u for u in piece if u != t), key=rank.__getitem__))
    first, leader, at = [0] * n, [], 0
    for t in order:
        first[t] = at
        at += inst.counts[t]
        leader += [t] * inst.counts[t]
    return Layout(tuple(order), tuple(first), tuple(leader), tuple(reach))


class Bins:
    """The bin variables, conservation, the leader rule and saturation, in ``model``."""

    def __init__(self, model: cp_model.CpModel, inst: Instance, lay: Layout):
        self.m, self.inst, self.lay = model, inst, lay
        n_bins = len(lay.leader)
        self.used = [model.new_bool_var(f"u{j}") for j in range(n_bins)]
        self.x: list[dict[int, cp_model.IntVar]] = []  # per bin: type -> count
        self._holding: list[list[int]] | None = None
        for j, lead in enumerate(lay.leader):
            self.x.append({t: self._count(t, j) for t in lay.reach[lead]})
        self._conservation()
        self._before = self._prefixes()
        for j in range(n_bins):
            self._leader_rule(j)
            self._saturation(j)

    def _count(self, t: int, j: int) -> cp_model.IntVar:
        """Copies of type t in bin j: at most those after the leader's copy on its own type."""
        top = self.inst.counts[t]
        if t == self.lay.leader[j]:
            top -= j - self.lay.first[t]
        return self.m.new_bool_var(f"x{t}_{j}") if top == 1 else self.m.new_int_var(0, top, f"x{t}_{j}")

    def holding(self, t: int) -> list[int]:
        """The bins that may hold type t, in order."""
        if self._holding is None:
            self._holding = [[] for _ in range(self.inst.n_types)]
            for j, xs in enumerate(self.x):
                for u in xs:
                    self._holding[u].append(j)
        return self._holding[t]

    def _conservation(self) -> None:
        for t in range(self.inst.n_types):
            self.m.add(sum(self.x[j][t] for j in self.holding(t)) == self.inst.counts[t])

    def _prefixes(self) -> dict[tuple[int, int], cp_model.LinearExprT]:
        """Per bin led by a copy of a type in several copies, the copies of that type in earlier
        bins: a running sum along the bins holding it, so the model stays linear in the bins."""
        out: dict[tuple[int, int], cp_model.LinearExprT] = {}
        for t, count in enumerate(self.inst.counts):
            if count == 1:
                continue
            lead_bins = set(range(self.lay.first[t], self.lay.first[t] + count))
            running: cp_model.LinearExprT = 0
            for j in self.holding(t):
                if j in lead_bins:
                    out[(t, j)] = running
                nxt = self.m.new_int_var(0, count, f"b{t}_{j}")
                self.m.add(nxt == running + self.x[j][t])
                running = nxt
        return out

    def _leader_rule(self, j: int) -> None:
        m, lead, used = self.m, self.lay.leader[j], self.used[j]
        c = j - self.lay.first[lead]  # copy j is the c-th of its type
        for t, v in self.x[j].items():
            m.add(v <= (self.inst.counts[t] if t != lead else self.inst.counts[t] - c) * used)
        m.add(self.x[j][lead] >= used)
        before = self._before.get((lead, j), 0)
        if self.inst.counts[lead] > 1 and not isinstance(before, int):
            m.add(before == c).only_enforce_if(used)
        elif self.inst.counts[lead] > 1:  # no earlier bin may hold this type
            if c:
                m.add(used == 0)
        else:  # a single copy: no earlier bin holds it once it leads (c is 0)
            earlier = [self.x[i][lead] for i in self.holding(lead) if i < j]
            if earlier:
                m.add(sum(earlier) == 0).only_enforce_if(used)

    def _saturation(self, j: int) -> None:
        rows: dict[int, list[tuple[cp_model.IntVar, int]]] = {}
        for t, v in self.x[j].items():
            for d, net in self.inst.sparse_nets[t]:
                rows.setdefault(d, []).append((v, net))
        for d, row in rows.items():
            if all(c > 0 for _, c in row) and not self.inst.tie[d]:
                continue  # nothing in this bin can make it negative
            expr = cp_model.LinearExpr.weighted_sum([v for v, _ in row], [c for _, c in row])
            self.m.add(expr == 0 if self.inst.tie[d] else expr >= 0)

    def in_bin(self, monomer: int, j: int) -> cp_model.IntVar | None:
        """The count (0/1 for a constraint's own monomer) of monomer's type in bin j; None if bin j
        cannot hold it."""
        return self.x[j].get(self.inst.type_of[monomer])

    def polymers(self) -> cp_model.LinearExpr:
        return sum(self.used)

    def hint(self, config: Vectors) -> None:
        """A configuration as a starting solution, in the one form the leader rule allows."""
        nxt = list(self.lay.first)
        rank = {t: i for i, t in enumerate(self.lay.order)}
        placed: dict[int, list[int]] = {}
        for poly in sorted(config, key=lambda p: min(rank[t] for t, c in enumerate(p) if c)):
            lead = min((t for t, c in enumerate(poly) if c), key=rank.__getitem__)
            j = nxt[lead]
            if any(c and t not in self.x[j] for t, c in enumerate(poly)):
                return  # outside the reach (a polymer that splits): no hint
            placed[j] = poly
            for t, c in enumerate(poly):
                nxt[t] += c
        for j, xs in enumerate(self.x):
            poly = placed.get(j)
            self.m.add_hint(self.used[j], poly is not None)
            for t, v in xs.items():
                self.m.add_hint(v, poly[t] if poly is not None else 0)

    def decode(self, solver: cp_model.CpSolver) -> Vectors:
        out = []
        for j, xs in enumerate(self.x):
            if solver.boolean_value(self.used[j]):
                poly = [0] * self.inst.n_types
                for t, v in xs.items():
                    poly[t] = int(solver.value(v))
                out.append(poly)
        return out
