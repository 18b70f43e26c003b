"""Attach local files to imported papers: the PDFs, previews, slides and posters a .bib names.

al-folio's papers.bib names files of the site (pdf = {paper.pdf}, preview =
{fig.png}); the importer keeps those names on each paper (Publication.local_files).
attach_files() matches files by name to those papers and stores each one through
the same form fields as an upload in the admin, so every check of an upload
applies (PDF content and size, image checks and re-encoding). Used by the
admin's "Attach files to imported papers" and by `import_bibtex --files DIR`.
"""

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from .models import PaperLink, Publication

# The field of the .bib, and where the file goes on the paper.
KINDS = {"pdf": "pdf", "preview": "thumbnail", "slides": "Slides", "poster": "Poster"}
# A zip may not unpack to more than this (a few hundred PDFs and images).
ZIP_MAX_BYTES = 500 * 1024 * 1024


@dataclass
class AttachReport:
    attached: list = field(default_factory=list)  # (file name, paper, kind)
    refused: list = field(default_factory=list)  # (file name, paper, reason)
    unmatched: list = field(default_factory=list)  # file names no paper names


def _key(name):
    return PurePosixPath(name.replace("\\", "/")).name.casefold()


class _PdfForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["pdf"]


class _ThumbnailForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["thumbnail"]


class _LinkFileForm(forms.ModelForm):
    class Meta:
        model = PaperLink
        fields = ["file"]


def _errors(form):
    return "; ".join(message for errors in form.errors.values() for message in errors)


def attach_files(files, papers=None):
    """Store each (name, content) in `files` on the papers whose BibTeX named it.

    content is bytes, or a callable giving them (read only when the name matches).

    papers defaults to every paper. Returns an AttachReport; nothing is stored
    for a file that fails its checks.
    """
    papers = Publication.objects.all() if papers is None else papers
    wanted = {}
    for paper in papers.exclude(local_files={}):
        for kind, name in (paper.local_files or {}).items():
            if kind in KINDS and name:
                wanted.setdefault(_key(name), []).append((paper, kind))
    report = AttachReport()
    for name, content in files:
        matches = wanted.get(_key(name))
        if not matches:
            report.unmatched.append(name)
            continue
        data = content() if callable(content) else content
        for paper, kind in matches:
            error = _attach_one(paper, kind, PurePosixPath(name).name, data)
            if error:
                report.refused.append((name, paper, error))
            else:
                report.attached.append((name, paper, kind))
    return report


def _attach_one(paper, kind, name, content):
    upload = SimpleUploadedFile(name, content)
    if kind in {"pdf", "preview"}:
        form_class = _PdfForm if kind == "pdf" else _ThumbnailForm
        form = form_class(data={}, files={KINDS[kind]: upload}, instance=paper)
    else:
        link = paper.links.filter(label=KINDS[kind], url="").first() or PaperLink(
            publication=paper, label=KINDS[kind], position=paper.links.count()
        )
        form = _LinkFileForm(data={}, files={"file": upload}, instance=link)
    if not form.is_valid():
        return _errors(form) or "the file was refused"
    with transaction.atomic():
        form.save()
    return ""


def files_from_uploads(uploads):
    """(name, bytes) from uploaded files; a .zip is opened and its files taken instead.

    ValueError with a message for a zip that cannot be read or unpacks too large.
    """
    for upload in uploads:
        data = upload.read()
        if not upload.name.lower().endswith(".zip"):
            yield upload.name, data
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise ValueError(f"“{upload.name}” is not a readable zip file.") from None
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > ZIP_MAX_BYTES:
            raise ValueError(f"“{upload.name}” unpacks to more than 500 MB; send it in parts.")
        for member in members:
            if PurePosixPath(member.filename).name.startswith("."):
                continue  # __MACOSX/._x and other hidden files
            yield member.filename, archive.read(member)
