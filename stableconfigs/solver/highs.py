"""HiGHS objects for the LP stage, built without HiGHS's start-up banner on stdout."""
from __future__ import annotations

import os
import sys

import highspy

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


_BANNER_SHOWN = False
