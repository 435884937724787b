"""Benchmark TBNs of the shapes DNA designers build: sorting networks, seesaw circuits, strand
displacement cascades, and random TBNs with site constraints.

Sorting networks (``sortnet(kind, wires)``) generalize ``examples/wraparound_sorting_network.txt``. A
wire's value is a dual-rail signal: signal s has domains ``s_0`` and ``s_1``. Inputs: one monomer holds,
for each input wire i with bit v, two sites ``i_v*`` and one site ``w`` per output wire. A comparator
(A, B) -> (MIN, MAX) is two two-input gates, MIN = A AND B and MAX = A OR B; a gate computing O = f(A, B)
is, for each input pair (a, b), a computing monomer ``A_a B_b O_f(a,b)*`` (the output site twice when a
comparator reads O, once when O is an output wire) and a blank monomer ``A_a* B_b*``: 16 monomers per
comparator. Each output wire O gets the reporters ``O_0 w*``, ``O_1 w*``, ``O_0*``, ``O_1*``. Input bits
are the alternating 0101... word. Comparator lists:

* ``oddeven``: odd-even transposition sort, ``wires`` rounds of adjacent comparators;
* ``batcher``: Batcher's odd-even merge sort for the next power of two, comparators touching a wire
  past ``wires`` dropped (those wires carry +infinity, which a comparator never moves);
* ``bitonic``: the bitonic sorter (every comparator puts the minimum on its lower wire), truncated the
  same way.

Seesaw circuits (``seesaw(gates, seed)``) are domain-level seesaw networks (Qian and Winfree, 2011): one
toehold ``T`` shared by every strand; a wire from gate i to gate j is the signal strand ``S_i T S_j``;
each gate i has its gate base ``T* S_i* T*`` (bound to one of its output signals), a threshold
``S_k* T* S_i*`` for an input wire k, and a fuel ``S_i T S_f``; output wires end on a reporter
``T* S_j*``. The wiring (a random DAG of two-input gates) and the copies (1-3, concentrations) come from
the seed.

Strand displacement cascades (``cascade(stages, seed)``) chain translators: stage i is an input strand
``t_i d_i``, a gate ``t_i* d_i* t_(i+1)*`` bound to the output ``d_i t_(i+1) d_(i+1)``, and a
waste-catching complement ``d_i* t_(i+1)``; copies 1-3 from the seed.

Site-constrained random TBNs (``sited(lines, seed)``): a random TBN (``families.random_tbn``) with some sites
labelled, and constraint lines (PAIRED / NOTPAIRED / ANYPAIRED) on them.
"""
from __future__ import annotations

import random


def oddeven_pairs(wires: int) -> list[tuple[int, int]]:
    return [(i, i + 1) for r in range(wires) for i in range(r % 2, wires - 1, 2)]


def batcher_pairs(wires: int) -> list[tuple[int, int]]:
    n = 1 << max(0, (wires - 1).bit_length())
    out = []
    p = 1
    while p < n:
        k = p
        while k >= 1:
            for j in range(k % p, n - k, 2 * k):
                for i in range(min(k, n - j - k)):
                    if (i + j) // (2 * p) == (i + j + k) // (2 * p):
                        out.append((i + j, i + j + k))
            k //= 2
        p *= 2
    return [(a, b) for a, b in out if b < wires]


