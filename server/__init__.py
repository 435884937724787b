"""HTTP job service for StableConfigs: a Flask API in front of Celery workers over Redis.

The service knows nothing of SAT: workers call ``stableconfigs.solve`` and publish its progress.
Entry points: ``server.tasks:app`` (Flask, for Gunicorn), ``server.tasks.celery`` (Celery app),
``python -m server.redis_runner`` (a foreground redis-server for supervisor).
"""
