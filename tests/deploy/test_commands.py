"""manage.py healthcheck and the secret key file, run as an operator would."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.process import manage, run_python

# Subprocesses and servers: left out of `make test-fast`.
pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]


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


def test_uploads_can_go_to_another_storage_backend(tmp_path):
    """What a PaaS user sets for object storage; here a second folder stands in for it."""
    shared = tmp_path / "shared-uploads"
    script = (
        "import django; django.setup();"
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "print(s.save('cv/x.txt', ContentFile(b'cv')), s.url('cv/x.txt'))"
    )
    result = run_python(
        ["-c", script],
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "site_project.settings",
            "DJANGO_MEDIA_STORAGE": "django.core.files.storage.FileSystemStorage",
            "DJANGO_MEDIA_STORAGE_OPTIONS": json.dumps(
                {"location": str(shared), "base_url": "https://files.example.org/"}
            ),
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cv/x.txt", "https://files.example.org/cv/x.txt"]
    assert (shared / "cv" / "x.txt").read_bytes() == b"cv"


def test_bad_storage_options_are_a_clear_error(tmp_path):
    result = manage(
        "check",
        env={
            "DJANGO_MEDIA_STORAGE": "storages.backends.s3.S3Storage",
            "DJANGO_MEDIA_STORAGE_OPTIONS": "{bucket_name: photos}",
        },
        tmp_path=tmp_path,
    )

    assert result.returncode != 0
    assert "DJANGO_MEDIA_STORAGE_OPTIONS is not JSON" in result.stderr
