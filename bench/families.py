"""The benchmark TBN families, written as text in the StableConfigs format.

slow_N     "slow grid": G holds N copies of every x_i*; N monomers H_j = x_0..x_{N-1}; N monomers V_i = N
           copies of x_i. 2N+1 monomers; entropy N+1.
tree_D     exponential tree of depth D: level l holds 2^(l-1) named monomers "(l-1)* l l"; entropy 1.
treeu_D    the same tree with identical unnamed monomers.
and_N      a cascade of N two-input AND gates (the original's and_gate.txt, chained); entropy 4N+1.
random_nN_sS  N random monomers with 1-4 sites over N/4 domain types, seed S.
few_cC_sS  few types in many copies: 5 random monomer types over 3 domains (sites repeated up to 3
           times), each in C/2 to 3C/2 copies written as count lines (``120[a 2(b*)]``), seed S.
sort_KINDWW  a sorting network of WW wires, KIND batcher / bitonic / oddeven (bench/circuits.py).
seesaw_gG_sS  a seesaw network of G gates, seed S; cascade_nN_sS  N translators in a chain, seed S.
sited_nN_sS  random_tbn(N, ...) with site constraints (``constraints_for``), seed S.
"""
from __future__ import annotations

import random

from . import circuits


def slow(n: int) -> list[str]:
    grid = [" ".join(f"x{i}*" for i in range(n) for _ in range(n)) + " >G"]
    rows = [" ".join(f"x{i}" for i in range(n)) + f" >H{j}" for j in range(n)]
    cols = [" ".join([f"x{i}"] * n) + f" >V{i}" for i in range(n)]
    return grid + rows + cols


def tree(depth: int, named: bool) -> list[str]:
    out = []
    for level in range(1, depth + 1):
        for _ in range(2 ** (level - 1)):
            name = f" >m{len(out) + 1}" if named else ""
            out.append(f"{level - 1}* {level} {level}{name}")
    return out


def and_cascade(gates: int) -> list[str]:
    a, b = "g1x1", "g1x2"
    out = [f"{a} {b} >in_x"]
    for g in range(1, gates + 1):
        y1, y2, z1, z2 = (f"g{g}{s}" for s in ("y1", "y2", "z1", "z2"))
        out += [f"{a} {b} {y1} {y2} {z1}", f"{a}* {b}* {y1}* {y2}*", f"{b}* {y1}* {y2}* {z1}*",
                f"{y2} {z1} {z2}", f"{b} {y1}", f"{y1} {y2} >in_y{g}", f"{z1} {z2} >out{g}", f"{z1}* {z2}*"]
        a, b = z1, z2
    return out


def random_tbn(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    domains = [f"d{i}" for i in range(max(2, n // 4))]
    return [" ".join(rng.choice(domains) + ("*" if rng.random() < 0.5 else "")
                     for _ in range(rng.randint(1, 4))) for _ in range(n)]


def few_types(copies: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    domains = ["a", "b", "c"]
    out: list[str] = []
    while len(out) < 5:
        sites = []
        for d in rng.sample(domains, rng.randint(1, 3)):
            many = rng.randint(1, 3)
            token = d + ("*" if rng.random() < 0.5 else "")
            sites.append(token if many == 1 else f"{many}({token})")
        line = " ".join(sites)
        if line not in out:
            out.append(line)
    return [f"{rng.randint(copies // 2, 3 * copies // 2)}[ {line} ]" for line in out]


def instance(name: str) -> list[str]:
    """Lines of a named instance: slow_20, tree_09, treeu_13, and_32, random_n080_s2, sort_batcher16,
    seesaw_g08_s1, cascade_n40_s1, sited_n050_s1."""
    family, _, size = name.partition("_")
    if family == "sort":
        return circuits.sortnet(size.rstrip("0123456789"), int(size[-2:]))
    if family in ("seesaw", "cascade", "sited"):
        n, s = (int(part[1:]) for part in size.split("_"))
        if family == "sited":
            return circuits.sited(random_tbn(n, s), s)[0]
        return (circuits.seesaw if family == "seesaw" else circuits.cascade)(n, s)
    if family == "random":
        n, s = size.split("_")
        return random_tbn(int(n[1:]), 1000 * int(n[1:]) + int(s[1:]))
    if family == "few":
        c, s = size.split("_")
        return few_types(int(c[1:]), int(s[1:]))
    maker = {"slow": slow, "tree": lambda d: tree(d, True), "treeu": lambda d: tree(d, False),
             "and": and_cascade}[family]
    return maker(int(size))


def constraints_for(name: str) -> list[str]:
    """Constraint lines of a named instance (only the site-constrained family has any)."""
    family, _, size = name.partition("_")
    if family != "sited":
        return []
    n, s = (int(part[1:]) for part in size.split("_"))
    return circuits.sited(random_tbn(n, s), s)[1]
