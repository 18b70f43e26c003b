"""academicpages (Jekyll, Minimal Mistakes): _config.yml's author block, _pages/about.md,
_publications/, _talks/, _teaching/. Pictures live under images/, files under files/.
"""

import html
import re

from ..data import Paper, Talk, Teaching
from ..text import (
    TemplateContext,
    as_bool,
    as_date,
    as_text,
    inline_markdown,
    jekyll_markdown,
    plain_text,
)
from .base import Reader, first
from .socials import academicpages_links

_DATE_IN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
_TA_IN_TEXT = re.compile(r"\b(?:as|was|am)\s+(?:a|the)\s+(?:teaching assistant|TA)\b", re.I)
# The theme's "Download Slides/Bibtex" buttons and the keys sites add in al-folio's
# style, as al-folio names those links (paperurl and codeurl have fields of their own).
_EXTRA_LINKS = {
    "slidesurl": "slides",
    "url_slides": "slides",
    "posterurl": "poster",
    "url_poster": "poster",
    "videourl": "video",
    "url_video": "video",
    "bibtexurl": "bib",
}


def _authors(value):
    if isinstance(value, list):
        names = [as_text(v) for v in value]
    else:
        names = re.split(r",\s*|\s+and\s+", as_text(value))
    return [n.strip() for n in names if n and n.strip()]


# Where a citation's author list ends: the year in brackets (APA, "(2023, July).") or
# the quoted title (the generator's own "Last, F. &quot;Title.&quot;", IEEE's “Title,”).
_CITATION_AUTHORS_END = re.compile(r"\(\s*\d{4}\b|[\"“”]")
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}\.\s*-?\s*){1,4}$")
_ET_AL = re.compile(r"^et\.?\s+al\.?$", re.I)


def authors_from_citation(citation):
    """The author names a `citation:` line starts with, or [] when it cannot tell.

    Many academicpages sites list their authors only there, in one of a few shapes:
    "Amice, A., Werner, P., & Tedrake, R. (2023). Title." (APA, last names first),
    "Jacob Varley, David Watkins, and Peter Allen. “Title”." and the generator's
    " Luiz Chamon,  Alexandre Amice, &quot;Title.&quot; Venue, 2019.". Names
    come out as "J. Shang", "Jacob Varley". Anything else (no year or title
    to stop at, a part that is no name) gives [], never a guessed person.
    """
    text = re.sub(r"<[^>]+>", "", html.unescape(as_text(citation)))
    end = _CITATION_AUTHORS_END.search(text)
    if not end:
        return []
    tokens = []
    for token in text[: end.start()].strip().rstrip(",;: ").split(","):
        token = re.sub(r"^(?:&|and)\s+", "", " ".join(token.split()))
        if not _INITIALS.match(token):
            token = token.rstrip(". ")  # "Peter Allen." ends the list; "L." is an initial
        if token and not _ET_AL.match(token):
            tokens.append(token)
    pairs = tokens[1::2]
    if (
        tokens
        and len(tokens) % 2 == 0
        and all(_INITIALS.match(t) for t in pairs)
        and not any(_INITIALS.match(t) for t in tokens[0::2])
    ):
        names = [f"{initials} {last}" for last, initials in zip(tokens[0::2], pairs, strict=True)]
    else:
        names = tokens
    for name in names:
        words = name.split()
        if not 1 < len(words) <= 6 or re.search(r"\d|[()\[\]:;]", name):
            return []
    return names


