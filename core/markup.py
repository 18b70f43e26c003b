"""The one place Markdown becomes HTML.

Pages, feeds and the admin's live preview all call render_markdown(), so what
the editor previews is exactly what visitors get, and sanitizing happens once.
TeX math ($...$, $$...$$, \\(...\\), \\[...\\]) in Markdown and in titles becomes
MathML here, on the server (latex2mathml), so no script is needed; math_to_text()
is the plain form for feeds, <title>, meta tags and JSON-LD.
"""

import functools
import html as html_lib
import re
import secrets
import threading
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from latex2mathml.converter import convert as latex_to_mathml
from pylatexenc.latex2text import LatexNodes2Text

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
# The MathML elements and attributes latex2mathml writes; nothing else of MathML.
MATHML_TAGS = {
    "math", "menclose", "mfrac", "mi", "mn", "mo", "mover", "mpadded", "mphantom",
    "mroot", "mrow", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup", "mtable",
    "mtd", "mtext", "mtr", "munder", "munderover",
}  # fmt: skip
_MATHML_ATTRIBUTES = {
    "math": {"display", "xmlns"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form", "minsize", "maxsize",
           "movablelimits", "accent"},
    "mi": {"mathvariant"},
    "mn": {"mathvariant"},
    "mtext": {"mathvariant"},
    "mstyle": {"displaystyle", "scriptlevel", "mathvariant", "mathsize"},
    "mfrac": {"linethickness"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "mspace": {"width", "height", "linebreak"},
    "mpadded": {"width", "height", "voffset", "lspace"},
    "mtable": {"columnspacing", "rowspacing", "columnalign", "columnlines", "rowlines"},
    "mtd": {"columnalign"},
    "menclose": {"notation"},
}  # fmt: skip
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
_converters = threading.local()


def _markdown(text):
    """markdown.markdown(text), by this thread's converter.

    Building a converter (its extensions looked up in the installed packages'
    metadata) cost twice the conversion of a tl;dr: the first /research/ of a
    process converts a thousand (bench/FINDINGS.md). reset() after each text
    makes the next conversion start as a new converter would.
    """
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=_EXTENSIONS, output_format="html"
        )
    try:
        return converter.convert(text)
    finally:
        converter.reset()


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


# Sanitizers built once: nh3.clean() builds one per call, which cost six times
# the cleaning of a tl;dr.
_MARKDOWN_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_local_images_only,
)


def sanitize_html(html, *, explain=False):
    """Strip everything but harmless formatting, http(s)/mailto links and the site's images.

    An image from another site becomes its alt text (with `explain`, as in the
    editor's preview, followed by why it is not shown).
    """
    clean = _MARKDOWN_CLEANER.clean(html)
    return _SRCLESS_IMG.sub(functools.partial(_not_shown, explain=explain), clean)


def _not_shown(match, explain):
    alt = _ALT.search(match.group(1))
    text = alt.group(1) if alt else ""  # already escaped by nh3
    note = f" ({escape(IMAGE_NOT_SHOWN)})" if explain else ""
    return f"<em>[{text or 'image'}{note}]</em>" if (text or note) else ""


# Inline-only HTML (venues, one-line fields): formatting and links, no blocks.
INLINE_TAGS = {"a", "abbr", "b", "br", "code", "em", "i", "strong", "sub", "sup"}

# $$display$$, $inline$ (not \$), \(inline\), \[display\].
_MATH_RE = re.compile(
    r"(?<!\\)\$\$(?P<dd>.+?)(?<!\\)\$\$"
    r"|(?<![\\$])\$(?P<d>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d)"
    r"|\\\((?P<p>.+?)\\\)"
    r"|\\\[(?P<b>.+?)\\\]",
    re.DOTALL,
)
_MATH_TEXT = LatexNodes2Text(math_mode="text")


def _math_source(match):
    for group, display in (("dd", True), ("d", False), ("p", False), ("b", True)):
        if match.group(group) is not None:
            return match.group(group), display
    raise AssertionError("unreachable")


