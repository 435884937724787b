"""Shared test setup: the one Hypothesis profile every property test runs under.

Derandomized so that CI and a developer see the same examples; no deadline because solve times vary
with the machine's load.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("stableconfigs", deadline=None, derandomize=True,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("stableconfigs")

# The live-service fixtures (one redis-server for the whole run) are shared by every test folder.
pytest_plugins = ["tests.live_stack"]
