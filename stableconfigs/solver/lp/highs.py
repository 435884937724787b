"""HiGHS objects for the LP stage, built without HiGHS's start-up banner on stdout."""
from __future__ import annotations

import os
import sys

import highspy
import numpy as np

INF = highspy.kHighsInf


def quiet() -> highspy.Highs:
    """A silent HiGHS. Its C++ constructor prints a banner to fd 1 once per process, before any option
    can be set; the CLI's stdout (often JSON) must not carry it, so the first one is built with fd 1
    pointed at /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    h.setOptionValue("output_flag", False)
    return h


def integer_program(seconds: float) -> highspy.Highs:
    """A silent HiGHS for a set-partitioning IP, stopped after ``seconds``. Without presolve: on these
    IPs it costs most of the call."""
    h = quiet()
    h.setOptionValue("time_limit", seconds)
    h.setOptionValue("presolve", "off")
    return h


def cover_rows(h: highspy.Highs, counts: np.ndarray) -> None:
    """One empty row per type, equal to its count: set partitioning, each copy covered exactly once."""
    for c in counts:
        h.addRow(c, c, 0, np.array([], dtype=np.int32), np.array([]))


def add_sparse_columns(h: highspy.Highs, ptr: np.ndarray, idx: np.ndarray, val: np.ndarray) -> None:
    """Columns of cost 1 and bounds [0, inf), in one call (one ``addCol`` each costs more than
    building them), in compressed form: column j holds ``val[ptr[j]:ptr[j+1]]`` on the rows
    ``idx[ptr[j]:ptr[j+1]]`` (the form HiGHS takes, so no dense row is ever built)."""
    n = len(ptr) - 1
    if n <= 0:
        return
    h.addCols(n, np.ones(n), np.zeros(n), np.full(n, INF), int(ptr[-1] - ptr[0]),
              (ptr[:-1] - ptr[0]).astype(np.int32), np.asarray(idx[ptr[0]:ptr[-1]], dtype=np.int32),
              np.asarray(val[ptr[0]:ptr[-1]], dtype=float))


def make_integer(h: highspy.Highs) -> None:
    """Every column of ``h`` integral."""
    n = h.getNumCol()
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))


_BANNER_SHOWN = False
