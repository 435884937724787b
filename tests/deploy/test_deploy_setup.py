"""setup-supervisor.sh installs a working server deployment into a PREFIX, with nothing to edit by hand.

The installed supervisord is really started (from an environment WITHOUT any STABLECONFIGS_* variable, so
the settings captured at install time are what it runs with) and must run redis, celery and gunicorn from
the repo's one set of program definitions (server/configs/programs.conf), serve a real result and the
web page's example files.
"""
from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import requests

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


def installed_environment(prefix: Path) -> dict[str, str]:
    """The [supervisord] environment the installed configuration gives the programs."""
    text = read_conf(prefix / "supervisord.conf")["supervisord"]["environment"]
    return {name: value.strip('"') for name, value in (pair.split("=", 1) for pair in text.split(","))}


def test_installed_supervisord_runs_the_three_programs(tmp_path: Path) -> None:
    prefix, port = tmp_path / "etc-supervisor", free_port()
    out = install(prefix, port=port, redis_url=f"redis://127.0.0.1:{free_port()}/0",
                  data_dir=tmp_path / "redis-data", celery_concurrency=1, timeout=40).stdout
    assert f"supervisord -c {prefix}/supervisord.conf" in out

    conf = read_conf(prefix / "supervisord.conf")
    assert conf["include"]["files"] == f"{REPO}/server/configs/programs.conf"
    env = installed_environment(prefix)
    assert env["STABLECONFIGS_ROOT"] == str(REPO) and env["STABLECONFIGS_VENV"] == str(REPO / ".venv")
    assert env["STABLECONFIGS_PORT"] == str(port) and env["STABLECONFIGS_GUNICORN_WORKERS"] == "1"
    assert int(env["STABLECONFIGS_CELERY_STOPWAITSECS"]) > 40 + 10  # above the job and Celery's hard limit
    assert env["STABLECONFIGS_EMBEDDED_REDIS"] == "true" and env["STABLECONFIGS_TIMEOUT"] == "40"

    env = clean_env()
    sup = Supervisor(prefix / "supervisord.conf", env)
    try:
        started = subprocess.run([str(VENV_BIN / "supervisord"), "-c", str(prefix / "supervisord.conf")],
                                 env=env, capture_output=True, check=False, text=True, timeout=30)
        assert started.returncode == 0, started.stderr
        sup.wait_states({"redis": "RUNNING", "celery": "RUNNING", "gunicorn": "RUNNING"})
        code, body = solve_via_http(f"http://127.0.0.1:{port}", timeout=60)
        assert code == 200 and body["status"] == "COMPLETE", body
        example = requests.get(f"http://127.0.0.1:{port}/assets/examples/and_gate.txt", timeout=10)
        assert example.status_code == 200 and example.content == (REPO / "examples" / "and_gate.txt").read_bytes()
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
    assert installed_environment(prefix)["STABLECONFIGS_EMBEDDED_REDIS"] == "false"
    assert read_conf(prefix / "supervisord.conf")["supervisord"]["logfile"] == f"{tmp_path}/logs/supervisord.log"
    # re-installing over an existing deployment keeps a backup of what changed
    install(prefix, "--no-redis", "--log-dir", str(tmp_path / "logs"))
    assert (prefix / "supervisord.conf.bak").exists()
