"""Gunicorn settings, read when Gunicorn runs from server/ (supervisor's ``gunicorn tasks:app``).

Gunicorn 27 opens a control socket in ~/.gunicorn by default, one path for every instance of the user, so
deployments (and test runs) would take it over from each other. Older Gunicorns skip unknown settings.
"""
control_socket_disable = True
