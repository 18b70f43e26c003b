"""The database, backups and uploads are readable by the site's own user only."""

import stat

import pytest

from tests.process import manage

pytestmark = pytest.mark.slow


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_site_keeps_its_database_backups_and_uploads_private(tmp_path):
    var = tmp_path / "var"
    for command in (["migrate", "-v0"], ["loadseed", "-v0"], ["backup", str(var / "backups")]):
        result = manage(*command, tmp_path=tmp_path)
        assert result.returncode == 0, result.stderr

    assert mode(var) == 0o700
    assert mode(var / "db.sqlite3") == 0o600
    for wal in var.glob("db.sqlite3-*"):
        assert mode(wal) == 0o600, wal
    assert mode(var / "backups") == 0o700
    (archive,) = (var / "backups").glob("*.tar.gz")
    assert mode(archive) == 0o600
    media = var / "media"
    assert mode(media) == 0o700
    uploads = [p for p in media.rglob("*") if p.is_file()]
    assert uploads  # the demo photo, thumbnails and renditions
    for path in uploads:
        assert mode(path) == 0o600, path
    for folder in (p for p in media.rglob("*") if p.is_dir()):
        assert mode(folder) == 0o700, folder
