import os
import sys

# The LP stage's matrix products are small: OpenBLAS's worker threads cost more than they save (random
# n = 40 on 2 cores: 0.21 -> 0.17 s per process) and would compete with the solver's CP-SAT threads.
# Set before numpy is first imported; a value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # the reader went away (`... | head`): stop quietly, as other tools do
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
    code = 1
sys.exit(code)
