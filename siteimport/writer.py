"""Saving a SiteData: the profile, social links, owner, papers, co-authors, uploads.

import_site() first checks every upload (the same checks as the editor's: images
re-encoded by normalize_image, PDFs by validate_pdf), then writes everything in
one transaction, so bad input saves nothing half-done; a dry run goes through the
same steps and rolls back. Writing is idempotent: rows are matched (the profile
is one row, links by address, papers as the BibTeX importer matches them, people
by name), values are set only when they differ, and files are uploaded only
where none is stored yet, so a second run changes nothing.
"""

import bibtexparser
import reversion
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from pagecache.freshness import mark_changed
from profiles.models import Profile, SocialLink
from research.bibtex_import import (
    BibtexError,
    OwnerSpec,
    ParsedAuthor,
    ParsedEntry,
    ParseResult,
    parse_bibtex,
    run_import,
    undated_label,
)
from research.models import PaperLink, Person
from research.names import comparable
from uploads.fields import validate_pdf
from uploads.images import PHOTO_MAX_SIZE, THUMBNAIL_MAX_SIZE, ImageRejected, normalize_image

from . import content
from .data import Note, SiteImportError, SourceFile


class _Uploads:
    """Checked files, ready to store: each source file is read and checked once."""

    def __init__(self, report):
        self.report = report
        self.stored = []  # storage names written, removed again if the transaction fails

    def image(self, source, max_size, what):
        if source is None:
            return None
        try:
            with source.path.open("rb") as handle:
                return normalize_image(File(handle, name=source.path.name), max_size)
        except ImageRejected as error:
            self.report.note(source.name, f"{what}: {error.messages[0]} Not uploaded.")
            return None

    def pdf(self, source, what):
        if source is None:
            return None
        handle = source.path.open("rb")
        upload = File(handle, name=source.path.name)
        try:
            validate_pdf(upload)
        except ValidationError as error:
            handle.close()
            self.report.note(source.name, f"{what}: {error.messages[0]} Not uploaded.")
            return None
        return upload


def import_site(site, *, dry_run=False, user=None):
    """Save what a reader read; the site's report says what was done and left out."""
    report = site.report
    profile = Profile.load()
    if not site.profile.name and not profile.name:
        raise SiteImportError(
            "No name found (al-folio: first_name and last_name in _config.yml; Hugo Blox: "
            "the author's title; academicpages: author name): nothing was saved."
        )
    uploads = _Uploads(report)
    try:
        with transaction.atomic(), reversion.create_revision():
            if user is not None:
                reversion.set_user(user)
            reversion.set_comment(f"Imported from a {site.layout} site")
            writer = _Writer(site, uploads, dry_run)
            writer.run()
            if dry_run:
                transaction.set_rollback(True)
            elif report.changed():
                mark_changed()  # authorships and tags change without signals on the paper
    except Exception:
        for name in uploads.stored:
            default_storage.delete(name)
        raise
    return report


