"""The one place Markdown becomes HTML.

Pages, feeds and the admin's live preview all call render_markdown(), so what
the editor previews is exactly what visitors get, and sanitizing happens once.
"""

import functools

import markdown
import nh3
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


def sanitize_html(html):
    """Strip everything but harmless formatting and http(s)/mailto links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text):
    """Markdown source to sanitized HTML, marked safe for templates."""
    if not text:
        return mark_safe("")
    return _render_markdown(text)


# A pure function of the text, memoised: every render of a list of papers would
# otherwise convert each tl;dr again, most of a cold /research/ (BENCHMARKS.md).
@functools.lru_cache(maxsize=4096)
def _render_markdown(text):
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return mark_safe(sanitize_html(html))  # noqa: S308 (sanitized by nh3 just above)
