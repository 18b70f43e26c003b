"""Hugo Blox (formerly Wowchemy / Hugo Academic): content/authors/, publication/, event/, post/.

The site's name is the author's `title` (older sites: `name`), else the site
title in config/_default/. A publication's front matter is what Hugo Blox shows;
its cite.bib completes what the front matter leaves out (venue, authors, DOI).
Author `admin` (the site's own user) is the owner.
"""

from pathlib import Path

from research.identifiers import normalize_doi

from ..data import NewsItem, Paper, Talk
from ..text import as_bool, as_date, as_text, hugo_markdown, inline_markdown, plain_text
from .base import IMAGE_SUFFIXES, Reader, first
from .socials import hugo_links

# Front matter link fields -> Publication fields (the rest are extra links).
_PAPER_LINKS = {"url_pdf": "pdf_url", "url_code": "code_url", "url_project": "website_url"}
# The other link buttons, in the order Hugo Blox shows them, as al-folio names them.
_EXTRA_LINKS = {
    "url_preprint": "preprint",
    "url_dataset": "dataset",
    "url_poster": "poster",
    "url_slides": "slides",
    "url_source": "source",
    "url_video": "video",
}
# A talk's buttons beyond its slides and video (which Talk has fields for).
_TALK_LINKS = {"url_pdf": "pdf", "url_code": "code"}
# publication_types that mean "not out yet" (old Wowchemy numbered them: 3 is a preprint).
_PREPRINT_TYPES = {"3", "preprint", "article"}
_CONFIG_FILES = (
    "config/_default/config.yaml",
    "config/_default/hugo.yaml",
    "hugo.yaml",
    "config.yaml",
)


