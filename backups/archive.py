"""One-file backups of the database and the uploaded files, and their restore.

An archive is a .tar.gz holding manifest.json, db.sqlite3 (a consistent
snapshot taken with SQLite's online backup API, so the site keeps running and
writing) and media/<path> for every uploaded file, each listed in the manifest
with its size and SHA-256.
"""

import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections

from core.registry import tables_with_rows

FORMAT_VERSION = 1
DB_MEMBER = "db.sqlite3"
MANIFEST_MEMBER = "manifest.json"
MEDIA_PREFIX = "media/"
SQLITE_ENGINE = "django.db.backends.sqlite3"


class BackupError(Exception):
    """Something the person running the command must fix; the message says what."""


def sqlite_path(alias="default"):
    db = settings.DATABASES[alias]
    if db["ENGINE"] != SQLITE_ENGINE:
        vendor = db["ENGINE"].rsplit(".", 1)[-1]
        raise BackupError(
            f"backup and restore handle SQLite databases only, and this site uses {vendor} "
            '(DATABASE_URL). Back up PostgreSQL with pg_dump (e.g. pg_dump -Fc "$DATABASE_URL" '
            "> site.dump) and copy MEDIA_ROOT alongside it."
        )
    return Path(db["NAME"])


def _snapshot_database(source_path, target_path):
    """Copy the live database page by page within one read transaction."""
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        # pages=-1: one step, so the copy is a single consistent snapshot even
        # while other connections keep writing (WAL lets them go on).
        source.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode=DELETE")
        (result,) = target.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"The database snapshot failed its integrity check: {result}")
    finally:
        target.close()
        source.close()


def _media_files(media_root):
    root = Path(media_root)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _archive_name(directory):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    path = directory / f"homepage-backup-{stamp}.tar.gz"
    n = 2
    while path.exists():
        path = directory / f"homepage-backup-{stamp}-{n}.tar.gz"
        n += 1
    return path


def create_backup(directory):
    """Write a timestamped archive into `directory`; return its path and manifest."""
    db_path = sqlite_path()
    if not db_path.exists():
        raise BackupError(f"There is no database at {db_path} to back up.")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    archive_path = _archive_name(directory)
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        snapshot = Path(tmp) / DB_MEMBER
        _snapshot_database(db_path, snapshot)
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(timezone.utc).isoformat(),
            "database": {"file": DB_MEMBER, "sha256": _sha256_file(snapshot)},
            "media": [],
        }
        partial = Path(tmp) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(snapshot, arcname=DB_MEMBER)
            media_root = Path(settings.MEDIA_ROOT)
            for path in _media_files(media_root):
                # Read once, so size, hash and stored bytes agree even if the file changes.
                data = path.read_bytes()
                relative = path.relative_to(media_root).as_posix()
                info = tarfile.TarInfo(MEDIA_PREFIX + relative)
                info.size, info.mtime, info.mode = len(data), int(path.stat().st_mtime), 0o644
                tar.addfile(info, io.BytesIO(data))
                digest = hashlib.sha256(data).hexdigest()
                manifest["media"].append({"path": relative, "size": len(data), "sha256": digest})
            _add_bytes(tar, MANIFEST_MEMBER, json.dumps(manifest, indent=2).encode())
        # The archive appears under its final name only once it is complete.
        os.replace(partial, archive_path)
    return archive_path, manifest


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o644
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_relative(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"The archive holds an unsafe path ({name!r}); refusing to restore it.")
    return path


def read_archive(archive_path):
    """Open and check an archive: its manifest, member names and checksums."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"No backup archive at {archive_path}.")
    try:
        return _read_archive(archive_path)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"{archive_path} is not a readable backup archive ({exc}).") from None


def _read_archive(archive_path):
    with tarfile.open(archive_path, "r:*") as tar:
        members = {}
        for member in tar.getmembers():
            _safe_relative(member.name)
            if not member.isfile():
                raise BackupError(f"The archive holds {member.name!r}, which is not a plain file.")
            members[member.name] = member
        if MANIFEST_MEMBER not in members or DB_MEMBER not in members:
            raise BackupError(f"{archive_path} is not a homepage backup (no manifest or database).")
        try:
            manifest = json.loads(tar.extractfile(members[MANIFEST_MEMBER]).read())
        except ValueError:
            raise BackupError("The backup's manifest is damaged.") from None
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        database = tar.extractfile(members[DB_MEMBER]).read()
        if hashlib.sha256(database).hexdigest() != manifest["database"]["sha256"]:
            raise BackupError("The database in the archive does not match its checksum.")
        media = {}
        for entry in manifest["media"]:
            name = MEDIA_PREFIX + str(_safe_relative(entry["path"]))
            if name not in members:
                raise BackupError(f"The archive lacks {name}, listed in its manifest.")
            data = tar.extractfile(members[name]).read()
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise BackupError(f"{name} in the archive does not match its checksum.")
            media[entry["path"]] = data
    return manifest, database, media


def installation_content():
    """Names of tables that hold content or users (an empty installation has none)."""
    return tables_with_rows(extra_models=[get_user_model()])


def restore_backup(archive_path):
    """Put an archive's database and files into this (empty) installation."""
    db_path = sqlite_path()
    manifest, database, media = read_archive(archive_path)
    occupied = installation_content()
    media_root = Path(settings.MEDIA_ROOT)
    if occupied or _media_files(media_root):
        what = ", ".join(occupied) or f"files in {media_root}"
        raise BackupError(
            f"This installation is not empty ({what}). Restore into a fresh installation: "
            f"move {db_path} and {media_root} aside (keep them!) and run restore again."
        )
    connections.close_all()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=db_path.parent) as tmp:
        snapshot = Path(tmp) / DB_MEMBER
        snapshot.write_bytes(database)
        source = sqlite3.connect(snapshot)
        target = sqlite3.connect(db_path, timeout=30)
        try:
            (result,) = source.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise BackupError(f"The database in the archive is damaged: {result}")
            source.backup(target, pages=-1)
        finally:
            target.close()
            source.close()
    for relative, data in media.items():
        target_path = media_root / relative
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target_path.write_bytes(data)
    return manifest
