"""The CV as a PDF, typeset by Typst (the `typst` package: a self-contained
wheel with its own fonts, no system libraries).

cv_pdf(cv) turns cv.document's structure into JSON and compiles
cv/typst/cv.typ with it. Markdown fields arrive as the sanitized HTML the
pages show (core markup), reduced here to paragraphs, lists and styled runs.
"""

import json
from html.parser import HTMLParser
from pathlib import Path

import typst
from django.utils import translation
from django.utils.translation import gettext as _

from core.links import absolute_url

TEMPLATE = Path(__file__).parent / "typst" / "cv.typ"
# Letter in the United States and Canada, A4 elsewhere.
LETTER_REGIONS = {"us", "ca"}


class _Blocks(HTMLParser):
    """Sanitized HTML -> [{"kind": "par"|"heading"|"list", ...}] with styled runs."""

    STYLES = {"strong": "strong", "b": "strong", "em": "emph", "i": "emph", "code": "code"}
    BLOCKS = {"p", "blockquote", "pre", "tr", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, root):
        super().__init__(convert_charrefs=True)
        self.root = root
        self.blocks = []
        self.styles = []
        self.links = []
        self.lists = []  # open lists, innermost last
        self.runs = None  # the runs being filled

    def _flush(self):
        if self.runs:
            text = "".join(r["text"] for r in self.runs).strip()
            if text:
                if self.lists:
                    self.lists[-1]["items"].append(self.runs)
                else:
                    self.blocks.append({"kind": self.kind, "runs": self.runs})
        self.runs = None

    def handle_starttag(self, tag, attrs):
        if tag in self.STYLES:
            self.styles.append(self.STYLES[tag])
        elif tag == "a":
            self.links.append(absolute_url(dict(attrs).get("href") or "", self.root))
        elif tag in {"ul", "ol"}:
            self._flush()
            if not self.lists:
                self.lists.append({"kind": "list", "ordered": tag == "ol", "items": []})
            else:
                self.lists.append(self.lists[-1])  # nested lists are flattened
        elif tag == "li" or tag in self.BLOCKS:
            self._flush()
            self.kind = "heading" if tag.startswith("h") else "par"
        elif tag == "br":
            self._text(" ")

    def handle_endtag(self, tag):
        if tag in self.STYLES and self.styles:
            self.styles.pop()
        elif tag == "a" and self.links:
            self.links.pop()
        elif tag in {"ul", "ol"} and self.lists:
            self._flush()
            finished = self.lists.pop()
            if not self.lists and finished["items"]:
                self.blocks.append(finished)
        elif tag == "li" or tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._text(data)

    def _text(self, data):
        data = " ".join(data.split(" ")).replace("\n", " ")
        if not data:
            return
        if self.runs is None:
            if not data.strip():
                return
            self.runs = []
            if not self.lists:
                self.kind = getattr(self, "kind", "par")
        self.runs.append(
            {
                "text": data,
                "strong": "strong" in self.styles,
                "emph": "emph" in self.styles,
                "code": "code" in self.styles,
                "link": self.links[-1] if self.links else "",
            }
        )

    def close(self):
        super().close()
        self._flush()
        while self.lists:
            finished = self.lists.pop()
            if not self.lists and finished["items"]:
                self.blocks.append(finished)
        return self.blocks


def html_blocks(html, root=""):
    parser = _Blocks(root)
    parser.kind = "par"
    parser.feed(str(html or ""))
    return parser.close()


def _authors(paper):
    return [{"name": a.name, "owner": a.is_owner, "equal": "*" in a.marks} for a in paper.authors]


def _where(item):
    if item.paper is not None:
        return item.paper.venue
    return ", ".join(part for part in (item.organisation, item.location) if part)


def typst_data(cv, root=""):
    profile = cv.profile
    links = [
        {"label": link.label, "url": absolute_url(link.href, root)}
        for link in profile.visible_links()
        if link.kind != link.Kind.CV
    ]
    if root:
        links.append({"label": root.split("://", 1)[-1], "url": root + "/"})
    language = translation.get_language() or "en"
    region = language.split("-")[1].lower() if "-" in language else ""
    sections = []
    for section in cv.sections:
        sections.append(
            {
                "heading": section.heading,
                "body": html_blocks(section.body_html, root),
                "items": [
                    {
                        "period": item.period,
                        "title": item.title,
                        "url": absolute_url(
                            item.paper.get_absolute_url() if item.paper else item.url, root
                        ),
                        "where": _where(item),
                        "authors": _authors(item.paper) if item.paper else [],
                        "details": html_blocks(item.details_html, root) if not item.paper else [],
                    }
                    for item in section.items
                ],
                "note": _("* equal contribution") if section.has_equal_contributors else "",
            }
        )
    return {
        "title": _("CV of %(name)s") % {"name": profile.name} if profile.name else "CV",
        "name": profile.name or "CV",
        "subtitle": profile.subtitle,
        "links": links,
        "lang": language.split("-")[0],
        "paper": "us-letter" if region in LETTER_REGIONS else "a4",
        "sections": sections,
    }


def cv_pdf(cv, root=""):
    """The PDF's bytes. Only Typst's own bundled fonts are used, so the output
    is the same on every machine."""
    data = json.dumps(typst_data(cv, root), ensure_ascii=False)
    return typst.compile(
        TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": data},
        ignore_system_fonts=True,
    )
