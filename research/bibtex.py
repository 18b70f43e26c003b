"""BibTeX generated from the model: one entry per paper, or a whole document.

publication_bibtex(paper) is the citation a reader copies: author, title,
venue, year, month, url, arXiv eprint, DOI. With full=True it also writes the
al-folio fields (selected, abbr, code, pdf, html, website, keywords, abstract,
tldr, the marks after authors' names, and the legend as annotation) so that
importing the output gives the paper back. Text is LaTeX-escaped (the importer
decodes it back); accents stay UTF-8. URLs are written verbatim, as BibTeX styles expect.

Call it on papers loaded with Publication.objects.for_listing() (authors and
tags prefetched) to keep the number of queries fixed.
"""

import re
import unicodedata

from core.links import absolute_url, site_root

from .citation import is_conference
from .models import PaperLink
from .names import legend_lines

# One pass over the text, so the backslashes added here are not escaped again.
# Braces become commands rather than \{ \}: BibTeX counts \{ as an open brace.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_TABLE = str.maketrans(_LATEX_ESCAPES)

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_KEY_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "is", "are"}
# Characters BibTeX or TeX would misread in a verbatim URL field.
_URL_TABLE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"})


def escape_latex(text):
    """Escape LaTeX's special characters; accents and other Unicode stay as they are."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_LATEX_TABLE)


def _ascii_word(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def citation_key(paper):
    """First author's family name, year, first significant title word: balesni2024towards.

    A paper imported from BibTeX keeps its own key. Otherwise it depends only on the
    paper's own data, so the same paper always gets the
    same key (bibtex_document() adds a suffix when two papers would collide).
    """
    if paper.citation_key:
        return paper.citation_key  # the key it was imported under, so citations stay valid
    authors = list(paper.authors)
    family = _ascii_word(authors[0].name.split()[-1]) if authors and authors[0].name.split() else ""
    words = [_ascii_word(w) for w in paper.title.split()]
    word = next((w for w in words if w and w not in _KEY_STOPWORDS), "")
    year = paper.date.year if paper.date else ""
    return f"{family or 'paper'}{year}{word}"


def entry_type(paper):
    if not paper.venue:
        return "misc"
    return "inproceedings" if is_conference(paper.venue) else "article"


def _url(value):
    return value.translate(_URL_TABLE)


def publication_bibtex(paper, full=False, *, base_url=None, key=None):
    """One BibTeX entry for paper.

    base_url ("https://host") makes uploaded files and the paper's own page
    absolute; it defaults to settings.SITE_URL. Without either, links that
    would be relative are left out.
    """
    root = (base_url if base_url is not None else site_root()).rstrip("/")
    fields = []

    def add(name, value, *, verbatim=False, bare=False):
        if not value:
            return
        if bare:
            fields.append((name, str(value)))
        else:
            text = _url(value) if verbatim else escape_latex(str(value))
            fields.append((name, "{" + text + "}"))

    names = list(paper.author_names(marks=full))
    if paper.et_al:
        names.append("others")
    add("editor" if paper.authors_are_editors else "author", " and ".join(names))
    add("title", paper.title)
    kind = entry_type(paper)
    venue = paper.venue if full else paper.venue_text
    if kind == "inproceedings":
        add("booktitle", venue)
    elif kind == "article":
        add("journal", venue)
    if paper.date:
        add("year", str(paper.date.year))
        add("month", _MONTHS[paper.date.month - 1], bare=True)
        if full and paper.date.day != 1:
            add("day", str(paper.date.day), bare=True)
    else:
        add("year", paper.date_label)
    add("url", paper.url or absolute_url(paper.get_absolute_url(), root), verbatim=True)
    if paper.arxiv_id:
        add("eprint", paper.arxiv_id, verbatim=True)
        add("archivePrefix", "arXiv")
    add("doi", paper.doi, verbatim=True)
    if full:
        if paper.highlighted:
            add("selected", "true")
        add("abbr", paper.venue_short)
        add("code", paper.code_url, verbatim=True)
        add("pdf", absolute_url(paper.pdf_link, root), verbatim=True)
        add("html", paper.url, verbatim=True)
        add("website", paper.website_url, verbatim=True)
        written = {}
        for link in paper.link_list:
            name = PaperLink.bibtex_field(link.label)
            if name == "arxiv" and paper.arxiv_id:
                continue  # already written as eprint
            written[name] = written.get(name, 0) + 1
            if written[name] > 1:
                name = f"{name}_{written[name]}"  # a field may appear once per entry
            add(name, absolute_url(link.href, root), verbatim=True)
        add("additional_info", paper.additional_info)
        add("award_name", paper.award_name)
        add("award", paper.award)
        add("keywords", ", ".join(tag.name for tag in paper.tag_list))
        add("abstract", paper.abstract)
        add("tldr", paper.tldr)
        # al-folio's annotation is HTML: lines are separated by <br>.
        add("annotation", "<br>".join(legend_lines(paper.legend)))

    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{kind}{{{key or citation_key(paper)},\n{body}\n}}\n"


def bibtex_document(papers, full=True, *, base_url=None):
    """All papers as one .bib text, in the given order, with unique keys.

    When two papers would share a key, the later ones get b, c, ... appended.
    """
    used = set()
    entries = []
    for paper in papers:
        base = key = citation_key(paper)
        n = 1
        while key in used:
            n += 1
            key = base + (chr(ord("a") + n - 1) if n <= 26 else str(n))
        used.add(key)
        entries.append(publication_bibtex(paper, full=full, base_url=base_url, key=key))
    return "\n".join(entries)
