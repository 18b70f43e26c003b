"""manage.py healthcheck and the secret key file, run as an operator would."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]


def manage(*args, env=None, tmp_path):
    environment = {
        **os.environ,
        "DJANGO_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **(env or {}),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_healthcheck_reports_the_database(db, capsys):
    call_command("healthcheck")

    assert "database: ok" in capsys.readouterr().out


def test_healthcheck_fails_with_the_reason_when_the_database_is_unreachable(tmp_path):
    # Port 9 on loopback: nothing listens there, so the connection is refused.
    result = manage(
        "healthcheck",
        env={"DATABASE_URL": "postgres://nobody:pw@127.0.0.1:9/nothing"},
        tmp_path=tmp_path,
    )

    assert result.returncode == 1
    assert "postgresql database does not answer" in result.stderr
    assert "127.0.0.1" in result.stderr


def test_production_settings_read_the_key_from_a_file_and_pass_check_deploy(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 20 + "x9Q-" * 10 + "\n")
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "",
        "DJANGO_SECRET_KEY_FILE": str(key_file),
        "DJANGO_ALLOWED_HOSTS": "example.org",
    }

    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=production, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key_file", ["missing", "empty"])
def test_production_refuses_to_start_without_a_readable_key(tmp_path, key_file):
    path = tmp_path / "secret_key"
    if key_file == "empty":
        path.write_text("")
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "",
        "DJANGO_SECRET_KEY_FILE": str(path),
        "DJANGO_ALLOWED_HOSTS": "example.org",
    }

    result = manage("check", env=production, tmp_path=tmp_path)

    assert result.returncode != 0
    expected = "cannot be read" if key_file == "missing" else "must be set"
    assert expected in result.stderr
