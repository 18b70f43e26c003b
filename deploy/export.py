"""Render the public site into plain files that any static host serves as is.

The exporter knows no page by name: it asks Django for every page the way a
visitor would (Django's test client, as an anonymous user, with DEBUG off),
starting from the homepage, robots.txt, sitemap.xml and every URL pattern that
takes no argument, and follows every internal link it finds in pages, feeds,
the sitemap, robots.txt and stylesheets. Pages added later are exported as soon
as something links to them. Static files and uploads are copied only when a
page uses them, so a draft's PDF is never published.

Under a sub-path base URL (https://me.github.io/site/), Django renders with that
script prefix, so every URL it builds (links, static files, feeds, sitemap)
carries it; root-relative links typed into Markdown get it added afterwards.
"""

import logging
import mimetypes
import re
import shutil
import tempfile
import warnings
from collections import deque
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, get_script_prefix, set_script_prefix
from django.urls.resolvers import RoutePattern
from django.utils.html import escape

START_PATHS = ("/", "/robots.txt", "/sitemap.xml")
MARKER = ".site-export"  # marks a folder this command made, so it may replace it
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data"}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
ROOT_RELATIVE_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?:href|src|action|poster|data)\s*=\s*)(?P<quote>["']?)(?P<url>/(?!/)[^"'\s>]*)""",
    re.IGNORECASE,
)
SRCSET_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?:image)?srcset\s*=\s*)(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.IGNORECASE | re.DOTALL,
)


# Response headers that protect every page; a static host only sends them if told.
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)


class ExportError(Exception):
    pass


def _private_prefixes():
    # Never exported: the editor and the health probe stay on the owner's machine.
    return (*settings.EDITOR_URL_PREFIXES, "/healthz")


def normalize_base_url(url):
    """Check a base URL and give it a trailing slash: https://me.github.io/site/."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ExportError(
            f"The base URL must be an absolute http(s) URL such as https://example.org/ "
            f"or https://me.github.io/site/, not {url!r}."
        )
    if parts.query or parts.fragment:
        raise ExportError(f"The base URL cannot have a query or fragment: {url!r}.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def output_path(site_path):
    """Where a URL path lives in the export: directory-style URLs become index.html."""
    relative = unquote(site_path).lstrip("/")
    parts = PurePosixPath(relative).parts if relative else ()
    if any(part in {"..", "."} or "\\" in part for part in parts):
        return None
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    if "." not in parts[-1]:
        return relative + "/index.html"
    return relative


class _LinkCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append(value.strip())
            elif name in SRCSET_ATTRIBUTES:
                self.links.extend(_srcset_urls(value))


def _srcset_urls(value):
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _prefix_root_relative(html, prefix):
    """Put the sub-path in front of root-relative links Django did not build (Markdown)."""

    def fix(url):
        return url if url.startswith(prefix) else prefix + url[1:]

    def attribute(match):
        return match["lead"] + match["quote"] + fix(match["url"])

    def srcset(match):
        candidates = []
        for candidate in match["value"].split(","):
            words = candidate.split()
            if words and words[0].startswith("/") and not words[0].startswith("//"):
                words[0] = fix(words[0])
            candidates.append(" ".join(words))
        return match["lead"] + match["quote"] + ", ".join(candidates) + match["quote"]

    return SRCSET_ATTRIBUTE.sub(srcset, ROOT_RELATIVE_ATTRIBUTE.sub(attribute, html))


def _argument_free_paths(patterns=None, prefix="/"):
    """Public URL patterns that take no argument (/research/, feeds, sitemap, ...)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern) or pattern.converters:
            continue
        path = prefix + str(pattern)
        if isinstance(entry, URLResolver):
            yield from _argument_free_paths(entry.url_patterns, path)
        elif isinstance(entry, URLPattern):
            yield path


def _with_prefix(url, prefix):
    """STATIC_URL/MEDIA_URL under the base path; a URL on another host stays as is."""
    if urlsplit(url).netloc:
        return url
    return prefix + url.lstrip("/")