class _Writer:
    def __init__(self, site, uploads, dry_run):
        self.site = site
        self.report = site.report
        self.uploads = uploads
        self.dry_run = dry_run

    def run(self):
        self.profile()
        self.links()
        self.markdown_images()
        self.papers()
        self.coauthors()
        menu_before = content.menu_keys()
        for app, kind, items, what, write in (
            ("news", "news", self.site.news, "news items", content.write_news),
            ("pages", "pages", self.site.pages, "pages", content.write_pages),
            ("talks", "talks", self.site.talks, "talks", content.write_talks),
            ("teaching", "teaching", self.site.teaching, "courses", content.write_teaching),
        ):
            if apps.is_installed(app):
                write(self.report, items)
            else:
                self.not_yet(kind, items, what)
        if self.site.menu and apps.is_installed("pages"):
            content.arrange_menu(self.report, self.site.menu, menu_before)
        if apps.is_installed("profiles") and _has_model("profile", "HomeSection"):
            content.write_home_sections(
                self.report, self.profile_row, self.site.profile, bool(self.site.news)
            )
        if apps.is_installed("cv"):
            content.CVWriter(self).run(self.site.cv)
        else:
            self.not_yet("CV", self.site.cv, "CV sections")

    def not_yet(self, kind, items, what):
        if items:
            sources = sorted({item.source for item in items})
            self.report.note(
                ", ".join(sources), f"{len(items)} {what} read, but this site has no {kind} yet"
            )
            self.report.count(kind, "not imported (no such content here yet)", len(items))

    # --- files ----------------------------------------------------------------------

    def store(self, instance, field, content, name):
        """Put a checked file on a model field (nothing is stored in a dry run)."""
        if not self.dry_run:
            getattr(instance, field).save(name, content, save=False)
            self.uploads.stored.append(getattr(instance, field).name)
        content.close()

    # --- owner ----------------------------------------------------------------------

    def owner_spec(self):
        """Who the owner is, as the BibTeX importer matches them (issue 12's OwnerSpec)."""
        site = self.site
        if site.owner_last_names and site.owner_first_names:
            return OwnerSpec(last_names=site.owner_last_names, first_names=site.owner_first_names)
        return OwnerSpec(name=site.owner_name)

    def run_import(self, parsed, source):
        """The BibTeX importer's run, with the owner; another owner on the site is kept."""
        try:
            report = run_import(parsed, owner=self.owner_spec())
        except BibtexError as error:
            self.report.note(source, f"{error} The papers are imported with the current owner.")
            report = run_import(parsed, owner=OwnerSpec())
        for note in report.notes:
            self.report.note("owner", note)
        return report.outcomes

    # --- profile --------------------------------------------------------------------

    def profile(self):
        data = self.site.profile
        profile = Profile.load()
        created = profile.pk is None
        values = {
            k: v
            for k, v in {
                "name": data.name,
                "subtitle": data.subtitle[:300],
                "bio": data.bio,
                "active_research": data.active_research,
                "photo_circular": data.photo_circular,
                "photo_alignment": data.photo_alignment,
                "max_author_limit": data.max_author_limit,
            }.items()
            if v not in (None, "") and hasattr(profile, k)
        }
        changed = [k for k, v in values.items() if getattr(profile, k) != v]
        for key in changed:
            setattr(profile, key, values[key])
        if not profile.photo:
            photo = self.uploads.image(data.photo, PHOTO_MAX_SIZE, "the profile picture")
            if photo:
                self.store(profile, "photo", photo, photo.name)
                changed.append("photo")
        elif data.photo:
            self.report.note(data.photo.name, "the profile already has a photo: kept it")
        if not profile.cv:
            cv = self.uploads.pdf(data.cv, "the CV")
            if cv:
                self.store(profile, "cv", cv, cv.name)
                changed.append("CV")
        elif data.cv:
            self.report.note(data.cv.name, "the profile already has a CV: kept it")
        if created or changed:
            profile.full_clean(exclude=["photo", "cv"])
            profile.save()
        self.report.count(
            "profile", "created" if created else "updated" if changed else "unchanged"
        )
        self.profile_row = profile

    def links(self):
        profile = self.profile_row
        existing = list(profile.links.all())
        by_url = {link.url.strip().lower().rstrip("/"): link for link in existing if link.url}
        has_cv = any(link.kind == SocialLink.Kind.CV for link in existing)
        position = max((link.position for link in existing), default=-1) + 1
        for data in self.site.links:
            key = data.url.strip().lower().rstrip("/")
            if (key and key in by_url) or (not key and data.kind == SocialLink.Kind.CV and has_cv):
                self.report.count("social links", "unchanged")
                continue
            link = SocialLink(
                profile=profile,
                label=data.label[:100],
                url=data.url,
                kind=data.kind,
                position=position,
            )
            try:
                link.full_clean()
            except ValidationError as error:
                self.report.note(
                    "social links", f"{data.label}: {'; '.join(error.messages)}: left out"
                )
                continue
            link.save()
            by_url[key] = link
            has_cv = has_cv or data.kind == SocialLink.Kind.CV
            position += 1
            self.report.count("social links", "created")

    def markdown_images(self):
        for name, picture in self.site.images.items():
            if default_storage.exists(name):
                self.report.count("pictures in text", "unchanged")
                continue
            if not self.dry_run:
                picture.seek(0)
                stored = default_storage.save(name, picture)
                self.uploads.stored.append(stored)
                if stored != name:  # a race with another import; keep what the text names
                    raise SiteImportError(f"could not store {name}: try again.")
            self.report.count("pictures in text", "created")

    # --- papers ---------------------------------------------------------------------

    def papers(self):
        for bib in self.site.bibliographies:
            try:
                parsed = parse_bibtex(bib.text)
            except BibtexError as error:
                self.report.note(bib.name, f"{error}: no papers imported from it")
                continue
            files = _bib_files(bib.text)
            # Last entry first: papers of the same date then list in the file's order.
            parsed = ParseResult(list(reversed(parsed.entries)), parsed.problems)
            outcomes = self.run_import(parsed, bib.name)
            for outcome in outcomes:
                self._outcome(bib.name, outcome)
                if outcome.paper is not None and outcome.key in files:
                    self._attach(outcome.paper, *files[outcome.key], bib)
                if outcome.paper is not None and outcome.entry is not None:
                    self._attach_link_files(outcome.paper, self._bib_link_files(outcome, bib))
        entries, extra = [], {}
        for paper in reversed(self.site.papers):  # as above: ties keep the page's order
            entry = self._entry(paper)
            entries.append(entry)
            extra[entry.key] = paper
        if entries:
            for outcome in self.run_import(ParseResult(entries, []), self.site.root.name):
                paper = extra[outcome.key]
                self._outcome(paper.source, outcome)
                if outcome.paper is not None:
                    self._attach_files(outcome.paper, paper.thumbnail, paper.pdf)
                    self._attach_link_files(outcome.paper, paper.file_sources)

    def _outcome(self, source, outcome):
        where = (
            f"{source}:{outcome.line}"
            if outcome.line and not outcome.key.startswith("@")
            else source
        )
        action = "unchanged" if outcome.action == "unchanged" else outcome.action
        self.report.count("papers", action)
        if outcome.action == "skipped":
            self.report.notes.append(
                _note(
                    where,
                    f"paper “{outcome.title or outcome.key}” skipped: "
                    + "; ".join(outcome.messages),
                )
            )
            return
        for message in outcome.messages:
            if (
                "not fetched" in message
                or (
                    "not a web address" in message
                    and message.startswith(("PDF file", "slides link", "poster link"))
                )
                or message.startswith("new person")
            ):
                continue  # files are attached or named below; new people are counted
            self.report.notes.append(_note(where, f"{outcome.title}: {message}"))

    def _bib_link_files(self, outcome, bib):
        """The slides and poster files a .bib names, where al-folio serves them (assets/pdf/)."""
        sources = {}
        for kind in ("slides", "poster"):
            name = outcome.entry.files.get(kind)
            if not name:
                continue
            source = _source(bib.pdf_dir / name, self.site.root) if bib.pdf_dir else None
            if source is None:
                where = _rel(bib.pdf_dir, self.site.root) + "/" if bib.pdf_dir else "the folder"
                self.report.note(
                    bib.name,
                    f"{outcome.title}: the {kind} file “{name}” is not in {where}: not uploaded",
                )
            else:
                sources[kind] = source
        return sources

    def _entry(self, paper):
        """A ParsedEntry for the BibTeX importer from front matter, completed by a cite.bib.

        The front matter wins; the cite.bib fills what it leaves out. An undated paper is
        listed as the BibTeX importer lists one (under “Preprint”, its date text, or
        “Undated”), and every extra link becomes one of the paper's links, in order.
        """
        values = {"title": paper.title, "date": paper.date, **paper.values}
        authors = [ParsedAuthor(name, marks="*" if equal else "") for name, equal in paper.authors]
        tags, highlighted, arxiv_id = list(paper.tags), paper.highlighted, paper.arxiv_id
        links = list(paper.links)
        if paper.bibtex:
            try:
                parsed = parse_bibtex(paper.bibtex)
            except BibtexError:
                parsed = None
            if parsed and parsed.entries:
                bib = parsed.entries[0]
                for key, value in bib.values.items():
                    if key == "date":
                        values["date"] = values["date"] or value
                    else:
                        values.setdefault(key, value)
                authors = authors or bib.authors
                arxiv_id = arxiv_id or bib.arxiv_id
                tags = tags or bib.tags
                links += bib.links
        if values["date"]:
            values.pop("date_label", None)
        elif not values.get("date_label"):
            values["date_label"] = undated_label(paper.date_text)
        if not values.get("url") and arxiv_id:
            values["url"] = f"https://arxiv.org/abs/{arxiv_id}"
        # A link the paper already shows (its main link, PDF, code) is not repeated.
        seen = {values.get(k) for k in ("url", "pdf_url", "code_url", "website_url")}
        unique = []
        for label, url in links:
            if url not in seen:
                seen.add(url)
                unique.append((label, url[:500]))
        return ParsedEntry(
            key=f"@{paper.source}",
            line=None,
            values={k: v for k, v in values.items() if v or k == "date"},
            authors=authors,
            tags=tags,
            highlighted=highlighted,
            arxiv_id=arxiv_id,
            links=unique,
            files=dict(paper.files),
        )

    def _attach(self, publication, preview, pdf, bib):
        thumbnail = pdf_file = None
        if preview and bib.preview_dir is not None:
            thumbnail = _source(bib.preview_dir / preview, self.site.root)
            if thumbnail is None:
                self.report.note(
                    bib.name,
                    f"preview “{preview}” is not in {_rel(bib.preview_dir, self.site.root)}/: "
                    "not uploaded",
                )
        if pdf and not pdf.startswith(("http://", "https://")) and bib.pdf_dir is not None:
            pdf_file = _source(bib.pdf_dir / pdf, self.site.root)
            if pdf_file is None:
                self.report.note(
                    bib.name,
                    f"PDF “{pdf}” is not in {_rel(bib.pdf_dir, self.site.root)}/: not uploaded",
                )
        self._attach_files(publication, thumbnail, pdf_file)

    def _attach_files(self, publication, thumbnail, pdf):
        changed = False
        if thumbnail and not publication.thumbnail:
            image = self.uploads.image(thumbnail, THUMBNAIL_MAX_SIZE, "the preview picture")
            if image:
                self.store(publication, "thumbnail", image, image.name)
                changed = True
        if pdf and not publication.pdf:
            upload = self.uploads.pdf(pdf, "the PDF")
            if upload:
                self.store(publication, "pdf", upload, upload.name)
                changed = True
        if changed:
            publication.save()
            self.report.count("uploads", "created")

    def _attach_link_files(self, publication, sources):
        """Upload slides and posters as the paper's Slides/Poster links (PaperLink.file).

        Checked as every PDF upload is; a paper whose link already has a file keeps
        it (the BibTeX importer keeps attached files across re-imports), so a second
        run uploads nothing.
        """
        for kind, source in sources.items():
            label = PaperLink.label_for(kind)
            links = PaperLink.objects.filter(publication=publication, label=label, url="")
            if any(link.file for link in links):
                continue
            upload = self.uploads.pdf(source, f"the {kind}")
            if upload is None:
                continue
            link = links.first()
            if link is None:
                last = PaperLink.objects.filter(publication=publication).aggregate(
                    last=Max("position")
                )["last"]
                position = 0 if last is None else last + 1
                link = PaperLink(publication=publication, label=label, position=position)
            self.store(link, "file", upload, upload.name)
            if not self.dry_run:
                link.full_clean(exclude=["file"])  # the file was checked above
                link.save()
            self.report.count("uploads", "created")

    # --- people ---------------------------------------------------------------------

    def coauthors(self):
        if not self.site.coauthors:
            return
        index = Person.objects.by_name()
        missing = []
        for coauthor in self.site.coauthors:
            people = {
                index[key]
                for first in coauthor.first_names
                if (key := comparable(f"{first} {coauthor.last_name}")) in index
            }
            if not people:
                missing.append(
                    f"{' / '.join(coauthor.first_names[:1])} {coauthor.last_name.title()}"
                )
            for person in people:
                if person.homepage == coauthor.url:
                    self.report.count("co-author homepages", "unchanged")
                elif person.homepage:
                    self.report.note(
                        "_data/coauthors.yml",
                        f"{person.name} already has the homepage {person.homepage}: kept it",
                    )
                else:
                    person.homepage = coauthor.url
                    person.full_clean(validate_constraints=False)
                    person.save()
                    self.report.count("co-author homepages", "updated")
        if missing:
            self.report.note(
                "_data/coauthors.yml", f"on none of the imported papers: {', '.join(missing)}"
            )


def _has_model(app_label, name):
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def _note(where, message):
    return Note(where, message)


def _bib_files(text):
    """citation key -> (preview, pdf) as a papers.bib names them."""
    library = bibtexparser.parse_string(text)
    files = {}
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value).strip("{} ") for f in entry.fields}
        if fields.get("preview") or fields.get("pdf"):
            files[entry.key] = (fields.get("preview", ""), fields.get("pdf", ""))
    return files


def _source(path, root):
    try:
        resolved = path.resolve()
        resolved.relative_to(root)
    except (OSError, ValueError):
        return None
    return SourceFile(resolved, _rel(resolved, root)) if resolved.is_file() else None


def _rel(path, root):
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
