"""setup-supervisor.sh installs a working server deployment into a PREFIX, with nothing to edit by hand.

The installed supervisord is really started (from an environment WITHOUT any STABLECONFIGS_* variable, so
the settings captured at install time are what it runs with) and must run redis, celery and gunicorn and
serve a real result.
"""
from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

from tests.deploy.deploy_helpers import REPO, VENV_BIN, Supervisor, clean_env, free_port, solve_via_http

SCRIPT = REPO / "setup-supervisor.sh"


def install(prefix: Path, *args: str, **settings: object) -> subprocess.CompletedProcess:
    """Run setup-supervisor.sh as a user would (settings given as STABLECONFIGS_* variables)."""
    env = clean_env(**settings)
    env.pop("SUDO_USER", None)
    result = subprocess.run(["bash", str(SCRIPT), str(prefix), *args], env=env, capture_output=True, check=False,
                            text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def read_conf(path: Path) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(inline_comment_prefixes=(";",))
    parser.read(path)
    return parser


def test_installed_supervisord_runs_the_three_programs(tmp_path: Path) -> None:
    prefix, port = tmp_path / "etc-supervisor", free_port()
    out = install(prefix, port=port, redis_url=f"redis://127.0.0.1:{free_port()}/0",
                  data_dir=tmp_path / "redis-data", celery_concurrency=1, timeout=40).stdout
    assert f"supervisord -c {prefix}/supervisord.conf" in out

    programs = read_conf(prefix / "conf.d" / "celeryd.conf")["program:celery"]
    assert programs["stopasgroup"] == "false" and programs["killasgroup"] == "true"
    assert int(programs["stopwaitsecs"]) > 40 + 10  # above the job limit and Celery's hard limit
    gunicorn = read_conf(prefix / "conf.d" / "gunicornd.conf")["program:gunicorn"]
    assert gunicorn["command"] == f"{REPO}/.venv/bin/gunicorn -w 1 --timeout 3000 -b 0.0.0.0:{port} tasks:app"
    assert gunicorn["directory"] == f"{REPO}/server"
    for name in ("redis", "celeryd", "gunicornd"):
        text = (prefix / "conf.d" / f"{name}.conf").read_text()
        assert "autorestart=true" in text and "@" not in text.replace("%%h", "")

    env = clean_env()
    sup = Supervisor(prefix / "supervisord.conf", env)
    try:
        started = subprocess.run([str(VENV_BIN / "supervisord"), "-c", str(prefix / "supervisord.conf")],
                                 env=env, capture_output=True, check=False, text=True, timeout=30)
        assert started.returncode == 0, started.stderr
        sup.wait_states({"redis": "RUNNING", "celery": "RUNNING", "gunicorn": "RUNNING"})
        code, body = solve_via_http(f"http://127.0.0.1:{port}", timeout=60)
        assert code == 200 and body["status"] == "COMPLETE", body
        assert (prefix / "run" / "supervisor.sock").is_socket()
        assert (prefix / "run" / "supervisor.sock").stat().st_mode & 0o777 == 0o700
        for name in ("supervisord", "redis", "celery", "gunicorn"):
            assert (prefix / "log" / f"{name}.log").exists(), name
    finally:
        sup.shutdown()


def test_group_option_and_no_redis(tmp_path: Path) -> None:
    import grp
    import os

    group = grp.getgrgid(os.getgid()).gr_name  # an existing group: nothing is created on this machine
    prefix = tmp_path / "prefix"
    out = install(prefix, "--group", group, "--no-redis", "--log-dir", str(tmp_path / "logs")).stdout
    server = read_conf(prefix / "supervisord.conf")["unix_http_server"]
    assert server["chmod"] == "0770" and server["chown"] == f"root:{group}"
    assert f"usermod -a -G {group}" in out
    assert sorted(p.name for p in (prefix / "conf.d").glob("*.conf")) == ["celeryd.conf", "gunicornd.conf"]
    assert read_conf(prefix / "supervisord.conf")["supervisord"]["logfile"] == f"{tmp_path}/logs/supervisord.log"
    # re-installing over an existing deployment keeps a backup of what changed
    install(prefix, "--no-redis", "--log-dir", str(tmp_path / "logs"))
    assert (prefix / "supervisord.conf.bak").exists()
