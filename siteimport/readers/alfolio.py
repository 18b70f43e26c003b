"""al-folio (Jekyll): _config.yml, _pages/, _data/, _news/, _bibliography/, assets/."""

import re

from profiles.models import SocialLink

from ..data import BibFile, Coauthor, Link, NewsItem, PageData
from ..text import (
    TemplateContext,
    as_bool,
    as_date,
    as_text,
    jekyll_markdown,
    plain_text,
)
from .base import Reader
from .cv import alfolio_cv, json_resume
from .socials import alfolio_links

# Pages al-folio fills from data (its layouts or Liquid do the work): read as that data.
_GENERATED_LAYOUTS = {"cv", "bib", "archive", "profiles", "teachings", "projects"}
_DATE_IN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def _names(value):
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [as_text(v) for v in values if as_text(v)]


class AlFolioReader(Reader):
    name = "alfolio"
    label = "al-folio"

    @classmethod
    def detect(cls, root):
        return (
            (root / "_bibliography").is_dir()
            or (root / "_news").is_dir()
            or (root / "_data" / "socials.yml").is_file()
            or (root / "_pages" / "about.md").is_file()
        )

    def read(self):
        site, report = self.site, self.report
        config = self.yaml("_config.yml") or {}
        if not isinstance(config, dict):
            config = {}
        self.config = config
        profile = site.profile
        profile.name = " ".join(
            as_text(config.get(k))
            for k in ("first_name", "middle_name", "last_name")
            if config.get(k)
        )
        profile.description = plain_text(config.get("description"))
        profile.site_url = (as_text(config.get("url")) + as_text(config.get("baseurl"))).rstrip("/")
        limit = config.get("max_author_limit")
        if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
            profile.max_author_limit = limit
        scholar = config.get("scholar") if isinstance(config.get("scholar"), dict) else {}
        site.owner_last_names = _names(scholar.get("last_name"))
        site.owner_first_names = _names(scholar.get("first_name"))

        self.context = TemplateContext(site=config)
        self._about()
        self._socials(config)
        self._coauthors()
        self._bibliography(scholar)
        self._news()
        self._pages()
        self._cv()
        if not profile.name:
            owners = {p.owner for p in site.papers if p.owner}
            if len(owners) == 1:
                profile.name = owners.pop()
                report.note(
                    "_pages/about.md",
                    f"no _config.yml names you: “{profile.name}” (bold on the papers) is used",
                )
        if not site.owner_last_names and profile.name:
            *given, last = profile.name.split()
            site.owner_last_names = [last]
            site.owner_first_names = [" ".join(given)] if given else []
        return site

    # --- the about page -------------------------------------------------------------

    def _about(self):
        path = self.root / "_pages" / "about.md"
        if not path.is_file():
            candidates = (
                [
                    p
                    for p in sorted((self.root / "_pages").glob("*.md"))
                    if "layout: about" in p.read_text(encoding="utf-8", errors="replace")[:2000]
                ]
                if (self.root / "_pages").is_dir()
                else []
            )
            if not candidates:
                self.report.note("_pages/about.md", "no about page: no bio imported")
                return
            path = candidates[0]
        self.about_path = path
        meta = self.about_page(path, TemplateContext(site=self.config, page={}))
        name = self.rel(path)
        profile = self.site.profile
        picture = meta.get("profile") if isinstance(meta.get("profile"), dict) else {}
        profile.subtitle = plain_text(meta.get("subtitle"))
        if picture.get("image"):
            profile.photo = self.source_file(
                f"assets/img/{as_text(picture['image'])}", "the profile picture", name
            )
        if as_bool(picture.get("image_circular")) is not None:
            profile.photo_circular = as_bool(picture.get("image_circular"))
        if as_text(picture.get("align")) in {"left", "right"}:
            profile.photo_alignment = as_text(picture["align"])
        more = picture.get("more_info") or picture.get("address")
        if more:
            # al-folio prints it under the photo; here it ends the bio.
            text = jekyll_markdown(
                as_text(more) if "<" not in str(more) else str(more), name, 1, self.report
            )
            profile.bio = f"{profile.bio}\n\n{text}".strip()
        announcements = meta.get("announcements")
        if isinstance(announcements, dict):
            profile.show_news = as_bool(announcements.get("enabled"))
            limit = announcements.get("limit")
            if isinstance(limit, int) and not isinstance(limit, bool) and 1 <= limit <= 50:
                profile.news_limit = limit
        elif meta.get("news") is not None:
            profile.show_news = as_bool(meta.get("news"))
        if meta.get("selected_papers") is not None:
            profile.show_selected_papers = as_bool(meta.get("selected_papers"))

    # --- social links ---------------------------------------------------------------

    def _socials(self, config):
        path = "_data/socials.yml"
        socials = self.yaml(path)
        if isinstance(socials, dict):
            links = alfolio_links(
                socials, path, self.report, ordered=True, cv_link=self._cv_link(path)
            )
        else:
            # Older al-folio: the same keys in _config.yml, shown in the template's order.
            path = "_config.yml"
            order = self._include_order()
            if order:
                ordered = {k: config[k] for k in order if k in config}
                links = alfolio_links(
                    ordered, path, self.report, ordered=True, cv_link=self._cv_link(path)
                )
            else:
                links = alfolio_links(
                    config, path, self.report, ordered=False, cv_link=self._cv_link(path)
                )
        # Links written out on the about page come first, as the page showed them.
        known = {link.url for link in self.site.links}
        self.site.links += [link for link in links if link.url not in known or not link.url]

    def _include_order(self):
        """The keys in the order the site's own _includes/social template shows them."""
        for name in ("_includes/social.liquid", "_includes/social.html"):
            path = self.root / name
            if path.is_file():
                keys = re.findall(r"\{%-?\s*if\s+site\.(\w+)", self.text(path))
                return list(dict.fromkeys(keys))
        return []

    def _cv_link(self, where):
        def make(value):
            if value.startswith(("http://", "https://")):
                return Link("CV", value, SocialLink.Kind.CV)
            relative = value if "/" in value.strip("/") else f"assets/pdf/{value}"
            cv = self.source_file(relative, "the CV", where)
            if cv and not self.site.profile.cv:
                self.site.profile.cv = cv
            return Link("CV", "", SocialLink.Kind.CV) if cv else None

        return make

    # --- co-authors -----------------------------------------------------------------

    def _coauthors(self):
        path = "_data/coauthors.yml"
        data = self.yaml(path)
        if not isinstance(data, dict):
            return
        for last_name, entries in data.items():
            for entry in entries if isinstance(entries, list) else [entries]:
                if not isinstance(entry, dict) or not entry.get("url"):
                    continue
                self.site.coauthors.append(
                    Coauthor(
                        as_text(last_name), _names(entry.get("firstname")), as_text(entry["url"])
                    )
                )

    # --- papers ---------------------------------------------------------------------

    def _bibliography(self, scholar):
        source = as_text(scholar.get("source")) or "/_bibliography/"
        file = as_text(scholar.get("bibliography")) or "papers.bib"
        relative = f"{source.strip('/')}/{file}"
        path = self.path(relative)
        if path is None:
            if (self.root / "_bibliography").is_dir():
                self.report.note(relative, "no such file: no papers imported from BibTeX")
            return
        self.site.bibliographies.append(
            BibFile(
                name=relative,
                text=self.text(path),
                pdf_dir=self.root / "assets" / "pdf",
                preview_dir=self.root / "assets" / "img" / "publication_preview",
            )
        )

    # --- news -----------------------------------------------------------------------

    def _news(self):
        folder = self.root / "_news"
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.md")):
            meta, body, line, name = self.markdown(path)
            if as_bool(meta.get("published")) is False:
                self.report.note(name, "published: false: left out")
                continue
            match = _DATE_IN_NAME.match(path.name)
            date = as_date(meta.get("date")) or (as_date(match[1]) if match else None)
            if date is None:
                self.report.note(name, "no date: left out")
                continue
            context = TemplateContext(site=self.config, page=meta)
            text = jekyll_markdown(
                body, name, line, self.report, context, self.image_resolver(name)
            )
            title = plain_text(meta.get("title"))
            inline = as_bool(meta.get("inline"))
            if inline is None:
                inline = not title
            if not text and not title:
                self.report.note(name, "nothing to show once Liquid is out: left out")
                continue
            item = NewsItem(source=name, date=date, text=text, slug=path.stem)
            if not inline and title:
                item.text, item.title, item.body = title, title, text
            self.site.news.append(item)

    # --- other pages ----------------------------------------------------------------

    def _pages(self):
        folder = self.root / "_pages"
        if not folder.is_dir():
            return
        nav = []  # (nav_order or None, menu spot) of the pages al-folio's menu lists
        for path in sorted(folder.glob("*.md")):
            if path == getattr(self, "about_path", None):
                continue
            meta, body, line, name = self.markdown(path)
            layout = as_text(meta.get("layout"))
            permalink = as_text(meta.get("permalink"))
            title = plain_text(meta.get("title")) or path.stem
            spot = self._menu_spot(layout, permalink, path)
            if as_bool(meta.get("nav")) and spot:
                order = meta.get("nav_order")
                number = order if isinstance(order, int | float) and order is not True else None
                nav.append((number, spot))
            if layout == "cv":
                if meta.get("cv_pdf"):
                    self._cv_link(name)(as_text(meta["cv_pdf"]))
                self.report.note(name, "the CV page: its entries come from the CV data")
                continue
            if layout in _GENERATED_LAYOUTS or permalink.rstrip("/") in {
                "/publications",
                "/news",
                "/blog",
            }:
                self.report.note(
                    name, f"“{title}” is generated by al-folio from your data: read as that data"
                )
                continue
            if as_bool(meta.get("published")) is False or permalink.startswith("/404"):
                continue
            context = TemplateContext(site=self.config, page=meta)
            text = jekyll_markdown(
                body, name, line, self.report, context, self.image_resolver(name)
            )
            if not text:
                self.report.note(name, f"“{title}” has nothing left once Liquid is out: left out")
                continue
            slug = self._slug(permalink, path)
            position = meta.get("nav_order")
            self.site.pages.append(
                PageData(
                    source=name,
                    title=title[:1].upper() + title[1:],
                    slug=slug,
                    body=text,
                    in_menu=bool(as_bool(meta.get("nav"))),
                    menu_position=position if isinstance(position, int) else None,
                )
            )

        # al-folio's header: about first, then the nav: true pages sorted by nav_order,
        # those without one first (Jekyll's sort puts nils first).
        nav.sort(key=lambda item: (item[0] is not None, item[0] or 0))
        self.site.menu = [("section", "about"), *(spot for _, spot in nav)]

    @staticmethod
    def _slug(permalink, path):
        return permalink.strip("/").split("/")[-1] or path.stem

    def _menu_spot(self, layout, permalink, path):
        """What a page of al-folio's menu is here: a section we fill from its data, or a page."""
        address = permalink.rstrip("/")
        if layout == "cv" or address == "/cv":
            return ("section", "cv")
        if address == "/publications" or layout == "bib":
            return ("section", "research")
        if layout == "teachings" or address == "/teaching":
            return ("section", "teaching")
        if address == "/news":
            return ("section", "news")
        if layout in _GENERATED_LAYOUTS or address == "/blog":
            return None  # al-folio builds it from data we do not import (projects, blog posts)
        return ("page", self._slug(permalink, path))

    # --- CV -------------------------------------------------------------------------

    def _cv(self):
        data = self.yaml("_data/cv.yml")
        if data is not None:
            self.site.cv = alfolio_cv(data, "_data/cv.yml", self.report)
            if (self.root / "assets/json/resume.json").is_file():
                self.report.note("assets/json/resume.json", "not read: _data/cv.yml is the CV")
            return
        data = self.json("assets/json/resume.json")
        if data is not None:
            self.site.cv = json_resume(data, "assets/json/resume.json", self.report)