class AcademicPagesReader(Reader):
    name = "academicpages"
    label = "academicpages"

    @classmethod
    def detect(cls, root):
        if (root / "_publications").is_dir():
            return True
        config = root / "_config.yml"
        return (
            config.is_file()
            and re.search(
                r"^author\s*:\s*$\n(?:\s+.*\n)*?\s+avatar\s*:",
                config.read_text(errors="replace"),
                re.M,
            )
            is not None
        )

    def read(self):
        site, report = self.site, self.report
        config = self.yaml("_config.yml") or {}
        if not isinstance(config, dict):
            config = {}
        self.config = config
        author = config.get("author") if isinstance(config.get("author"), dict) else {}
        profile = site.profile
        profile.name = first(author.get("name"), config.get("name"), config.get("title"))
        profile.subtitle = plain_text(author.get("bio"))
        profile.description = plain_text(config.get("description"))
        profile.site_url = (as_text(config.get("url")) + as_text(config.get("baseurl"))).rstrip("/")
        if author.get("avatar"):
            avatar = as_text(author["avatar"])
            if "://" in avatar:
                report.note("_config.yml", f"the avatar {avatar} is on another site: not uploaded")
            else:
                profile.photo = self.source_file(f"images/{avatar}", "the avatar", "_config.yml")
        profile.photo_circular = True  # the theme shows the avatar round
        profile.photo_alignment = "left"  # in the sidebar, left of the text
        site.links = academicpages_links(author, "_config.yml", report)
        if profile.name:
            *given, last = profile.name.split()
            site.owner_last_names = [last]
            site.owner_first_names = [" ".join(given)] if given else []

        about = self.root / "_pages" / "about.md"
        if about.is_file():
            self.about_page(about, TemplateContext(site=config), photo_dirs=("images/",))
        else:
            report.note("_pages/about.md", "no about page: no bio imported")
        self._publications()
        self._talks()
        self._teaching()
        return site

    def _collection(self, folder):
        path = self.root / folder
        return sorted(path.glob("*.md")) + sorted(path.glob("*.markdown")) if path.is_dir() else []

    def _date(self, meta, path):
        match = _DATE_IN_NAME.match(path.name)
        return as_date(meta.get("date")) or (as_date(match[1]) if match else None)

    def _publications(self):
        owner = self.site.profile.name
        for path in self._collection("_publications"):
            meta, body, line, name = self.markdown(path)
            if as_bool(meta.get("published")) is False:
                continue
            title = plain_text(meta.get("title"))
            date = self._date(meta, path)
            if not title:
                self.report.note(name, "no title: left out")
                continue
            context = TemplateContext(site=self.config, page=meta)
            abstract = jekyll_markdown(
                body, name, line, self.report, context, self.image_resolver(name, "images/")
            )
            values = {
                "venue": plain_text(inline_markdown(meta.get("venue"))),
                "url": as_text(meta.get("paperurl")),
                "tldr": inline_markdown(meta.get("excerpt")) if meta.get("excerpt") else "",
                "abstract": abstract,
                "code_url": as_text(meta.get("codeurl")),
            }
            # academicpages keeps a site's PDFs in files/ (slidesurl: /files/slides.pdf).
            links, files, sources = self.extra_links(
                meta, _EXTRA_LINKS, name, file_dirs=("", "files")
            )
            authors = [(a, False) for a in _authors(meta.get("authors"))]
            if not authors:
                # academicpages prints the citation line, so its authors are what a visitor saw.
                authors = [(a, False) for a in authors_from_citation(meta.get("citation"))]
            if not authors:
                self.report.note(name, f"“{title}” names no authors: imported without authors")
            paper = Paper(
                source=name,
                line=None,
                title=title,
                date=date,
                authors=authors,
                values={
                    k: v for k, v in values.items() if v and (k != "url" or v.startswith("http"))
                },
                owner=owner,
                links=links,
                files=files,
                file_sources=sources,
                date_text="" if date else as_text(meta.get("date")),
            )
            header = meta.get("header") if isinstance(meta.get("header"), dict) else {}
            teaser = as_text(header.get("teaser"))
            if teaser and "placeholder" not in teaser:
                paper.thumbnail = self.source_file(f"images/{teaser}", "the teaser picture", name)
            paper_url = values["url"]
            if paper_url and not paper_url.startswith("http"):
                paper.pdf = self.source_file(paper_url, "the paper's file", name)
            self.site.papers.append(paper)

    def _talks(self):
        for path in self._collection("_talks"):
            meta, body, line, name = self.markdown(path)
            title = plain_text(meta.get("title"))
            if not title:
                continue
            context = TemplateContext(site=self.config, page=meta)
            description = jekyll_markdown(
                body, name, line, self.report, context, self.image_resolver(name, "images/")
            )
            self.site.talks.append(
                Talk(
                    source=name,
                    title=title,
                    date=self._date(meta, path),
                    event=plain_text(meta.get("venue")),
                    location=plain_text(meta.get("location")),
                    kind=plain_text(meta.get("type")),
                    url=as_text(meta.get("talk_url") or meta.get("venueurl")),
                    slides_url=as_text(meta.get("slidesurl")),
                    description=description,
                )
            )

    def _teaching(self):
        for path in self._collection("_teaching"):
            meta, body, line, name = self.markdown(path)
            title = plain_text(meta.get("title"))
            if not title:
                continue
            context = TemplateContext(site=self.config, page=meta)
            description = jekyll_markdown(
                body, name, line, self.report, context, self.image_resolver(name, "images/")
            )
            date = self._date(meta, path)
            # `type` is the course's level ("Undergraduate course"); the role is in the
            # title ("…, TA") or said in the text ("As a teaching assistant, I …").
            role = f"{plain_text(meta.get('type'))} {title}"
            if _TA_IN_TEXT.search(description):
                role += " (teaching assistant)"
            self.site.teaching.append(
                Teaching(
                    source=name,
                    course=title,
                    role=role,
                    institution=plain_text(meta.get("venue")),
                    term=str(date.year) if date else "",
                    date=date,
                    description=description,
                )
            )
