"""manage.py backup / restore (backups/), against real SQLite files in subprocesses."""

import io
import json
import sqlite3
import sys
import tarfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.process import run_python, start

# Subprocesses and servers: left out of `make test-fast`.
pytestmark = pytest.mark.slow


class Install:
    """A separate installation: its own database file and media folder."""

    def __init__(self, root):
        self.root = Path(root)
        self.db = self.root / "db.sqlite3"
        self.media = self.root / "media"
        # On top of tests.process's clean environment.
        self.env = {
            "DJANGO_SETTINGS_MODULE": "site_project.settings",
            "DJANGO_VAR_DIR": str(self.root),
            "DATABASE_URL": f"sqlite:///{self.db}",
            "MEDIA_ROOT": str(self.media),
        }

    def run(self, *args, check=True):
        return run_python(args, self.root, self.env, timeout=300, check=check)

    def manage(self, *args, check=True):
        return self.run("manage.py", *args, check=check)

    def script(self, *args):
        return start([sys.executable, "-m", "tests.backups.scripts", *args], self.root, self.env)

    def media_files(self):
        return {
            p.relative_to(self.media).as_posix(): p.read_bytes()
            for p in self.media.rglob("*")
            if p.is_file()
        }


def table_rows(db_path):
    connection = sqlite3.connect(db_path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(
                connection.execute(f'SELECT * FROM "{table}"').fetchall(),  # noqa: S608
                key=repr,
            )
            for table in tables
        }
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A seeded installation with uploaded files."""
    site = Install(tmp_path_factory.mktemp("site"))
    site.manage("migrate", "--noinput")
    site.manage("loadseed")
    site.run("-m", "tests.backups.scripts", "add-media")
    return site


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def progress(path):
    try:
        return int(path.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def test_backup_while_writing_restores_every_row_and_file(site, tmp_path):
    stop, counter = tmp_path / "stop", tmp_path / "progress"
    writer = site.script("write-papers", str(stop), str(counter))
    try:
        wait_for(lambda: progress(counter) >= 5)
        before = progress(counter)
        result = site.manage("backup", str(tmp_path / "backups"))
        wait_for(lambda: progress(counter) >= before + 5)
    finally:
        stop.touch()
        writer.wait(timeout=60)
    (archive,) = (tmp_path / "backups").glob("homepage-backup-*.tar.gz")
    assert str(archive) in result.stdout

    fresh = Install(tmp_path / "fresh")
    restored = fresh.manage("restore", str(archive))
    assert "Restored the backup" in restored.stdout

    with tarfile.open(archive) as tar:
        snapshot = tmp_path / "snapshot.sqlite3"
        snapshot.write_bytes(tar.extractfile("db.sqlite3").read())
        archived_media = {
            m.name.removeprefix("media/"): tar.extractfile(m).read()
            for m in tar.getmembers()
            if m.name.startswith("media/")
        }
    # Every row of every table, as it was at the moment of the snapshot.
    snapshot_rows, restored_rows = table_rows(snapshot), table_rows(fresh.db)
    assert restored_rows == snapshot_rows
    assert len(snapshot_rows["research_publication"]) >= 5 + before
    # The snapshot is consistent: no paper half-written by the running writer.
    db = sqlite3.connect(fresh.db)
    counts = db.execute(
        "SELECT p.title, COUNT(a.id) FROM research_publication p "
        "LEFT JOIN research_authorship a ON a.publication_id = p.id "
        "WHERE p.title LIKE 'Concurrent %' GROUP BY p.id"
    ).fetchall()
    assert len(counts) >= before and {n for _, n in counts} == {2}
    photo, cv = db.execute("SELECT photo, cv FROM profile_profile").fetchone()
    db.close()
    # Every uploaded file, byte for byte, including the ones the rows point at.
    assert fresh.media_files() == archived_media == site.media_files()
    assert {photo, cv} <= set(fresh.media_files())


def test_restore_refuses_a_site_that_has_content(site, tmp_path):
    site.manage("backup", str(tmp_path))
    (archive,) = tmp_path.glob("*.tar.gz")
    before = table_rows(site.db)
    result = site.manage("restore", str(archive), check=False)
    assert result.returncode != 0
    assert "This installation is not empty" in result.stderr
    assert table_rows(site.db) == before


@pytest.mark.parametrize("command", [["backup"], ["restore", "any.tar.gz"]])
def test_other_databases_are_pointed_to_pg_dump(tmp_path, monkeypatch, settings, command):
    # Only the engine name is read: the command stops before connecting.
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.postgresql")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="pg_dump"):
        call_command(*command)
    assert list(tmp_path.iterdir()) == []


def forged_archive(path, extra_name, extra_data, manifest_media=None):
    db = sqlite3.connect(":memory:")
    snapshot = io.BytesIO(b"".join(line.encode() + b"\n" for line in db.iterdump()))
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [
            ("db.sqlite3", snapshot.getvalue()),
            (extra_name, extra_data),
            (
                "manifest.json",
                json.dumps(
                    {
                        "format": 1,
                        "created": "2024-01-01T00:00:00+00:00",
                        "database": {"sha256": "0" * 64},
                        "media": manifest_media or [],
                    }
                ).encode(),
            ),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize(
    "member,message",
    [
        ("../escaped.txt", "unsafe path"),
        ("/tmp/absolute.txt", "unsafe path"),
        ("media/ok.txt", "does not match its checksum"),
    ],
    ids=["parent-directory", "absolute-path", "bad-checksum"],
)
def test_restore_refuses_forged_archives(tmp_path, member, message):
    archive = tmp_path / "forged.tar.gz"
    forged_archive(archive, member, b"payload")
    install = Install(tmp_path / "target")
    result = install.manage("restore", str(archive), check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (tmp_path / "escaped.txt").exists()
    assert not install.media.exists()


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("hello")
    result = Install(tmp_path / "target").manage("restore", str(bogus), check=False)
    assert result.returncode != 0
    assert "is not a readable backup archive" in result.stderr
