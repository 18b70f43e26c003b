"""Production settings refuse to start without what production needs."""

import pytest

from tests.process import manage

# Each test starts manage.py in a subprocess (about a second each).
pytestmark = pytest.mark.slow


def test_development_needs_no_environment(tmp_path):
    result = manage("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = manage("check", tmp_path=tmp_path, env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key(tmp_path):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short"}
    result = manage("check", tmp_path=tmp_path, env=env)
    assert result.returncode != 0
    assert "too weak" in result.stderr
