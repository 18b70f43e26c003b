"""What every reader shares: reading files of the folder, pictures in Markdown, about pages.

A reader is a class with `name`, `label`, `detect(root)` and `read(root) ->
SiteData`; it only reads (no database). Errors that make the whole folder
unreadable raise SiteImportError with the file and line; everything smaller is
a note in the report and the item is left out.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path, PurePosixPath

from bs4 import Comment, Tag
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

from research.identifiers import parse_arxiv_id
from research.models import PaperLink
from uploads.images import MARKDOWN_IMAGE_MAX_SIZE, ImageRejected, normalize_image

from ..data import Link, Paper, SiteData, SiteImportError, SourceFile
from ..text import (
    TemplateContext,
    as_text,
    clean_soup,
    inline_markdown,
    is_empty,
    load_yaml,
    markdown_to_soup,
    plain_text,
    read_front_matter,
    soup_to_markdown,
    strip_liquid,
)
from .socials import checked, kind_of

_WEB = ("http://", "https://")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".svg", ".bmp"}
# Headings of about-page sections that hold the owner's current research.
_RESEARCH_HEADING = re.compile(r"\bresearch\b", re.I)


class Reader:
    name = ""
    label = ""

    @classmethod
    def detect(cls, root):
        raise NotImplementedError

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.site = SiteData(layout=self.name, root=self.root)
        self.report = self.site.report
        self.images = {}  # storage name -> normalized ContentFile, pictures inside Markdown

    def read(self):
        raise NotImplementedError

    # --- files ---------------------------------------------------------------

    def path(self, relative):
        """The file at a path of the site, or None; never outside the folder."""
        relative = str(relative).split("?", 1)[0].split("#", 1)[0].strip()
        if not relative or "://" in relative or relative.startswith(("data:", "mailto:")):
            return None
        parts = [p for p in PurePosixPath(relative.lstrip("/")).parts if p not in {"", "."}]
        if ".." in parts or not parts:
            return None
        candidate = self.root.joinpath(*parts)
        try:
            candidate.resolve().relative_to(self.root)
        except ValueError:
            return None
        return candidate if candidate.is_file() else None

    def rel(self, path):
        return Path(path).resolve().relative_to(self.root).as_posix()

    def text(self, relative):
        path = relative if isinstance(relative, Path) else self.root / relative
        try:
            return path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise SiteImportError(f"{self.rel(path)}: not a text file in UTF-8.") from None

    def yaml(self, relative):
        path = self.root / relative
        if not path.is_file():
            return None
        return load_yaml(self.text(path), relative)

    def json(self, relative):
        path = self.root / relative
        if not path.is_file():
            return None
        try:
            return json.loads(self.text(path))
        except json.JSONDecodeError as error:
            raise SiteImportError(
                f"{relative}:{error.lineno}: not valid JSON ({error.msg})."
            ) from None

    def markdown(self, path):
        """(front matter, body, first body line, name) of a Markdown file."""
        name = self.rel(path)
        meta, body, line = read_front_matter(self.text(path), name)
        return meta, body, line, name

    def source_file(self, relative, what, where):
        """A SourceFile for an upload the site names, or None (reported) when it is missing."""
        path = self.path(relative)
        if path is None:
            self.report.note(where, f"{what} “{relative}” is not in the folder: not uploaded")
            return None
        return SourceFile(path, self.rel(path))

    # --- links of papers and talks ----------------------------------------------

    def extra_links(self, meta, fields, where, file_dirs=("",)):
        """(links, files, sources): the links a front matter gives beyond the fields we have.

        `fields` maps front-matter keys to al-folio's link names, in the order the
        site shows its buttons ("url_slides" -> "slides"); each link is labelled as
        al-folio labels that button. A Hugo Blox `links:` list ({name, url}) follows,
        as Hugo Blox shows it after its buttons. A value naming a file of the site
        (/uploads/slides.pdf) is kept by name in `files` (so "Attach files to
        imported papers" finds the paper later) and, found under one of
        `file_dirs` (where the generator serves files from), in `sources` to upload;
        nothing else is left out unsaid.
        """
        links, files, sources = [], {}, {}
        for key, name in fields.items():
            value = as_text(meta.get(key))
            if not value:
                continue
            if value.startswith(_WEB):
                links.append((PaperLink.label_for(name), value))
            elif name in {"slides", "poster"} and "://" not in value:
                files[name] = PurePosixPath(value.split("?", 1)[0]).name
                source = self.served_file(value, file_dirs)
                if source is None:
                    self.report.note(
                        where,
                        f"{key}: the file “{value}” is not in the folder: not uploaded "
                        "(attach it in the editor, “Attach files to imported papers”)",
                    )
                else:
                    sources[name] = source
            else:
                self.report.note(where, f"{key}: “{value}” is not a web address: left out")
        listed = meta.get("links")
        for item in listed if isinstance(listed, list) else []:
            if not isinstance(item, dict):
                continue
            label, url = plain_text(item.get("name")) or "Link", as_text(item.get("url"))
            if url.startswith(_WEB):
                links.append((label[:50], url))
            elif url:
                self.report.note(
                    where, f"the link “{label}” ({url}) is not a web address: left out"
                )
        return links, files, sources

    def served_file(self, value, dirs):
        """The file a site links to (/uploads/x.pdf, x.pdf), looked for under each of dirs."""
        relative = value.split("?", 1)[0].split("#", 1)[0].strip().lstrip("/")
        for folder in dirs:
            path = self.path(f"{folder.rstrip('/')}/{relative}" if folder else relative)
            if path is not None:
                return SourceFile(path, self.rel(path))
        return None

    # --- pictures inside Markdown ----------------------------------------------

    def image_resolver(self, where, *prefixes):
        """A callback for clean_soup: upload a local picture, leave out any other."""

        def resolve(src, alt):
            if src.startswith(("http://", "https://", "//")):
                self.report.note(
                    where,
                    f"the picture {src} is on another site, which pages here never load "
                    "(no third-party requests): left out; upload it in the editor",
                )
                return None
            path = None
            for prefix in ("", *prefixes):
                path = self.path(f"{prefix}{src}")
                if path:
                    break
            if path is None:
                self.report.note(where, f"the picture “{src}” is not in the folder: left out")
                return None
            return self._planned_image(path, where)

        return resolve

    def _planned_image(self, path, where):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()[:16]
        try:
            with path.open("rb") as handle:
                normalized = normalize_image(File(handle, name=path.name), MARKDOWN_IMAGE_MAX_SIZE)
        except ImageRejected as error:
            self.report.note(
                where, f"the picture “{self.rel(path)}”: {error.messages[0]} Left out."
            )
            return None
        suffix = PurePosixPath(normalized.name).suffix
        # Named by content, so importing again finds it already stored.
        name = f"{settings.MARKDOWNX_MEDIA_PATH}imported-{digest}{suffix}"
        self.images[name] = normalized
        self.site.images = self.images
        return default_storage.url(name)

    # --- about pages -------------------------------------------------------------

    def about_page(self, path, context=None, photo_dirs=("assets/img/",)):
        """Bio, research section, social row and highlighted papers of a Jekyll about page."""
        meta, body, line, name = self.markdown(path)
        profile = self.site.profile
        context = context or TemplateContext(page=meta)
        text = strip_liquid(body, name, line, self.report, context)
        soup = markdown_to_soup(text)
        for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for row in soup.select("div.social, div.contact-icons, p.social"):
            self._html_links(row, name)
            row.decompose()
        for listing in soup.select("ul.research"):
            for item in listing.find_all("li", recursive=False):
                paper = self._html_paper(item, name, photo_dirs)
                if paper:
                    self.site.papers.append(paper)
            listing.decompose()
        for element in soup.select("small.equal-contribution"):
            element.decompose()
        clean_soup(soup, name, self.report, self.image_resolver(name, *photo_dirs))

        bio = []
        for heading, nodes in _sections(soup):
            if heading is None:
                if not is_empty(nodes):
                    bio.append(soup_to_markdown(nodes))
            elif is_empty(nodes):
                if not any(p.source == name for p in self.site.papers):
                    self.report.note(
                        name,
                        f"the section “{heading}” has nothing left once Liquid is out: left out",
                    )
            elif _RESEARCH_HEADING.search(heading) and not profile.active_research:
                profile.active_research = soup_to_markdown(nodes)
            else:
                bio.append(f"## {heading}\n\n{soup_to_markdown(nodes)}")
        profile.bio = "\n\n".join(part for part in bio if part).strip()
        return meta

    def _html_links(self, row, name):
        for anchor in row.find_all("a", href=True):
            label = plain_text(anchor.get_text(" ")) or anchor.get("title", "") or "Link"
            link = Link(label, anchor["href"].strip(), kind_of(anchor["href"]))
            if checked(link, name, self.report):
                self.site.links.append(link)

    def _html_paper(self, item, name, photo_dirs):
        """One <li> of an about page's hand-written list of papers."""
        title_tag = item.find(["h3", "h4"])
        title = plain_text(title_tag.get_text(" ")) if title_tag else ""
        if not title:
            return None
        text = item.select_one(".text") or item
        anchor = text.find("a", href=True)
        url = anchor["href"] if anchor else ""
        try:
            arxiv_id = parse_arxiv_id(url)[0]
        except ValueError:
            arxiv_id = ""
        date = _arxiv_date(arxiv_id)
        if date is None:
            self.report.note(
                name, f"the paper “{title}” has no date (and no arXiv ID): listed as undated"
            )
        authors, owner = [], ""
        authors_tag = item.select_one(".authors")
        if authors_tag:
            for piece in _split_authors(authors_tag):
                bold = piece.startswith("**")
                printed = piece[2:] if bold else piece
                equal = printed.endswith("*")
                printed = printed.rstrip("*").strip()
                authors.append((printed, equal))
                if bold:
                    owner = printed
        values = {"url": url}
        venue = item.select_one(".venues")
        if venue and plain_text(venue.get_text(" ")):
            values["venue"] = plain_text(venue.get_text(" "))
        tldr = item.select_one(".tldr")
        if tldr:
            values["tldr"] = inline_markdown(tldr.decode_contents())
        for link in item.select(".link a[href]"):
            label = plain_text(link.get_text(" ")).lower()
            field = {"code": "code_url", "pdf": "pdf_url", "website": "website_url"}.get(label)
            if field and link["href"].startswith(("http://", "https://")):
                values[field] = link["href"]
        paper = Paper(
            source=name,
            line=None,
            title=title,
            date=date,
            authors=authors,
            values=values,
            highlighted=True,
            arxiv_id=arxiv_id,
            owner=owner,
        )
        picture = item.select_one(".thumbnail img")
        if picture and picture.get("src"):
            paper.thumbnail = self.source_file(picture["src"], "the preview picture", name)
        return paper


def _sections(soup):
    """(heading text or None, nodes) for the parts of a page split at its <h2>s."""
    sections, heading, nodes = [], None, []
    for node in list(soup.children):
        if isinstance(node, Tag) and node.name == "h2":
            sections.append((heading, nodes))
            heading, nodes = plain_text(node.get_text(" ")), []
        else:
            nodes.append(node)
    sections.append((heading, nodes))
    return [(h, n) for h, n in sections if h is not None or n]


def _split_authors(tag):
    """Names of an HTML author list, with **bold** kept as a mark of the owner."""
    for br in tag.find_all("br"):
        br.decompose()
    for bold in tag.find_all(["b", "strong"]):
        bold.replace_with(f"**{bold.get_text()}**")
    text = plain_text(tag.get_text(""))
    result = []
    for piece in re.split(r",\s*|\s+and\s+", text):
        bold = "**" in piece
        name = piece.replace("**", "").strip()
        equal = name.endswith("*")
        name = name.rstrip("*").strip()
        if name:
            result.append(("**" if bold else "") + name + ("*" if equal else ""))
    return result


def _arxiv_date(arxiv_id):
    """2309.12288 -> 1 September 2023 (new-style IDs start with YYMM)."""
    match = re.match(r"^(\d{2})(\d{2})\.\d{4,5}", arxiv_id or "")
    if not match:
        return None
    year, month = 2000 + int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, 1)


def first(*values):
    for value in values:
        text = as_text(value)
        if text:
            return text
    return ""
