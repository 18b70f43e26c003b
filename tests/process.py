"""Run the project in a fresh process, as an operator would.

Every subprocess of the project that a test starts (manage.py, python -c,
gunicorn, make serve) goes through here, with none of this process's DJANGO_*
or DATABASE_URL settings: the default SQLite database lives under tmp_path, and
`env` sets what the test means to set (a DATABASE_URL of its own included).
System tools and servers (mount, redis-server) are started in tests/servers.py.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def environment(tmp_path, env=None, drop=()):
    """os.environ without DJANGO_*, DATABASE_URL or the prefixes in drop, with
    DJANGO_VAR_DIR=tmp_path/var, then env on top."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", *drop))
    }
    environment.update({"DJANGO_VAR_DIR": str(tmp_path / "var"), **(env or {})})
    return environment


def run_python(args, tmp_path, env=None, *, drop=(), timeout=120, check=False):
    """python ARGS in the project folder, output captured; check asserts it succeeded."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment(tmp_path, env, drop),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def manage(*args, tmp_path, env=None, **options):
    return run_python(["manage.py", *args], tmp_path, env, **options)


def start(command, tmp_path, env=None, *, drop=(), **options):
    """Popen(command) in the project folder; options (stdout, ...) go to Popen."""
    return subprocess.Popen(
        command, **{"cwd": BASE_DIR, "env": environment(tmp_path, env, drop), **options}
    )