class SiteExporter:
    def __init__(self, outdir, base_url):
        self.outdir = Path(outdir)
        self.base_url = normalize_base_url(base_url)
        parts = urlsplit(self.base_url)
        self.scheme, self.netloc, self.prefix = parts.scheme, parts.netloc.lower(), parts.path
        self.host = parts.hostname
        self.written = {}  # relative output path -> "page" | "redirect" | "file"
        self.broken = []  # (url, linked from)
        self.dropped_queries = set()
        self.security_headers = []  # from the homepage, for _headers
        self.typed_indexes = {}  # URL path -> Content-Type a static host would not guess

    # -- public -----------------------------------------------------------------

    def export(self):
        """Render everything into a fresh folder, then put it in place of outdir."""
        self._check_outdir()
        self.outdir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".export-", dir=self.outdir.parent))
        try:
            self.staging = staging
            self._render_all()
            (staging / MARKER).write_text(self.base_url + "\n", encoding="utf-8")
            (staging / "_headers").write_text(self._headers_file(), encoding="utf-8")
            # GitHub Pages would otherwise run Jekyll and hide files starting with "_".
            (staging / ".nojekyll").write_text("", encoding="utf-8")
            self._replace_outdir(staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self

    # -- rendering --------------------------------------------------------------

    def _render_all(self):
        static_url = _with_prefix(settings.STATIC_URL, self.prefix)
        media_url = _with_prefix(settings.MEDIA_URL, self.prefix)
        self.static_path = urlsplit(urljoin(self.base_url, static_url)).path
        self.media_path = urlsplit(urljoin(self.base_url, media_url)).path
        overrides = {
            "DEBUG": False,  # the pages visitors get, not debug pages
            "ALLOWED_HOSTS": [*settings.ALLOWED_HOSTS, self.host],
            "SECURE_SSL_REDIRECT": False,
            # Every page rendered afresh for this base URL: a cache shared with the
            # live server could hold pages with its host in their links.
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            # Origin for absolute links in feeds, sitemap and citation tags.
            "SITE_URL": f"{self.scheme}://{self.netloc}",
            "STATIC_URL": static_url,
            "MEDIA_URL": media_url,
            # Plain file names: a static host needs no manifest or collectstatic run.
            "STORAGES": {
                **settings.STORAGES,
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        }
        previous_prefix = get_script_prefix()
        request_log = logging.getLogger("django.request")
        previous_level = request_log.level
        with override_settings(**overrides), warnings.catch_warnings():
            # Start paths that do not exist yet are expected; broken links are reported.
            request_log.setLevel(logging.ERROR)
            # whitenoise's "No directory at STATIC_ROOT": files come from the finders here.
            warnings.filterwarnings("ignore", message="No directory at")
            set_script_prefix(self.prefix)
            try:
                self.client = Client(HTTP_HOST=self.netloc)
                self._crawl()
                self._write_not_found_page()
            finally:
                set_script_prefix(previous_prefix)
                request_log.setLevel(previous_level)

    def _crawl(self):
        queue = deque()
        seen = set()

        def visit(path, source):
            if path not in seen:
                seen.add(path)
                queue.append((path, source))

        for path in [*START_PATHS, *_argument_free_paths()]:
            if not path.startswith(_private_prefixes()):
                visit(path, None)
        while queue:
            path, source = queue.popleft()
            for link in self._export_one(path, source):
                target = self._site_path(link, path)
                if target is not None:
                    visit(target, path)

    def _site_path(self, link, from_path):
        """The site-relative path of an internal link, or None for anything else."""
        absolute = urljoin(self.base_url + from_path.lstrip("/"), link)
        parts = urlsplit(absolute)
        if parts.scheme not in {"http", "https"} or parts.netloc.lower() != self.netloc:
            return None
        if parts.path + "/" == self.prefix:
            path = "/"
        elif parts.path.startswith(self.prefix):
            path = "/" + parts.path[len(self.prefix) :]
        else:
            return None  # another site on the same host
        if parts.query:
            # A static host ignores query strings: only the page without it is exported.
            self.dropped_queries.add(f"{parts.path}?{parts.query}")
        return None if path.startswith(_private_prefixes()) else path

    def _export_one(self, path, source):
        full_path = self.prefix + path.lstrip("/")
        if full_path.startswith(self.static_path):
            return self._copy_static(path, full_path[len(self.static_path) :], source)
        if full_path.startswith(self.media_path):
            return self._copy_media(path, full_path[len(self.media_path) :], source)
        return self._render_page(path, source)

    def _render_page(self, path, source):
        response = self.client.get(
            path, SCRIPT_NAME=self.prefix.rstrip("/"), secure=self.scheme == "https"
        )
        if response.status_code in {301, 302, 303, 307, 308}:
            location = response["Location"]
            self._write(path, _redirect_page(urljoin(self.base_url, location)), "redirect")
            return [location]
        if response.status_code == 404:
            if source is not None:
                self.broken.append((path, source))
            return []
        if response.status_code != 200:
            raise ExportError(f"{path} answered {response.status_code}; nothing was exported.")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        charset = response.charset or "utf-8"
        links = []
        if content_type == "text/html":
            html = body.decode(charset)
            if self.prefix != "/":
                html = _prefix_root_relative(html, self.prefix)
            body = html.encode(charset)
            collector = _LinkCollector()
            collector.feed(html)
            links.extend(collector.links)
        if content_type.startswith("text/") or "xml" in content_type or "json" in content_type:
            links.extend(self._absolute_links(body.decode(charset, errors="replace")))
        if content_type == "text/css":
            links.extend(_css_links(body.decode(charset, errors="replace")))
        self._write(path, body, "page")
        if path == "/":
            self.security_headers = [
                (name, response[name])
                for name in SECURITY_HEADERS
                # A per-request nonce cannot be carried over to a static copy.
                if response.has_header(name) and "nonce-" not in response[name]
            ]
        if mimetypes.guess_type(output_path(path))[0] != content_type:
            # A feed at /research/feed/ is stored as index.html, a .bib has no standard
            # type: Netlify and Cloudflare Pages read _headers and send the real one.
            self.typed_indexes[self.prefix + path.lstrip("/")] = response["Content-Type"]
        return links

    def _headers_file(self):
        """Netlify/Cloudflare Pages `_headers`: the site's security headers on every
        page, and the real type of files a static host would guess wrong."""
        rules = []
        if self.security_headers:
            lines = "".join(f"  {name}: {value}\n" for name, value in self.security_headers)
            rules.append(f"{self.prefix}*\n{lines}")
        rules += [f"{path}\n  Content-Type: {kind}\n" for path, kind in self.typed_indexes.items()]
        return "".join(rules)

    def _absolute_links(self, text):
        """Links spelled out in full: feeds, sitemap, robots.txt, meta tags, JSON-LD."""
        pattern = re.escape(f"{self.scheme}://{self.netloc}") + r"""[^\s"'<>\\)&]*"""
        return re.findall(pattern, text, re.IGNORECASE)

    def _copy_static(self, path, name, source):
        name = unquote(name)
        found = finders.find(name)
        if not found:
            self.broken.append((path, source))
            return []
        content = Path(found).read_bytes()
        self._write(path, content, "file")
        if name.endswith(".css"):
            return _css_links(content.decode("utf-8", errors="replace"))
        return []

    def _copy_media(self, path, name, source):
        name = unquote(name)
        if not name or not default_storage.exists(name):
            self.broken.append((path, source))
            return []
        with default_storage.open(name, "rb") as upload:
            self._write(path, upload, "file")
        return []

    def _write_not_found_page(self):
        """404.html, which GitHub Pages, Netlify and others show for missing pages."""
        try:
            get_template("404.html")
        except TemplateDoesNotExist:
            return
        response = self.client.get(
            "/__no-such-page__/",
            SCRIPT_NAME=self.prefix.rstrip("/"),
            secure=self.scheme == "https",
        )
        html = response.content.decode(response.charset or "utf-8")
        if self.prefix != "/":
            html = _prefix_root_relative(html, self.prefix)
        self._write("/404.html", html.encode("utf-8"), "page")

    def _write(self, path, content, kind):
        relative = output_path(path)
        if relative is None:
            return
        # A redirect stub never replaces a page (/research -> /research/ share a file).
        if kind == "redirect" and relative in self.written:
            return
        target = self.staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if hasattr(content, "read"):
            with open(target, "wb") as out:
                shutil.copyfileobj(content, out)  # PDFs can be large: no copy in memory
        else:
            target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        self.written[relative] = kind

    # -- the output folder -------------------------------------------------------

    def _check_outdir(self):
        if self.outdir.exists() and not self.outdir.is_dir():
            raise ExportError(f"{self.outdir} exists and is not a folder.")
        if (
            self.outdir.is_dir()
            and not (self.outdir / MARKER).exists()
            and any(not entry.name.startswith(".") for entry in self.outdir.iterdir())
        ):
            raise ExportError(
                f"{self.outdir} is not empty and was not made by export_site; "
                "choose an empty or new folder (nothing was changed)."
            )

    def _replace_outdir(self, staging):
        """Swap in the new export; files of a previous export that are gone are removed.

        Dot entries at the top (.git of a gh-pages checkout, .nojekyll) are kept.
        """
        self.outdir.mkdir(exist_ok=True)
        for entry in self.outdir.iterdir():
            if entry.name.startswith(".") and entry.name not in {MARKER, ".nojekyll"}:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in staging.iterdir():
            shutil.move(str(entry), self.outdir / entry.name)


def _css_links(css):
    links = (url or imported for url, imported in CSS_URL.findall(css))
    return [link for link in links if not link.startswith("data:")]


def _redirect_page(location):
    location = escape(location)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={location}">'
        f'<link rel="canonical" href="{location}"><title>Moved</title></head>'
        f'<body><p>This page has moved to <a href="{location}">{location}</a>.</p></body></html>\n'
    )
