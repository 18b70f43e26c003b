"""Reading the text of a static site: front matter, YAML, Liquid and Hugo tags, Markdown.

The sources are Jekyll (kramdown, GitHub-flavoured) or Hugo Markdown with HTML
mixed in and template tags we cannot run. Every body goes the same way:
HTML comments out, template tags out (each one reported with its file and
line, except the few we can evaluate: site and page variables, `relative_url`,
`{% raw %}`, `{% highlight %}`), Markdown to HTML (python-markdown, the same
extensions as core's renderer) so that the mixed HTML can be read as a tree
(BeautifulSoup), scripts, styles and embeds out, and the tree back to plain
Markdown (markdownify) for the editor. That HTML is only read here, never shown:
the pages render the resulting Markdown through the one Markdown function.
"""

import datetime
import re
import sys

import emoji
import markdown
import yaml
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdownify import MarkdownConverter

from .data import SiteImportError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?(---|\+\+\+)[ \t]*\r?\n(.*?)^\1[ \t]*$\r?\n?", re.S | re.M
)


def load_yaml(text, name, first_line=1):
    """YAML (front matter or a _data file) as Python data; a clear error names the line."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None or mark.line >= text.count("\n"):
            # At the end of the text: where the unclosed thing began says more.
            mark = getattr(error, "context_mark", None) or mark
        line = f":{mark.line + first_line}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise SiteImportError(f"{name}{line}: not valid YAML ({problem}).") from None


def read_front_matter(text, name):
    """(front matter dict, body, line where the body starts) of a Markdown file."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text, 1
    fence, raw = match.groups()
    if fence == "+++":
        try:
            meta = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as error:
            raise SiteImportError(f"{name}: not valid TOML front matter ({error}).") from None
    else:
        meta = load_yaml(raw, name, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SiteImportError(f"{name}:2: the front matter is not a list of “key: value” lines.")
    body_line = text[: match.end()].count("\n") + 1
    return meta, text[match.end() :], body_line


def as_text(value):
    """A front matter value as one line of text ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(as_text(v) for v in value if v is not None)
    return " ".join(str(value).split())


def as_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "yes", "on", "1"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"false", "no", "off", "0"}:
        return False
    return None


def as_date(value):
    """A date from YAML (a date, a datetime or text such as 2015-10-22 15:59:00-0400)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = re.match(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", str(value or ""))
    if match:
        year, month, day = (int(g) if g else 1 for g in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    match = re.match(r"\s*(\d{4})\s*$", str(value or ""))
    if match:
        return datetime.date(int(match[1]), 1, 1)
    return None


# --- Template tags -------------------------------------------------------------

_TAG = re.compile(r"\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}|\{\{-?(?P<expr>.*?)-?\}\}", re.S)
_HUGO = re.compile(
    r"\{\{(?P<open>[<%])\s*(?P<close>/)?\s*(?P<name>[\w./-]+)(?P<args>.*?)[>%]\}\}", re.S
)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Tags that never show anything; they are left out without a word.
_SILENT = {"comment"}


def _lines(text):
    return text.count("\n")


def _blank_out(match):
    # Keeps line numbers of everything after the comment right.
    return "\n" * _lines(match.group(0))


def _short(text, limit=70):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TemplateContext:
    """What {{ site.x }} and {{ page.x }} can be: the site's _config.yml and the front matter."""

    def __init__(self, site=None, page=None):
        self.site = site or {}
        self.page = page or {}

    def lookup(self, path):
        parts = path.split(".")
        if parts[0] not in {"site", "page"}:
            return None
        value = self.site if parts[0] == "site" else self.page
        for part in parts[1:]:
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return value

    def evaluate(self, expression):
        """The value of a simple Liquid output, or None when we cannot compute it."""
        parts = [p.strip() for p in expression.split("|")]
        value = self._value(parts[0])
        for filter_text in parts[1:]:
            if value is None:
                return None
            name, _, arg = filter_text.partition(":")
            name, arg = name.strip(), self._value(arg.strip()) if arg.strip() else None
            if name in {"relative_url", "absolute_url"}:
                # Our site has no base URL: paths stay relative to its root.
                value = str(value)
            elif name == "prepend" and arg is not None:
                value = f"{arg}{value}"
            elif name == "append" and arg is not None:
                value = f"{value}{arg}"
            elif name == "default":
                value = value or arg
            else:
                return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None
        return str(value)

    def _value(self, token):
        if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
            return token[1:-1]
        if re.fullmatch(r"-?\d+(\.\d+)?", token):
            return token
        if token in {"site.baseurl", "site.base_url"}:
            return ""
        return self.lookup(token)


def _find_end(text, tag, start):
    """Position (start, end) of the {% endtag %} that closes a block opened before start."""
    pattern = re.compile(r"\{%-?\s*(end)?" + re.escape(tag) + r"\b.*?-?%\}", re.S)
    depth = 1
    for match in pattern.finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.start(), match.end()
    return None


def strip_liquid(text, name, first_line, report, context=None):
    """Liquid tags out of Jekyll text, each reported with its line; values we can compute in.

    Blocks we cannot run ({% if %}, {% for %} and any custom block) are left out
    whole, since their content is template code, not text.
    """
    context = context or TemplateContext()
    text = _COMMENT.sub(_blank_out, text)
    out, pos = [], 0
    while True:
        match = _TAG.search(text, pos)
        if not match:
            out.append(text[pos:])
            break
        out.append(text[pos : match.start()])
        line = first_line + _lines(text[: match.start()])
        tag = match["tag"]
        if tag is None:
            value = context.evaluate(match["expr"].strip())
            if value is None:
                report.note(
                    name,
                    f"Liquid output “{_short(match.group(0))}” cannot be computed here: left out",
                    line,
                )
            else:
                out.append(value)
            pos = match.end()
            continue
        end = _find_end(text, tag, match.end()) if not tag.startswith("end") else None
        if tag == "raw" and end:
            out.append(text[match.end() : end[0]])
            pos = end[1]
        elif tag in _SILENT and end:
            out.append("\n" * _lines(text[match.start() : end[1]]))
            pos = end[1]
        elif tag == "highlight" and end:
            language = match["args"].split()[0] if match["args"].split() else ""
            code = text[match.end() : end[0]].strip("\n")
            out.append(f"\n\n```{language}\n{code}\n```\n\n")
            pos = end[1]
        elif end:
            last = first_line + _lines(text[: end[1]])
            report.note(
                name,
                f"Liquid block “{_short(match.group(0))}” (to line {last}) cannot run here: "
                "left out",
                line,
            )
            out.append("\n" * _lines(text[match.start() : end[1]]))
            pos = end[1]
        else:
            what = "include" if tag in {"include", "include_relative"} else "tag"
            report.note(
                name, f"Liquid {what} “{_short(match.group(0))}” cannot run here: left out", line
            )
            out.append("\n" * _lines(match.group(0)))
            pos = match.end()
    return "".join(out)


def strip_shortcodes(text, name, first_line, report):
    """Hugo shortcodes out ({{< figure >}}, {{% callout %}}); a paired one keeps its text."""
    text = _COMMENT.sub(_blank_out, text)

    def replace(match):
        line = first_line + _lines(text[: match.start()])
        if not match["close"]:
            report.note(
                name, f"Hugo shortcode “{_short(match.group(0))}” cannot run here: left out", line
            )
        return "\n" * _lines(match.group(0))

    return _HUGO.sub(replace, text)


def _no_leftovers(text, name, report):
    """A last guard: no half tag ({%, {{) is ever stored, even from broken input."""
    cleaned = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", text, flags=re.S)
    cleaned = re.sub(r"\{%|%\}|\{\{|\}\}", "", cleaned)
    if cleaned != text:
        report.note(name, "an unclosed template tag ({% or {{) was left out")
    return cleaned


# --- Markdown and HTML -----------------------------------------------------------

_LIST_ITEM = re.compile(r"^\s{0,3}(?:[*+-]|\d{1,9}[.)])\s+\S")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_KRAMDOWN_IAL = re.compile(r"^\s*\{:[^}\n]*\}\s*$|\{:\s*[.#][^}\n]*\}", re.M)
_MD_EXTENSIONS = ["extra", "sane_lists"]


def gfm_blocks(text):
    """GitHub-flavoured (kramdown GFM) block rules that python-markdown lacks.

    A list may start right under a paragraph line, with no blank line between.
    """
    out, previous, fenced = [], "", False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif (
            not fenced
            and _LIST_ITEM.match(line)
            and previous.strip()
            and not _LIST_ITEM.match(previous)
            and not previous.startswith((" ", "\t", "#", "<", ">", "|"))
        ):
            out.append("")
        out.append(line)
        previous = line
    return "\n".join(out)


def markdown_to_soup(text):
    """Markdown (with HTML in it) as a tree of HTML to read."""
    text = _KRAMDOWN_IAL.sub("", gfm_blocks(text))
    html = markdown.markdown(text, extensions=_MD_EXTENSIONS, output_format="html")
    return BeautifulSoup(html, "html.parser")


# Elements that show nothing we can keep (or run code): dropped with their content.
_DROPPED = {
    "script": "a script",
    "style": "a style sheet",
    "noscript": None,
    "form": "a form",
    "button": "a button",
    "input": "a form field",
    "select": "a form field",
    "textarea": "a form field",
    "svg": "an inline SVG picture",
    "canvas": "a canvas",
    "object": "an embedded object",
    "embed": "an embedded object",
    "link": None,
    "meta": None,
}


def clean_soup(soup, name, report, image=None):
    """Scripts, styles and embeds out (reported); frames and videos become links.

    image(src, alt) returns the address to use for a picture, or None to leave
    it out; without it, pictures are left out.
    """
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    seen = set()
    for tag_name, what in _DROPPED.items():
        for element in soup.find_all(tag_name):
            element.decompose()
            if what and what not in seen:
                seen.add(what)
                report.note(name, f"{what} (<{tag_name}>) cannot be shown here: left out")
    for element in soup.find_all(["iframe", "video", "audio"]):
        src = element.get("src") or (element.find("source") or {}).get("src", "")
        if src.startswith("//"):
            src = "https:" + src
        if src.startswith(("http://", "https://")):
            link = soup.new_tag("a", href=src)
            link.string = element.get("title") or src
            element.replace_with(link)
            report.note(name, f"an embedded player ({_short(src)}) became a link")
        else:
            element.decompose()
            report.note(name, f"an embedded <{element.name}> without a web address: left out")
    # GitHub's :emoji: codes (jemoji in al-folio, enableEmoji in Hugo), outside code.
    for string in soup.find_all(string=lambda s: ":" in s):
        if not string.find_parent(["code", "pre"]):
            replaced = emoji.emojize(str(string), language="alias")
            if replaced != string:
                string.replace_with(replaced)
    for element in soup.find_all("img"):
        src, alt = element.get("src", ""), element.get("alt", "")
        new = image(src, alt) if image and src else None
        if new:
            element["src"] = new
            for attribute in list(element.attrs):
                if attribute not in {"src", "alt", "title"}:
                    del element[attribute]
        else:
            element.decompose()
    return soup


class _Converter(MarkdownConverter):
    def __init__(self, **options):
        super().__init__(
            heading_style="ATX",
            bullets="*",
            code_language_callback=_code_language,
            # A_b stays as written: python-markdown never reads intraword _ as emphasis,
            # and TeX ($x_i$) needs it bare.
            escape_underscores=False,
            **options,
        )


def _code_language(element):
    for cls in element.get("class") or []:
        if cls.startswith("language-"):
            return cls[len("language-") :]
    code = element.find("code")
    if code is not None:
        for cls in code.get("class") or []:
            if cls.startswith("language-"):
                return cls[len("language-") :]
    return None


def soup_to_markdown(nodes):
    """HTML nodes (a tree or a list of its children) as tidy Markdown."""
    if isinstance(nodes, (BeautifulSoup, Tag)):
        html = str(nodes)
    else:
        html = "".join(str(node) for node in nodes)
    text = _Converter().convert(html)
    # Trailing spaces go, except the two that make a line break (<br>).
    lines = [
        line.rstrip() + ("  " if line.endswith("  ") and line.strip() else "")
        for line in text.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_empty(nodes):
    """True when nodes hold no text and no picture."""
    for node in nodes:
        if isinstance(node, NavigableString):
            if str(node).strip():
                return False
        elif isinstance(node, Tag) and (node.get_text(strip=True) or node.find("img")):
            return False
    return True


def jekyll_markdown(body, name, first_line, report, context=None, image=None):
    """A Jekyll page body as clean Markdown: Liquid out, HTML read, nothing raw."""
    text = strip_liquid(body, name, first_line, report, context)
    soup = clean_soup(markdown_to_soup(text), name, report, image)
    return _no_leftovers(soup_to_markdown(soup), name, report)


def hugo_markdown(body, name, first_line, report, image=None):
    """A Hugo content body as clean Markdown: shortcodes out, HTML read, nothing raw."""
    text = strip_shortcodes(body, name, first_line, report)
    soup = clean_soup(markdown_to_soup(text), name, report, image)
    return _no_leftovers(soup_to_markdown(soup), name, report)


def inline_markdown(html_or_text):
    """A short value that may hold HTML (a subtitle, a CV title) as one line of Markdown."""
    text = str(html_or_text or "")
    if "<" not in text:
        return " ".join(text.split())
    soup = BeautifulSoup(text, "html.parser")
    for element in soup.find_all(["script", "style"]):
        element.decompose()
    return " ".join(soup_to_markdown(soup).split())


def plain_text(html_or_text):
    """A value that may hold HTML as plain text on one line."""
    text = str(html_or_text or "")
    if "<" in text:
        soup = BeautifulSoup(text, "html.parser")
        for element in soup.find_all(["script", "style"]):
            element.decompose()
        text = soup.get_text()
    return " ".join(text.split())
