"""SQLite settings (WAL, IMMEDIATE transactions, busy timeout) under concurrent use."""

import json

import pytest

from tests.backups.test_commands import Install

pytestmark = pytest.mark.slow


def test_concurrent_writers_and_readers_never_see_database_is_locked(tmp_path):
    site = Install(tmp_path)
    site.manage("migrate", "--noinput")
    site.manage("loadseed")
    result = site.run("-m", "tests.backups.scripts", "concurrent")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["papers"] == 4 * 25
    assert report["statuses"] == [200]
    assert report["reads"] > 0
    assert "database is locked" not in result.stderr