@functools.lru_cache(maxsize=4096)
def _math_html(tex, display):
    """MathML for TeX; the source as text when latex2mathml cannot read it."""
    try:
        mathml = latex_to_mathml(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 (any failure of the converter: show the source)
        return escape(f"${tex}$")
    # Unknown commands come out as literal \name: the source reads better.
    if "\\" in strip_tags(mathml):
        return escape(f"${tex}$")
    # Only what the converter writes: MathML elements and attributes, nothing else.
    return nh3.clean(mathml, tags=MATHML_TAGS, attributes=_MATHML_ATTRIBUTES, url_schemes=set())


def _with_math(text, render):
    """render(text) with each math span replaced by its MathML afterwards.

    The spans are swapped for placeholders first, so Markdown cannot read
    underscores or backslashes inside them. render() must return sanitized
    HTML: MathML is allowed only from the converter, never from what an editor
    types (a typed <math> is the classic way past an HTML sanitizer).
    """
    spans = []
    nonce = secrets.token_hex(4)

    def hold(match):
        spans.append(_math_html(*_math_source(match)))
        return f"MATHSPAN{nonce}X{len(spans) - 1}X"

    held = _MATH_RE.sub(hold, text)
    out = render(held)
    for n, mathml in enumerate(spans):
        out = out.replace(f"MATHSPAN{nonce}X{n}X", mathml)
    return out


def split_math(text):
    """text as (part, is_math) pairs; math parts keep their delimiters."""
    parts, start = [], 0
    for match in _MATH_RE.finditer(text):
        if match.start() > start:
            parts.append((text[start : match.start()], False))
        parts.append((match.group(0), True))
        start = match.end()
    if start < len(text):
        parts.append((text[start:], False))
    return parts


def math_to_text(text):
    """text with its TeX math as plain Unicode ($\\alpha < 3$ becomes α < 3)."""
    if not text or ("$" not in text and "\\" not in text):
        return text or ""

    def plain(match):
        tex, _ = _math_source(match)
        try:
            return " ".join(_MATH_TEXT.latex_to_text(tex).split())
        except Exception:  # noqa: BLE001 (pylatexenc on bad TeX: keep the source)
            return tex

    return _MATH_RE.sub(plain, text)


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
    html = _with_math(text, lambda t: sanitize_html(_markdown(t), explain=explain))
    return mark_safe(html)  # noqa: S308 (sanitized by nh3, MathML from the converter)


_INLINE_CLEANER = nh3.Cleaner(
    tags=INLINE_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
)


def _sanitize_inline(html):
    return _INLINE_CLEANER.clean(html)


@functools.lru_cache(maxsize=4096)
def render_title(text):
    """A plain-text title (as typed or imported) as HTML, with its math as MathML."""
    return mark_safe(_with_math(text or "", escape))  # noqa: S308 (escaped; converter MathML)


@functools.lru_cache(maxsize=4096)
def render_inline_html(text):
    """A one-line field that may hold simple HTML (al-folio's venue): sanitized, inline only."""
    return mark_safe(_with_math(text or "", _sanitize_inline))  # noqa: S308 (sanitized)


def inline_html_to_text(text):
    """What render_inline_html() shows, as plain text (for citations and meta tags)."""
    if not text or ("<" not in text and "&" not in text and "$" not in text):
        return text or ""
    # Text with more than the simple formatting allowed is not HTML meant to be shown:
    # keep it as written (escaped wherever it goes), rather than lose part of it.
    if html_lib.unescape(_sanitize_inline(text)) != html_lib.unescape(text):
        return text
    with_breaks = re.sub(r"<br\s*/?>", " ", text, flags=re.I)
    plain = html_lib.unescape(strip_tags(with_breaks))
    return " ".join(math_to_text(plain).split())


@functools.lru_cache(maxsize=4096)
def render_inline_markdown(text):
    """Markdown for one line (al-folio's additional_info, award): no paragraph around it."""
    if not text:
        return mark_safe("")
    html = _with_math(text, lambda t: _sanitize_inline(_markdown(t)))
    return mark_safe(html)  # noqa: S308 (sanitized by nh3, MathML from the converter)