class HugoBloxReader(Reader):
    name = "hugo-blox"
    label = "Hugo Blox"

    @classmethod
    def detect(cls, root):
        return (root / "content" / "authors").is_dir() or (
            (root / "content").is_dir()
            and any((root / c).is_file() for c in (*_CONFIG_FILES, "config/_default/params.yaml"))
        )

    def read(self):
        site = self.site
        config = {}
        for candidate in _CONFIG_FILES:
            data = self.yaml(candidate)
            if isinstance(data, dict):
                config = data
                break
        self._author(config)
        name = site.profile.name
        if name:
            *given, last = name.split()
            site.owner_last_names = [last]
            site.owner_first_names = [" ".join(given)] if given else []
        self._publications()
        self._events()
        self._posts()
        return site

    def _author_file(self):
        authors = self.root / "content" / "authors"
        candidates = [authors / "admin" / "_index.md", authors / "admin" / "index.md"]
        candidates += sorted(authors.glob("*/_index.md")) if authors.is_dir() else []
        fallback = None
        for path in candidates:
            if path.is_file():
                meta, *_ = self.markdown(path)
                if as_bool(meta.get("superuser")):
                    return path
                fallback = fallback or path
        return fallback

    def _author(self, config):
        path = self._author_file()
        profile = self.site.profile
        if path is None:
            self.report.note("content/authors/", "no author page: no profile imported")
            profile.name = as_text(config.get("title"))
            return
        meta, body, line, name = self.markdown(path)
        profile.name = first(meta.get("title"), meta.get("name"), config.get("title"))
        profile.site_url = as_text(config.get("baseURL")).rstrip("/")
        role = plain_text(meta.get("role"))
        organizations = [
            plain_text(o.get("name"))
            for o in meta.get("organizations") or []
            if isinstance(o, dict)
        ]
        profile.subtitle = ", ".join(p for p in [role, *organizations] if p)
        bio = hugo_markdown(body, name, line, self.report, self.image_resolver(name))
        if not bio and meta.get("bio"):
            bio = inline_markdown(meta["bio"])
        profile.bio = bio
        interests = [inline_markdown(i) for i in meta.get("interests") or [] if i]
        if interests:
            profile.active_research = "\n".join(f"* {i}" for i in interests)
        folder = path.parent
        avatars = sorted(p for p in folder.glob("avatar.*") if p.suffix.lower() in IMAGE_SUFFIXES)
        if avatars:
            profile.photo = self.source_file(self.rel(avatars[0]), "the avatar", name)
        profile.photo_circular = True  # Hugo Blox always shows the avatar round
        self.site.links = hugo_links(
            meta.get("social"), name, self.report, email=as_text(meta.get("email"))
        )
        for link in meta.get("social") or []:
            if isinstance(link, dict) and as_text(link.get("icon")) == "cv":
                cv = as_text(link.get("link"))
                if cv and "://" not in cv:  # /uploads/cv.pdf and uploads/cv.pdf alike
                    profile.cv = self.source_file(f"static/{cv.lstrip('/')}", "the CV", name)

    def _owner_name(self, author):
        author = as_text(author)
        return self.site.profile.name if author == "admin" and self.site.profile.name else author

    def _bundles(self, section):
        folder = self.root / "content" / section
        if not folder.is_dir():
            return []
        files = sorted(folder.glob("*/index.md")) + sorted(
            p for p in folder.glob("*.md") if p.name != "_index.md"
        )
        return files

    def _publications(self):
        # Hugo Blox renamed the section from publication/ to publications/ (2024).
        for path in self._bundles("publication") + self._bundles("publications"):
            meta, body, line, name = self.markdown(path)
            if as_bool(meta.get("draft")):
                self.report.note(name, "a draft: left out")
                continue
            title = plain_text(meta.get("title"))
            if not title:
                self.report.note(name, "no title: left out")
                continue
            date = as_date(meta.get("date")) or as_date(meta.get("publishDate"))
            bib = path.parent / "cite.bib" if path.name == "index.md" else None
            bibtex = self.text(bib) if bib and bib.is_file() else ""
            authors = [(self._owner_name(a), False) for a in meta.get("authors") or [] if a]
            values = {
                "venue": plain_text(inline_markdown(meta.get("publication"))),
                "venue_short": plain_text(meta.get("publication_short")),
                # Some sites give the DOI as its address (https://doi.org/10...).
                "doi": normalize_doi(as_text(meta.get("doi"))),
                "abstract": inline_markdown(meta.get("abstract")) if meta.get("abstract") else "",
                "tldr": inline_markdown(meta.get("summary")) if meta.get("summary") else "",
            }
            for key, field in _PAPER_LINKS.items():
                url = as_text(meta.get(key))
                if url.startswith(("http://", "https://")):
                    values[field] = url
            # Hugo serves a page bundle's own files beside its index.md, and static/ at /.
            bundle = self.rel(path.parent) if path.name == "index.md" else ""
            links, files, sources = self.extra_links(
                meta, _EXTRA_LINKS, name, file_dirs=(*([bundle] if bundle else []), "static")
            )
            if values.get("doi"):
                values["url"] = f"https://doi.org/{values['doi']}"
            paper = Paper(
                source=name,
                line=None,
                title=title,
                date=date,
                authors=authors,
                values={k: v for k, v in values.items() if v},
                tags=[as_text(t) for t in meta.get("tags") or [] if as_text(t)],
                highlighted=as_bool(meta.get("featured")),
                bibtex=bibtex,
                links=links,
                files=files,
                file_sources=sources,
            )
            if date is None:
                types = {as_text(t).lower() for t in meta.get("publication_types") or []}
                paper.date_text = "Preprint" if types & _PREPRINT_TYPES else ""
            folder = path.parent
            if path.name == "index.md":
                pictures = [
                    p for p in folder.glob("featured.*") if p.suffix.lower() in IMAGE_SUFFIXES
                ]
                if pictures:
                    paper.thumbnail = self.source_file(
                        self.rel(pictures[0]), "the featured picture", name
                    )
                pdf = folder / f"{folder.name}.pdf"
                if pdf.is_file() and "pdf_url" not in paper.values:
                    paper.pdf = self.source_file(self.rel(pdf), "the PDF", name)
            hugo_markdown(
                body, name, line, self.report
            )  # reports shortcodes; the page text is not kept
            self.site.papers.append(paper)

    def _events(self):
        for path in self._bundles("event"):
            meta, body, line, name = self.markdown(path)
            title = plain_text(meta.get("title"))
            if not title:
                continue
            description = hugo_markdown(body, name, line, self.report, self.image_resolver(name))
            summary = inline_markdown(meta.get("abstract") or meta.get("summary") or "")
            location = meta.get("location") or ""
            address = meta.get("address") if isinstance(meta.get("address"), dict) else {}
            if not location and address:
                location = ", ".join(
                    as_text(address.get(k)) for k in ("city", "region", "country") if address.get(k)
                )
            links, _, _ = self.extra_links(meta, _TALK_LINKS, name)
            self.site.talks.append(
                Talk(
                    source=name,
                    title=title,
                    links=links,
                    date=as_date(meta.get("date")),
                    event=plain_text(meta.get("event")),
                    location=as_text(location),
                    url=as_text(meta.get("event_url")),
                    slides_url=as_text(meta.get("url_slides")),
                    video_url=as_text(meta.get("url_video")),
                    description="\n\n".join(p for p in (summary, description) if p),
                )
            )

    def _posts(self):
        for path in self._bundles("post") + self._bundles("news"):
            meta, body, line, name = self.markdown(path)
            if as_bool(meta.get("draft")):
                continue
            title = plain_text(meta.get("title"))
            date = as_date(meta.get("date"))
            if not date or not title:
                self.report.note(name, "no date or title: left out")
                continue
            text = hugo_markdown(
                body,
                name,
                line,
                self.report,
                self.image_resolver(name, f"{self.rel(path.parent)}/"),
            )
            slug = path.parent.name if path.name == "index.md" else Path(path).stem
            self.site.news.append(
                NewsItem(source=name, date=date, text=title, title=title, body=text, slug=slug)
            )
