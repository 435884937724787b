"""``python3 setup.py install``, the original install guide's step 2, for the package pyproject.toml defines.

All metadata lives in pyproject.toml; this file only lets the classic command run. It installs the
package without its dependencies: install those first with ``pip install -r server/requirements.txt``
(or skip both steps with ``pip install '.[server]'``).
"""
from setuptools import setup

setup()
