"""Unpacking an uploaded zip of a site's repository, safely.

Only the kinds of file the readers use are taken (text, data, pictures, PDFs);
paths that would leave the folder, links and special files are skipped, and the
number of files and their unpacked size are capped, so a zip bomb costs nothing.
"""

import stat
import zipfile
from pathlib import Path, PurePosixPath

from .data import SiteImportError

KEPT_SUFFIXES = {
    ".md", ".markdown", ".yml", ".yaml", ".toml", ".json", ".bib", ".liquid", ".html",
    ".jpg", ".jpeg", ".png", ".webp", ".gif", ".pdf",
}  # fmt: skip
MAX_FILES = 20_000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
# Folders of a repository that never hold content (and are often huge).
SKIPPED_FOLDERS = {".git", "node_modules", "vendor", "_site", "public", "resources", ".bundle"}


def unpack(zip_path, target):
    """Unpack the usable files of zip_path into target (an empty folder); return target."""
    target = Path(target)
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise SiteImportError("The file is not a zip archive.") from None
    with archive:
        members = [m for m in archive.infolist() if _usable(m)]
        if len(members) > MAX_FILES:
            raise SiteImportError(f"The zip holds more than {MAX_FILES} files: too many to import.")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise SiteImportError(
                f"The zip unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
                "leave large files out and try again."
            )
        for member in members:
            destination = target.joinpath(*_parts(member))
            destination.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with archive.open(member) as source, destination.open("wb") as out:
                # Counted while reading: the sizes in the zip's index may lie.
                while chunk := source.read(1024 * 1024):
                    written += len(chunk)
                    if written > member.file_size or written > MAX_UNPACKED_BYTES:
                        raise SiteImportError("The zip is damaged (a file is larger than it says).")
                    out.write(chunk)
    return target


def _usable(member):
    if member.is_dir():
        return False
    mode = member.external_attr >> 16
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # links, devices (0: no type recorded)
        return False
    parts = _parts(member)
    if not parts or member.filename.startswith("/") or ".." in parts or ":" in parts[0]:
        return False
    if any(part in SKIPPED_FOLDERS or part.startswith("__MACOSX") for part in parts[:-1]):
        return False
    return PurePosixPath(parts[-1]).suffix.lower() in KEPT_SUFFIXES


def _parts(member):
    return PurePosixPath(member.filename.replace("\\", "/")).parts
