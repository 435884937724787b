"""The original install guide (shared/reference/api-server-usage.md, "Start Server locally" and "Deploying
with Supervisor on a Server"), followed in order on a fresh clone, as a new user would.

Everything lives under the test's temp dir: the clone, a HOME holding the reference's ``~/backendenv``,
the supervisor PREFIX (in place of /etc/supervisor), logs, sockets and Redis's data; ports are free
loopback ones. pip installs from the configured indexes with the invoking user's pip cache
(``PIP_CACHE_DIR``), so a second run downloads nothing. Where the guide says ``sudo``, the test runs the
script as sudo would: ``VIRTUAL_ENV`` removed and a system ``PATH``, ``SUDO_USER`` set, and the caller's
environment (with ``VIRTUAL_ENV``) on the parent process, which is where sudo's own process keeps it.
"""
from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from pathlib import Path

import stableconfigs as sc
from stableconfigs.client import Client
from tests.deploy.deploy_helpers import REPO, Supervisor, clean_env, free_port, program_states
from tests.live_stack import wait_for

REFERENCE_REQUEST = {"monomers": [["a", "b"], ["a*", "b*"], ["a*", ">mon1"], ["b*"]],
                     "constraints": [["FREE", "mon1"]], "gen": 2, "init_k": 2}
# The reference's example answer, and the system it is the answer of.
REFERENCE_ANSWER = {"status": "COMPLETE", "configs": [{"polymers": [[["a*", "b*"], ["a", "b"]], [["b"]], [["a"]]],
                                                       "polymers_count": 3}], "count": 1, "entropy": 3}
ANSWERED_REQUEST = {"monomers": [["a", "b"], ["a*", "b*"], ["a"], ["b"]]}
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"  # sudo's secure_path


def fresh_clone(dest: Path) -> Path:
    """``git clone`` of this repo, with the work tree's uncommitted changes brought over, so the test
    checks the code on disk."""
    subprocess.run(["git", "clone", "-q", str(REPO), str(dest)], check=True)
    diff = subprocess.run(["git", "-C", str(REPO), "diff", "HEAD", "--binary"], capture_output=True,
                          check=True).stdout
    if diff.strip():
        subprocess.run(["git", "-C", str(dest), "apply", "--whitespace=nowarn"], input=diff, check=True)
    untracked = subprocess.run(["git", "-C", str(REPO), "ls-files", "--others", "--exclude-standard", "-z"],
                               capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, untracked):
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, dest / name)
    return dest


def canonical(result: dict) -> list:
    """A result's configurations with the order of polymers and of monomers inside them ignored."""
    return sorted((c["polymers_count"], sorted(sorted(p) for p in c["polymers"])) for c in result["configs"])


def step(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    """Run one step of the guide; fail with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_the_reference_install_guide_step_by_step(tmp_path: Path) -> None:
    home, prefix = tmp_path / "home", tmp_path / "etc-supervisor"
    home.mkdir()
    repo = fresh_clone(tmp_path / "StableConfigs")
    port, redis_port = free_port(), free_port()
    venv_bin = str(REPO / ".venv" / "bin")
    outside = clean_env()
    outside.update(HOME=str(home), PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR")
                   or str(Path.home() / ".cache" / "pip"))
    outside["PATH"] = os.pathsep.join(p for p in outside["PATH"].split(os.pathsep) if p != venv_bin)
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "SUDO_USER"):
        outside.pop(name, None)

    # 1. Create a virtual environment (and `source ~/backendenv/bin/activate`), pip3 install -r server/requirements.txt
    venv = home / "backendenv"
    step([str(Path(sys.base_prefix) / "bin" / "python3"), "-m", "venv", str(venv)], repo, outside)
    active = dict(outside, VIRTUAL_ENV=str(venv), PATH=f"{venv}/bin{os.pathsep}{outside['PATH']}")
    step(["pip3", "install", "-q", "-r", "server/requirements.txt"], repo, active)

    # 2. Install core libraries: python3 setup.py install (a real copy in the venv, not the clone)
    step(["python3", "setup.py", "install"], repo, active)
    where = step(["python3", "-c", "import stableconfigs, server; print(stableconfigs.__file__)"], home, active)
    assert where.strip().startswith(str(venv)), where

    # 3. Install redis. As root the script's default is the system package (apt-get), which a test must
    # not install on the machine: it takes the other way the script offers, into the active venv.
    redis_args = ["--venv"] if os.geteuid() == 0 else []
    assert "redis-server" in step(["./install-redis.sh", *redis_args], repo, active).lower()

    # 4. Nothing to modify by hand. 5. sudo ./setup-supervisor.sh (into PREFIX instead of /etc/supervisor)
    settings = {"STABLECONFIGS_PORT": str(port), "STABLECONFIGS_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                "STABLECONFIGS_CELERY_CONCURRENCY": "1", "STABLECONFIGS_TIMEOUT": "30"}
    as_sudo = ('env -u VIRTUAL_ENV PATH="$1" SUDO_USER="$2" ./setup-supervisor.sh "$3"; exit $?')
    out = step(["bash", "-c", as_sudo, "sudo", SYSTEM_PATH, getpass.getuser(), str(prefix)], repo,
               dict(active, **settings))
    assert f"Virtual environment: {venv} (the virtual environment active when" in out, out
    conf = prefix / "supervisord.conf"
    assert (venv / "etc" / "supervisord.conf").resolve() == conf

    # 6. Run the supervisor daemon (the guide's positional form is refused by supervisord: -c), with the
    # venv active and none of the settings in the environment: they were written into the configuration.
    step(["supervisord", "-c", str(conf)], repo, active)
    supervisor = Supervisor(conf, active)
    try:
        # 7. supervisorctl status, as the guide types it: from the repo root, no -c (the venv's link)
        def all_running() -> bool:
            status = subprocess.run(["supervisorctl", "status"], cwd=repo, env=active, capture_output=True,
                                    text=True, timeout=30, check=False).stdout
            states = program_states(status)
            return all(states.get(name) == "RUNNING" for name in ("redis", "celery", "gunicorn"))

        wait_for(all_running, 90, "redis, celery and gunicorn RUNNING", prefix / "log" / "supervisord.log")
        client = Client(f"http://127.0.0.1:{port}/")
        wait_for(lambda: client.health()["status"] == "ok", 60, "GET /health", prefix / "log" / "celery.log")

        # The reference's example request, and the request its example answer belongs to.
        result = client.solve(REFERENCE_REQUEST, timeout=60)
        tbn = sc.tbn_from_tokens(REFERENCE_REQUEST["monomers"])
        local = sc.solve(tbn, sc.constraints_from_tokens(REFERENCE_REQUEST["constraints"], tbn), gen=2, init_k=2)
        assert result == local.to_json()
        answer = client.solve(ANSWERED_REQUEST, timeout=60)
        assert {k: answer[k] for k in ("status", "count", "entropy")} == {"status": "COMPLETE", "count": 1,
                                                                          "entropy": 3}
        assert canonical(answer) == canonical(REFERENCE_ANSWER)
        # "gen": 1000 is accepted; as many configurations come back as exist.
        many = client.solve(dict(ANSWERED_REQUEST, gen=1000), timeout=60)
        assert many["count"] == len(many["configs"]) == len(
            sc.solve(sc.tbn_from_tokens(ANSWERED_REQUEST["monomers"]), gen=1000).configs)
    finally:
        supervisor.shutdown()

