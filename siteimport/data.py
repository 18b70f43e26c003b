"""The neutral, in-memory form of a site being imported, and the import's report.

Readers (siteimport.readers) turn a folder into a SiteData; the writer
(siteimport.writer) turns a SiteData into rows. Nothing here touches the
database, so a reader can be tested on files alone.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path


class SiteImportError(Exception):
    """The folder cannot be imported at all (not a site, unreadable YAML, ...).

    The message names the file and line; nothing has been saved.
    """


@dataclass
class Note:
    """One thing the import left out or could not do, and where."""

    where: str  # "path" or "path:line"
    message: str


@dataclass
class Report:
    """What a reader skipped; the writer adds what it saved, per kind."""

    notes: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)  # kind -> {"created": n, ...}

    def note(self, path, message, line=None):
        where = f"{path}:{line}" if line else str(path)
        self.notes.append(Note(where, message))

    def count(self, kind, action, n=1):
        kinds = self.counts.setdefault(kind, {})
        kinds[action] = kinds.get(action, 0) + n

    def changed(self):
        """How many rows were created or updated (a second run should say 0)."""
        return sum(
            n
            for actions in self.counts.values()
            for action, n in actions.items()
            if action in {"created", "updated"}
        )


@dataclass
class SourceFile:
    """A file of the site (a photo, a preview image, a PDF) to upload."""

    path: Path  # absolute
    name: str  # as the site names it, relative to its root, for messages


@dataclass
class Link:
    label: str
    url: str  # "" for a CV link that points at the uploaded CV
    kind: str  # a profiles.models.SocialLink.Kind value


@dataclass
class ProfileData:
    name: str = ""
    subtitle: str = ""
    bio: str = ""  # Markdown
    active_research: str = ""  # Markdown
    photo: SourceFile | None = None
    photo_circular: bool | None = None
    photo_alignment: str | None = None  # "left" or "right"
    cv: SourceFile | None = None
    show_news: bool | None = None
    news_limit: int | None = None  # how many news items the homepage lists
    show_selected_papers: bool | None = None
    site_url: str = ""
    description: str = ""
    max_author_limit: int | None = None  # al-folio: authors shown before "and N more"


@dataclass
class Paper:
    """A paper described by front matter or HTML rather than BibTeX."""

    source: str
    line: int | None
    title: str
    date: datetime.date | None  # None: listed as the BibTeX importer lists undated papers
    authors: list  # [(name, equal_contribution)]
    values: dict = field(default_factory=dict)  # Publication field -> value
    links: list = field(default_factory=list)  # (label, url) beyond the fields, in order
    files: dict = field(default_factory=dict)  # slides/poster: a file of the site, by name
    file_sources: dict = field(default_factory=dict)  # slides/poster: that file, to upload
    date_text: str = ""  # what an undated paper says instead ("Preprint", "under review")
    tags: list = field(default_factory=list)
    highlighted: bool | None = None
    arxiv_id: str = ""
    bibtex: str = ""  # a cite.bib that completes the front matter
    thumbnail: SourceFile | None = None
    pdf: SourceFile | None = None
    owner: str = ""  # the author name shown in bold, when the source marks it


@dataclass
class Coauthor:
    """al-folio's _data/coauthors.yml: a last name, the first names it goes with, a page."""

    last_name: str
    first_names: list
    url: str


@dataclass
class NewsItem:
    source: str
    date: datetime.date
    text: str  # Markdown: the short item (inline news) or the title's summary
    title: str = ""  # news with a page of its own
    body: str = ""  # Markdown, that page
    slug: str = ""


@dataclass
class PageData:
    source: str
    title: str
    slug: str
    body: str  # Markdown
    in_menu: bool = False
    menu_position: int | None = None


@dataclass
class Talk:
    source: str
    title: str
    date: datetime.date | None
    event: str = ""
    location: str = ""
    kind: str = ""  # as the source names it ("Invited Talk", "Poster presentation")
    url: str = ""
    slides_url: str = ""
    video_url: str = ""
    links: list = field(default_factory=list)  # (label, url): more links, kept in the text
    description: str = ""  # Markdown


@dataclass
class Teaching:
    source: str
    course: str
    role: str = ""
    institution: str = ""
    term: str = ""
    date: datetime.date | None = None
    url: str = ""
    description: str = ""  # Markdown


@dataclass
class CVEntry:
    title: str = ""
    organisation: str = ""
    location: str = ""
    start: str = ""
    end: str = ""
    url: str = ""
    details: str = ""  # Markdown


@dataclass
class CVSection:
    source: str
    title: str
    entries: list = field(default_factory=list)  # CVEntry
    text: str = ""  # Markdown, for free sections (lists, skills)


@dataclass
class BibFile:
    name: str  # relative path, for messages
    text: str
    files_root: Path | None = None  # where pdf = {x.pdf} and preview = {x.png} live
    pdf_dir: Path | None = None
    preview_dir: Path | None = None


@dataclass
class SiteData:
    layout: str  # "alfolio", "hugo-blox", "academicpages"
    root: Path
    profile: ProfileData = field(default_factory=ProfileData)
    owner_first_names: list = field(default_factory=list)
    owner_last_names: list = field(default_factory=list)
    links: list = field(default_factory=list)  # Link, in the site's order
    coauthors: list = field(default_factory=list)
    bibliographies: list = field(default_factory=list)  # BibFile
    papers: list = field(default_factory=list)  # Paper
    news: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    talks: list = field(default_factory=list)
    teaching: list = field(default_factory=list)
    cv: list = field(default_factory=list)  # CVSection
    # The old site's menu, in its order: ("section", "research") or ("page", slug).
    menu: list = field(default_factory=list)
    images: dict = field(default_factory=dict)  # storage name -> picture used in Markdown
    report: Report = field(default_factory=Report)

    @property
    def owner_name(self):
        first = self.owner_first_names[0] if self.owner_first_names else ""
        last = self.owner_last_names[0] if self.owner_last_names else ""
        return " ".join(p for p in (first, last) if p) or self.profile.name
