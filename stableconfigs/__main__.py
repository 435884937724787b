"""``python -m stableconfigs``: the same command line as the ``stableconfigs`` script (cli.main)."""
import sys

from .cli import main

sys.exit(main())