def bitonic_pairs(wires: int) -> list[tuple[int, int]]:
    n = 1 << max(0, (wires - 1).bit_length())
    out = []
    k = 2
    while k <= n:
        # the first merge step of a block compares mirrored wires, so every comparator points up
        for start in range(0, n, k):
            for i in range(k // 2):
                out.append((start + i, start + k - 1 - i))
        j = k // 4
        while j >= 1:
            for start in range(0, n, 2 * j):
                for i in range(j):
                    out.append((start + i, start + i + j))
            j //= 2
        k *= 2
    return [(a, b) for a, b in out if b < wires]


PAIRS = {"oddeven": oddeven_pairs, "batcher": batcher_pairs, "bitonic": bitonic_pairs}


def sorts(pairs: list[tuple[int, int]], wires: int) -> bool:
    """The comparator list sorts every 0/1 word (the 0-1 principle: then it sorts everything)."""
    for word in range(1 << wires):
        bits = [(word >> i) & 1 for i in range(wires)]
        for a, b in pairs:
            bits[a], bits[b] = min(bits[a], bits[b]), max(bits[a], bits[b])
        if any(x > y for x, y in zip(bits, bits[1:])):
            return False
    return True


def sortnet(kind: str, wires: int) -> list[str]:
    """The TBN of a sorting network (module docstring): 16 monomers per comparator, one input
    monomer, four reporters per output wire."""
    pairs = PAIRS[kind](wires)
    signal = [f"i{w}" for w in range(wires)]  # the signal each wire carries now
    made: list[tuple[str, str, str, object]] = []  # (A, B, O, f) per gate
    for c, (a, b) in enumerate(pairs):
        lo, hi = f"c{c}lo", f"c{c}hi"
        made.append((signal[a], signal[b], lo, min))
        made.append((signal[a], signal[b], hi, max))
        signal[a], signal[b] = lo, hi
    outputs = set(signal)
    bits = [w % 2 for w in range(wires)]
    lines = [" ".join([f"i{w}_{v}*" for w, v in enumerate(bits) for _ in range(2)] + ["w"] * wires)]
    for a, b, o, f in made:
        times = 1 if o in outputs else 2
        for x in (0, 1):
            for y in (0, 1):
                lines.append(" ".join([f"{a}_{x}", f"{b}_{y}"] + [f"{o}_{f(x, y)}*"] * times))
                lines.append(f"{a}_{x}* {b}_{y}*")
    for o in signal:
        lines += [f"{o}_0 w*", f"{o}_1 w*", f"{o}_0*", f"{o}_1*"]
    return lines


def seesaw(gates: int, seed: int) -> list[str]:
    """A random seesaw network of ``gates`` two-input gates (module docstring)."""
    rng = random.Random(seed)
    lines: list[str] = []

    def copies(line: str) -> None:
        n = rng.randint(1, 3)
        lines.append(line if n == 1 else f"{n}[{line}]")

    inputs = [f"x{i}" for i in range(2)]
    sources = list(inputs)
    for g in range(gates):
        gate = f"g{g}"
        ins = rng.sample(sources, 2) if len(sources) > 1 else sources * 2
        for k in ins:
            copies(f"S{k} T S{gate}")            # the signal on the wire k -> gate
            copies(f"S{k}* T* S{gate}*")         # its threshold
        copies(f"T* S{gate}* T*")                # the gate base
        copies(f"S{gate} T S{gate}f")            # the fuel
        sources.append(gate)
    for k in sources[-2:]:
        copies(f"S{k} T S{k}out")
        copies(f"T* S{k}out*")                   # the reporter
    return lines


def cascade(stages: int, seed: int) -> list[str]:
    """A chain of ``stages`` translators (module docstring)."""
    rng = random.Random(seed)
    lines: list[str] = []
    for i in range(stages):
        for line in (f"t{i} d{i}", f"t{i}* d{i}* t{i + 1}*", f"d{i} t{i + 1} d{i + 1}", f"d{i}* t{i + 1}"):
            n = rng.randint(1, 3)
            lines.append(line if n == 1 else f"{n}[{line}]")
    return lines


def sited(lines: list[str], seed: int, constraints: int = 4) -> tuple[list[str], list[str]]:
    """The TBN ``lines`` (a random one: families.random_tbn) with ``constraints`` site constraints:
    PAIRED, NOTPAIRED and ANYPAIRED in turn, on labelled sites of complementary domains."""
    rng = random.Random(seed)
    rows = [line.split() for line in lines]
    by_domain: dict[str, list[tuple[int, int]]] = {}
    for i, row in enumerate(rows):
        for j, tok in enumerate(row):
            by_domain.setdefault(tok.rstrip("*"), []).append((i, j))
    pairable = sorted(d for d, where in by_domain.items()
                      if {rows[i][j].endswith("*") for i, j in where} == {True, False})
    kinds = ["PAIRED", "NOTPAIRED", "ANYPAIRED"]
    out, used = [], set()
    for c in range(constraints):
        d = rng.choice(pairable)
        plain = [w for w in by_domain[d] if not rows[w[0]][w[1]].endswith("*") and w not in used]
        star = [w for w in by_domain[d] if rows[w[0]][w[1]].endswith("*") and w not in used]
        if not plain or not star:
            continue
        a, b = rng.choice(plain), rng.choice(star)
        kind = kinds[c % 3]
        names = []
        for w in ((a, b) if kind != "ANYPAIRED" else (a,)):
            used.add(w)
            label = f"s{len(used)}"
            rows[w[0]][w[1]] += f":{label}"
            names.append(label)
        out.append(" ".join([kind, *names]))
    return [" ".join(r) for r in rows], out
