"""Production settings refuse to start without what production needs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_needs_no_environment(tmp_path):
    result = run_check(DJANGO_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(DJANGO_DEBUG="0", DJANGO_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key(tmp_path):
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short", DJANGO_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "too weak" in result.stderr
