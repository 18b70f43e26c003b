"""Run the project in a fresh Python process, as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def run_python(args, tmp_path, env=None):
    """python ARGS in the project folder, with none of this process's DJANGO_* or
    DATABASE_URL settings: the default SQLite database lives under tmp_path."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update({"DJANGO_VAR_DIR": str(tmp_path / "var"), **(env or {})})
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, tmp_path, env=None):
    return run_python(["manage.py", *args], tmp_path, env)
