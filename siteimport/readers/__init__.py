"""One reader per site generator, behind one interface; detect() picks one for a folder.

Each reader (a siteimport.readers.base.Reader) reads a folder into a SiteData
and touches no database; siteimport.writer saves what it read.
"""

from pathlib import Path

from ..data import SiteImportError
from .academicpages import AcademicPagesReader
from .alfolio import AlFolioReader
from .hugoblox import HugoBloxReader

# Most specific first: academicpages and al-folio are both Jekyll sites.
READERS = {r.name: r for r in (HugoBloxReader, AcademicPagesReader, AlFolioReader)}
LAYOUTS = list(READERS)


def site_root(folder):
    """The folder holding the site: a downloaded repository may wrap it in one more folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SiteImportError(f"{folder}: no such folder.")
    for _ in range(2):
        if any(reader.detect(folder) for reader in READERS.values()):
            return folder
        entries = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
        if len(entries) == 1 and entries[0].is_dir():
            folder = entries[0]
        else:
            break
    return folder


def detect(folder):
    root = site_root(folder)
    for reader in READERS.values():
        if reader.detect(root):
            return reader
    raise SiteImportError(
        f"{folder}: not an al-folio, Hugo Blox or academicpages site (found no "
        "_pages/about.md, _bibliography/, _publications/ or content/authors/)."
    )


def read_site(folder, layout=None):
    """The SiteData of a folder, read by the reader for `layout` or the one detected."""
    root = site_root(folder)
    if layout:
        if layout not in READERS:
            raise SiteImportError(f"unknown layout “{layout}”: use one of {', '.join(LAYOUTS)}.")
        reader = READERS[layout]
    else:
        reader = detect(root)
    return reader(root).read()
