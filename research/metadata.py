"""Machine-readable metadata for a paper page.

Google Scholar reads Highwire Press `citation_*` tags, search engines read
schema.org JSON-LD, and link previews read Open Graph and Twitter cards. All of
it is built here from the model; the template only prints it (escaped).
"""

import html
import json
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from core.links import absolute_url
from core.markup import math_to_text, render_markdown

from .citation import is_conference

# Inside <script>, "</script>" or "<!--" in a title must not end the block.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def plain_text(markdown_text):
    """Markdown source as one line of plain text (for descriptions)."""
    # Math first as Unicode text, so no MathML markup reaches a description.
    text = html.unescape(strip_tags(render_markdown(math_to_text(markdown_text))))
    return re.sub(r"\s+", " ", text).strip()


def json_for_script(data):
    """JSON safe to place inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 (<, > and & are escaped just above)


@dataclass
class PaperMetadata:
    canonical: str
    description: str
    highwire: list = field(default_factory=list)
    open_graph: list = field(default_factory=list)
    twitter: list = field(default_factory=list)
    json_ld: str = ""


def paper_metadata(paper, root):
    """Everything the head of a paper page carries; root is "https://host"."""
    authors = list(paper.authors)
    canonical = absolute_url(paper.get_absolute_url(), root)
    description = plain_text(paper.tldr) or plain_text(paper.abstract)
    pdf = absolute_url(paper.pdf_link, root)
    image = absolute_url(paper.thumbnail.url, root) if paper.thumbnail else ""

    title = paper.title_text
    venue = paper.venue_text
    highwire = [("citation_title", title)]
    highwire += [("citation_author", name) for name in paper.author_names()]
    if paper.date:
        highwire.append(("citation_publication_date", paper.date.strftime("%Y/%m/%d")))
    if venue:
        kind = "conference" if is_conference(venue) else "journal"
        highwire.append((f"citation_{kind}_title", venue))
    if pdf:
        highwire.append(("citation_pdf_url", pdf))
    if paper.arxiv_id:
        highwire.append(("citation_arxiv_id", paper.arxiv_id))
    if paper.doi:
        highwire.append(("citation_doi", paper.doi))
    highwire.append(("citation_abstract_html_url", canonical))

    open_graph = [
        ("og:type", "article"),
        ("og:title", title),
        ("og:url", canonical),
    ]
    if paper.date:
        open_graph.append(("article:published_time", paper.date.isoformat()))
    if description:
        open_graph.append(("og:description", description))
    if image:
        open_graph.append(("og:image", image))
        open_graph.append(("og:image:alt", title))
        if paper.thumbnail_width:
            open_graph.append(("og:image:width", str(paper.thumbnail_width)))
            open_graph.append(("og:image:height", str(paper.thumbnail_height)))
    open_graph += [("article:tag", tag.name) for tag in paper.tag_list]

    twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", title),
    ]
    if description:
        twitter.append(("twitter:description", description))
    if image:
        twitter.append(("twitter:image", image))
        twitter.append(("twitter:image:alt", title))

    return PaperMetadata(
        canonical=canonical,
        description=description,
        highwire=highwire,
        open_graph=open_graph,
        twitter=twitter,
        json_ld=json_for_script(_scholarly_article(paper, authors, canonical, image, pdf)),
    )


def _scholarly_article(paper, authors, canonical, image, pdf):
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title_text,
        "name": paper.title_text,
        "author": [_person(a) for a in authors],
        "dateModified": paper.updated.isoformat(),
        "url": canonical,
    }
    if paper.date:
        data["datePublished"] = paper.date.isoformat()
    same_as = [link for link in (paper.url, paper.code_url, paper.website_url) if link]
    same_as += [link.url for link in paper.link_list if link.url and link.url not in same_as]
    if paper.doi:
        same_as.append(f"https://doi.org/{paper.doi}")
    if same_as:
        data["sameAs"] = same_as
    if paper.tldr:
        data["description"] = plain_text(paper.tldr)
    if paper.abstract:
        data["abstract"] = plain_text(paper.abstract)
    venue = paper.venue_text
    if venue:
        if is_conference(venue):
            data["publication"] = {"@type": "PublicationEvent", "name": venue}
        else:
            data["isPartOf"] = {"@type": "Periodical", "name": venue}
    if image:
        data["image"] = image
    if pdf:
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf,
            "encodingFormat": "application/pdf",
        }
    keywords = [tag.name for tag in paper.tag_list]
    if keywords:
        data["keywords"] = keywords
    return data


def _person(authorship):
    person = {"@type": "Person", "name": authorship.name}
    if authorship.person.homepage:
        person["url"] = authorship.person.homepage
    return person
