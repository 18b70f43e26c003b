"""The one place Markdown becomes HTML.

Pages, feeds and the admin's live preview all call render_markdown(), so what
the editor previews is exactly what visitors get, and sanitizing happens once.
"""

import functools
import re
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
}
# Relative URLs (no scheme) are always allowed by nh3; these are the only schemes.
URL_SCHEMES = {"http", "https", "mailto"}

_EXTENSIONS = ["extra", "sane_lists"]


# Shown instead of an image from another site (see site_image_url).
IMAGE_NOT_SHOWN = "image from another site, not shown: upload it instead"
_SRCLESS_IMG = re.compile(r"<img(?![^>]*\ssrc=)([^>]*)>")
_ALT = re.compile(r'\salt="([^"]*)"')


def site_image_url(url):
    """True for an image the site serves itself: a relative address, or one on
    DJANGO_SITE_URL or an image origin the Content-Security-Policy allows
    (DJANGO_CSP_IMG_SRC, e.g. the uploads bucket). Anything else would be a
    third-party request from the static export, where no CSP applies."""
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc and not url.strip().startswith(("//", "\\")):
        return True
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    allowed = [settings.SITE_URL, *getattr(settings, "MARKDOWN_IMAGE_ORIGINS", ())]
    return any(o and origin == o.rstrip("/").lower() for o in allowed)


def _local_images_only(element, attribute, value):
    if element == "img" and attribute == "src" and not site_image_url(value):
        return None
    return value


def sanitize_html(html, *, explain=False):
    """Strip everything but harmless formatting, http(s)/mailto links and the site's images.

    An image from another site becomes its alt text (with `explain`, as in the
    editor's preview, followed by why it is not shown).
    """
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_local_images_only,
    )
    return _SRCLESS_IMG.sub(functools.partial(_not_shown, explain=explain), clean)


def _not_shown(match, explain):
    alt = _ALT.search(match.group(1))
    text = alt.group(1) if alt else ""  # already escaped by nh3
    note = f" ({escape(IMAGE_NOT_SHOWN)})" if explain else ""
    return f"<em>[{text or 'image'}{note}]</em>" if (text or note) else ""


def render_markdown(text):
    """Markdown source to sanitized HTML, marked safe for templates."""
    if not text:
        return mark_safe("")
    return _render_markdown(text)


def render_markdown_preview(text):
    """render_markdown for the editor's live preview: says why an image is not shown."""
    if not text:
        return mark_safe("")
    return _render_markdown(text, explain=True)


# A pure function of the text, memoised: every render of a list of papers would
# otherwise convert each tl;dr again, most of a cold /research/ (BENCHMARKS.md).
@functools.lru_cache(maxsize=4096)
def _render_markdown(text, explain=False):
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return mark_safe(sanitize_html(html, explain=explain))  # noqa: S308 (sanitized by nh3)
