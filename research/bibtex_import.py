"""Import papers from BibTeX, including the conventions of al-folio's papers.bib.

parse_bibtex() reads text into ParsedEntry objects plus the entries it had to
skip (with line numbers): every entry al-folio would show, read as BibTeX reads
it (fields and keys given twice, crossref, editors-only entries, undated years,
AASTeX journal macros, \\href, every link field). run_import() first plans each
entry from reads only (match by citation key, DOI, arXiv ID, title; what would
change), which is the whole preview, then writes the plan in short batches, each
one transaction with a savepoint per entry, so no write lock is held for long.
The import_bibtex command and the admin's "Import BibTeX" page both use them.
"""

import datetime
import functools
import logging
import re
from contextlib import nullcontext
from dataclasses import dataclass, field

import bibtexparser
import reversion
from bibtexparser import middlewares
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.text import slugify
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from taggit.models import Tag, TaggedItem

from pagecache.freshness import changes_marked_once, mark_changed

from .identifiers import normalize_doi, parse_arxiv_id
from .models import RESERVED_SLUGS, PaperLink, Person, PreviousSlug, Publication
from .names import (
    NameMatcher,
    comparable,
    legend_lines,
    order_marks,
    parse_legend,
    split_marks,
    tidy_legend,
)

# bibtexparser logs each syntax error itself; we report them with line and key instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
# january, jan (BibTeX's macros), sept: all to the month's number.
MONTHS = {
    **{name.lower(): n for n, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3].lower(): n for n, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_WEB_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]+)")

# AASTeX's journal macros (aas_macros.sty), as ADS exports write them: what LaTeX prints.
AAS_JOURNALS = {
    "aj": "AJ", "actaa": "Acta Astron.", "araa": "ARA&A", "apj": "ApJ", "apjl": "ApJL",
    "apjs": "ApJS", "ao": "Appl. Opt.", "apss": "Ap&SS", "aap": "A&A", "aapr": "A&A Rev.",
    "aaps": "A&AS", "azh": "AZh", "baas": "BAAS", "bac": "Bull. Astron. Inst. Czechoslovakia",
    "caa": "Chinese Astron. Astrophys.", "cjaa": "Chinese J. Astron. Astrophys.",
    "icarus": "Icarus", "jcap": "JCAP", "jrasc": "JRASC", "memras": "MmRAS", "mnras": "MNRAS",
    "na": "New Astron.", "nar": "New Astron. Rev.", "pra": "Phys. Rev. A", "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C", "prd": "Phys. Rev. D", "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.", "pasa": "PASA", "pasp": "PASP", "pasj": "PASJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.", "qjras": "QJRAS", "skytel": "S&T",
    "solphys": "Sol. Phys.", "sovast": "Soviet Ast.", "ssr": "Space Sci. Rev.", "zap": "ZAp",
    "nat": "Nature", "iaucirc": "IAU Circ.", "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.", "bain": "Bull. Astron. Inst. Netherlands",
    "fcp": "Fund. Cosmic Phys.", "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.", "jcp": "J. Chem. Phys.", "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spectrosc. Radiat. Transfer", "memsai": "Mem. Soc. Astron. Italiana",
    "nphysa": "Nucl. Phys. A", "physrep": "Phys. Rep.", "physscr": "Phys. Scr",
    "planss": "Planet. Space Sci.", "procspie": "Proc. SPIE", "psj": "PSJ",
}  # fmt: skip

_decoder_context = get_default_latex_context_db()
# \url{x} is x, not <x>; the text-mode escapes for braces and ^ are the plain characters.
_decoder_context.add_context_category(
    "homepage",
    prepend=True,
    macros=[
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("textbraceleft", simplify_repl="{"),
        MacroTextSpec("textbraceright", simplify_repl="}"),
        MacroTextSpec("textasciicircum", simplify_repl="^"),
        *(MacroTextSpec(name, simplify_repl=text) for name, text in AAS_JOURNALS.items()),
    ],
)
_DECODER = LatexNodes2Text(latex_context=_decoder_context, math_mode="verbatim")
# Text without these needs no LaTeX decoding at all (most names and many titles).
_NEEDS_DECODING = re.compile(r"[\\{}$~`\"]|--|''|(?<!\\)[%&]")
# \href{url}{text}: pylatexenc cannot read it; it becomes its text, the URL a link.
_HREF_RE = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_URL_IN_TEXT_RE = re.compile(r"https?://[^\s{}<>\"]+", re.IGNORECASE)


class _ResolveConcatenation(middlewares.LibraryMiddleware):
    """Join values written with BibTeX's # (booktitle = {Proc. } # conf).

    bibtexparser resolves a value that is only a @string name; this handles
    concatenations of braced or quoted text, numbers, @string names and month names.
    """

    @classmethod
    def metadata_key(cls):
        return "homepage_concatenation"

    def transform(self, library):
        strings = {key.lower(): _unenclose(s.value) for key, s in library.strings_dict.items()}
        for entry in library.entries:
            for entry_field in entry.fields:
                value = entry_field.value
                if isinstance(value, str) and "#" in value:
                    parts = _split_top_level(value)
                    if len(parts) > 1:
                        joined = "".join(_resolve_part(p, strings) for p in parts)
                        entry_field.value = "{" + joined + "}"
        return library


class _KeepDuplicates(middlewares.LibraryMiddleware):
    """Entries bibtexparser sets aside as duplicates become entries again, as BibTeX reads them.

    A field given twice keeps its last value; a key used twice keeps both entries
    (the second under a private key, its own key kept in `original_keys`). Each
    case leaves a warning for the entry in `notes`, by the entry's first line.
    """

    def __init__(self):
        super().__init__()
        self.notes = {}
        self.original_keys = {}

    @classmethod
    def metadata_key(cls):
        return "homepage_duplicates"

    def transform(self, library):
        blocks, first_line = [], {}
        for block in library.blocks:
            if isinstance(block, DuplicateFieldKeyBlock):
                block = self._last_values(block)
            elif isinstance(block, DuplicateBlockKeyBlock):
                if not isinstance(block.ignore_error_block, Entry):
                    continue  # a second @string of a name: BibTeX warns and keeps the first
                block = block.ignore_error_block
            if isinstance(block, Entry):
                line = (block.start_line or 0) + 1
                key = block.key
                if key in first_line:
                    self.notes.setdefault(line, []).append(
                        f"the key “{key}” is also used by the entry on line {first_line[key]}: "
                        "both are imported"
                    )
                    self.original_keys[line] = key
                    block.key = f"{key}\x00{line}"
                else:
                    first_line[key] = line
            blocks.append(block)
        return Library(blocks=blocks, fail_on_duplicate_key=False)

    def _last_values(self, block):
        entry = block.ignore_error_block
        by_name = {}
        for entry_field in entry.fields:
            by_name[entry_field.key.lower()] = entry_field  # the last one wins, as in BibTeX
        entry.fields = list(by_name.values())
        line = (entry.start_line or 0) + 1
        names = ", ".join(sorted(k.lower() for k in block.duplicate_keys))
        self.notes.setdefault(line, []).append(f"{names} given twice: the last value is kept")
        return entry


def _split_top_level(value):
    parts, depth, quoted, start = [], 0, False, 0
    for i, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    return [*parts, value[start:]]


def _unenclose(value):
    value = value.strip()
    if len(value) > 1 and (value[0], value[-1]) in {("{", "}"), ('"', '"')}:
        return value[1:-1]
    return value


def _resolve_part(part, strings):
    part = part.strip()
    if part[:1] in {"{", '"'} or part.isdigit():
        return _unenclose(part)
    if part.lower() in strings:
        return strings[part.lower()]
    month = MONTHS.get(part.lower())
    return _MONTH_NAMES[month - 1] if month else part


class BibtexError(ValueError):
    """The text as a whole is not something to import (empty, or not BibTeX)."""


@functools.lru_cache(maxsize=65536)
def _decode(value):
    if not _NEEDS_DECODING.search(value):
        return value
    # In a .bib value a bare % or & is meant literally (it is no comment or table cell there).
    return _DECODER.latex_to_text(re.sub(r"(?<!\\)([%&])", r"\\\1", value))


def latex_to_text(value):
    """LaTeX (accents, commands, braces, dashes) as plain UTF-8 on one line."""
    return " ".join(_decode(_HREF_RE.sub(r"\2", value or "")).split())


def latex_to_markdown(value):
    """Like latex_to_text, but line breaks stay: abstracts and tl;drs are Markdown here.

    The indentation of .bib files is dropped, and runs of blank lines become one.
    """
    lines = [line.strip() for line in _decode(_HREF_RE.sub(r"\2", value or "")).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class ParsedAuthor:
    name: str
    marks: str = ""  # as printed after the name, in order: "*†"


@dataclass
class ParsedEntry:
    key: str
    line: int
    values: dict
    authors: list
    tags: list = field(default_factory=list)
    highlighted: bool | None = None
    arxiv_id: str = ""
    links: list = field(default_factory=list)  # (label, url) in order
    files: dict = field(default_factory=dict)  # pdf/preview/slides/poster: local file name
    warnings: list = field(default_factory=list)

    @property
    def title(self):
        return self.values["title"]


@dataclass
class Problem:
    key: str
    line: int | None
    message: str


@dataclass
class ParseResult:
    entries: list
    problems: list


class _Skip(Exception):
    pass


def parse_bibtex(text, *, highlight_selected=True):
    """Read BibTeX text; BibtexError when it holds no entries at all.

    No entry can stop the others: one that cannot be read is a Problem with its
    line and the reason, and the rest are read.
    """
    if not (text or "").strip():
        raise BibtexError("The BibTeX is empty: paste entries or choose a .bib file.")
    duplicates = _KeepDuplicates()
    library = bibtexparser.parse_string(
        text,
        parse_stack=[
            duplicates,
            _ResolveConcatenation(),
            *middlewares.default_parse_stack(),
            middlewares.NormalizeFieldKeys(),
        ],
    )
    problems = [_failed_block_problem(block) for block in library.failed_blocks]
    raw_entries = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        key = duplicates.original_keys.get(line, entry.key)
        raw = {f.key.lower(): f.value.strip() for f in entry.fields if isinstance(f.value, str)}
        raw_entries.append((key, line, entry.entry_type.lower(), raw))
    parents = {key.lower(): (kind, raw) for key, _, kind, raw in raw_entries}

    entries = []
    for key, line, kind, raw in raw_entries:
        try:
            warnings = list(duplicates.notes.get(line, []))
            raw = _with_crossref(raw, parents, warnings)
            entries.append(_read_entry(key, line, kind, raw, warnings, highlight_selected))
        except _Skip as reason:
            problems.append(Problem(key, line, str(reason)))
        except Exception as error:  # noqa: BLE001 (any failure skips this entry only)
            problems.append(
                Problem(key, line, f"it could not be read ({type(error).__name__}: {error})")
            )
    if not entries and not problems:
        raise BibtexError(
            "No BibTeX entries found. Entries look like @article{key, title = {…}, …}."
        )
    problems.sort(key=lambda p: p.line or 0)
    return ParseResult(entries, problems)


def _failed_block_problem(block):
    line = (block.start_line or 0) + 1
    match = _KEY_RE.match(block.raw or "")
    key = match[1] if match else ""
    return Problem(key, line, "not valid BibTeX (an unclosed brace or quote, or a missing comma?)")


def _with_crossref(raw, parents, warnings):
    """raw completed from the entry its crossref names, as BibTeX does."""
    ref = raw.get("crossref", "").strip("{} ")
    if not ref:
        return raw
    if ref.lower() not in parents:
        warnings.append(f"crossref “{ref}” names no entry of this file")
        return raw
    kind, parent = parents[ref.lower()]
    merged = dict(raw)
    for name, value in parent.items():
        if name not in merged and name not in {"crossref", "key", "selected", "preview"}:
            merged[name] = value
    # A proceedings' or book's title is the booktitle of what it contains.
    if "booktitle" not in raw and parent.get("title"):
        merged["booktitle"] = parent["title"]
        if raw.get("title"):
            merged["title"] = raw["title"]
    return merged


# Where the venue is, by entry type: booktitle first for papers in proceedings
# (ADS adds a journal field to those too), journal first otherwise.
_VENUE_FIELDS = ("journal", "journaltitle", "booktitle", "school", "institution", "howpublished")
_BOOKTITLE_FIRST = {"inproceedings", "incollection", "conference", "inbook"}
# Fields whose values are links (al-folio's buttons), in al-folio's order after the
# primary link; arxiv and hal hold IDs.
_LINK_FIELDS = ("arxiv", "html", "supp", "blog", "poster", "slides", "video", "hal")
# Fields that hold a URL but are no link to show, or are read elsewhere.
_NOT_LINKS = {"url", "doi", "pdf", "code", "website", "preview", "eprint", "urldate", "file"}
_LOCAL_FILE_FIELDS = ("pdf", "preview", "slides", "poster")
# Names that stand for more authors, not for a person.
_ET_AL_RE = re.compile(
    r"^(?:others|et\.?\s*al\.?|\.{3}|…|\+\s*\d+\s+(?:more\s+)?authors?|\d+\s+more\s+authors?)$",
    re.IGNORECASE,
)
_TRAILING_ET_AL_RE = re.compile(r"\s*,?\s+et\.?\s*al\.?$", re.IGNORECASE)


def _read_entry(key, line, kind, raw, warnings, highlight_selected):
    # A NUL byte means a damaged file; PostgreSQL cannot store it in text at all.
    damaged = sorted(name for name, value in raw.items() if "\x00" in value)
    if damaged:
        raise _Skip(f"a NUL character (a damaged file?) in {', '.join(damaged)}")

    href_urls = [url for name in raw for url, _ in _HREF_RE.findall(raw[name])]
    # Mendeley writes several addresses into one url field: the first is the link.
    more_urls = raw.get("url", "").split()
    if len(more_urls) > 1 and all(_WEB_RE.match(u) for u in more_urls):
        raw = {**raw, "url": more_urls[0]}
    more_urls = more_urls[1:] if len(more_urls) > 1 else []

    def text(name):
        return latex_to_text(raw.get(name, ""))

    title = text("title")
    if not title:
        raise _Skip("it has no title")
    et_al = False
    authors, more = _authors(raw.get("author", ""))
    editors = False
    if not authors and raw.get("editor"):
        authors, more = _authors(raw["editor"])
        editors = bool(authors)
    if not authors:
        raise _Skip("it has no author or editor")
    et_al = more

    doi = normalize_doi(raw.get("doi", ""))
    raw, venue_arxiv_id = _arxiv_in_venue(raw)
    arxiv_id = _arxiv_id(raw) or venue_arxiv_id
    # al-folio's html is the paper's own page, so it is a primary link when url is missing.
    url = _link(raw, "url", warnings)
    primary_from = "url" if url else ""
    if not url:
        url = _link(raw, "html", warnings)
        primary_from = "html" if url else ""
    if not url and arxiv_id:
        url, primary_from = f"https://arxiv.org/abs/{arxiv_id}", "arxiv"
    elif not url and doi:
        url = f"https://doi.org/{doi}"
    elif not url and href_urls and _WEB_RE.match(href_urls[0]):
        url = href_urls[0]

    date, date_label = _date(raw, warnings)
    venue_fields = _VENUE_FIELDS
    if kind in _BOOKTITLE_FIRST:
        venue_fields = ("booktitle", *(f for f in _VENUE_FIELDS if f != "booktitle"))
    venue = next((v for v in map(text, (*venue_fields, "note")) if v and not _WEB_RE.match(v)), "")
    award = latex_to_markdown(raw.get("award", ""))
    values = {
        "title": title,
        "date": date,
        "date_label": date_label,
        "venue": venue[:300],
        "venue_short": text("abbr")[:50],
        "additional_info": latex_to_markdown(raw.get("additional_info", "")),
        "award_name": (text("award_name") or ("Award" if award else ""))[:100],
        "award": award,
        "et_al": et_al,
        "authors_are_editors": editors,
        "citation_key": key[:200],
        "url": url,
        "doi": doi,
        "abstract": latex_to_markdown(raw.get("abstract", "")),
        "tldr": latex_to_markdown(raw.get("tldr", "")),
        "code_url": _link(raw, "code", warnings),
        "website_url": _link(raw, "website", warnings),
        "pdf_url": _link(raw, "pdf", warnings, local_note="PDF file"),
        "legend": _legend(raw.get("annotation", ""), authors, warnings),
    }
    files = {}
    for name in _LOCAL_FILE_FIELDS:
        value = raw.get(name, "").strip()
        if value and not _WEB_RE.match(value):
            files[name] = value
    if "preview" in files:
        warnings.append(
            f"preview image “{files['preview']}” is not fetched: upload it as the thumbnail "
            "(or attach it with “Attach files to imported papers”)"
        )

    links = _extra_links(raw, primary_from, url, arxiv_id, warnings, more_urls)

    highlighted = None
    selected = raw.get("selected", "").strip("{} ").lower()
    if highlight_selected and selected in _TRUE | _FALSE:
        highlighted = selected in _TRUE

    tags = []
    for tag in re.split(r"[,;]", text("keywords")):
        tag = tag.strip()[:100]
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)

    return ParsedEntry(
        key=key,
        line=line,
        # Booleans are always set, so a re-import can clear them; other fields only when given.
        values={k: v for k, v in values.items() if v or isinstance(v, bool) or k == "date"},
        authors=authors,
        tags=tags,
        highlighted=highlighted,
        arxiv_id=arxiv_id,
        links=links,
        files=files,
        warnings=warnings,
    )


def _extra_links(raw, primary_from, url, arxiv_id, warnings, more_urls=()):
    """Every link field other than the primary link, labelled as al-folio labels it."""
    links, seen = [], {url} if url else set()
    for value in more_urls:
        if _WEB_RE.match(value) and value not in seen:
            seen.add(value)
            links.append(("Link", value[:500]))

    def add(name, value):
        if value and value not in seen:
            seen.add(value)
            links.append((PaperLink.label_for(name), value[:500]))

    for name in _LINK_FIELDS:
        if name == primary_from or not raw.get(name):
            continue
        if name == "arxiv":
            if arxiv_id:
                add(name, f"https://arxiv.org/abs/{arxiv_id}")
            continue
        if name == "hal" and not _WEB_RE.match(raw[name]):
            add(name, f"https://hal.science/{raw[name].strip()}")
            continue
        value = _link(raw, name, warnings)
        add(name, value)
    # The arXiv ID of an entry whose primary link is elsewhere (a journal page).
    if arxiv_id and primary_from != "arxiv" and "arxiv" not in raw:
        add("arxiv", f"https://arxiv.org/abs/{arxiv_id}")
    for name, value in raw.items():
        if name in _NOT_LINKS or name in _LINK_FIELDS:
            continue
        plain = re.sub(r"\\([_%&#~$])", r"\1", value.strip("{} "))
        plain = re.sub(r"^\\url\s*\{([^{}]*)\}?$", r"\1", plain)  # howpublished = {\url{…}}
        if _WEB_RE.match(plain):
            add(name, plain)
    return links


def _authors(value):
    """(authors, more): the people named, and whether the list says there are more."""
    authors, more = [], False
    for raw_name in split_multiple_persons_names(value):
        name, marks, stands_for_more = _read_name(raw_name)
        more = more or stands_for_more
        if name:
            authors.append(ParsedAuthor(name, marks=marks))
    return authors, more


@functools.lru_cache(maxsize=65536)
def _read_name(raw_name):
    """(name, marks, whether it says there are more authors) for one name of an author list.

    Cached: a researcher's file prints the same few hundred names on paper after
    paper, and reading one (BibTeX's name rules, LaTeX decoding) is most of the
    cost of reading an entry. An unreadable name raises _Skip (never cached).
    """
    stripped = raw_name.strip(" ,")
    if _ET_AL_RE.match(latex_to_text(stripped)):
        return "", "", True
    more = False
    if _TRAILING_ET_AL_RE.search(stripped):
        stripped = _TRAILING_ET_AL_RE.sub("", stripped)
        more = True
    unmarked, marks = split_marks(stripped)
    try:
        parts = parse_single_name_into_parts(unmarked, strict=True)
    except InvalidNameError as error:
        raise _Skip(f"the author “{raw_name}” cannot be read ({error.args[-1]})") from None
    words = [latex_to_text(word) for word in (*parts.first, *parts.von, *parts.last, *parts.jr)]
    # A mark written as a command ({\dag}) only shows once decoded.
    name, decoded_marks = split_marks(" ".join(w for w in words if w))
    marks += "".join(m for m in decoded_marks if m not in marks)
    return name[:200], marks, more


def _legend(annotation, authors, warnings):
    """al-folio's annotation (HTML, <br> between lines) as this site's legend, one line each.

    al-folio shows annotation as the legend of the author marks, but Zotero (Better
    BibLaTeX) writes its free "Extra" field there too, often a citation count
    ("00063"). Printed under the authors that would be a false footnote, so the
    annotation is a legend only when it explains a mark or the paper marks authors.
    """
    if not annotation.strip():
        return ""
    legend = tidy_legend("\n".join(latex_to_text(line) for line in legend_lines(annotation)))
    if parse_legend(legend)[0] or any(author.marks for author in authors):
        return legend
    warnings.append(
        f"annotation “{_shorten(legend)}” explains no author mark and no author is marked: "
        "ignored (not a legend)"
    )
    return ""


def _shorten(text, limit=80):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Google Scholar puts a preprint's arXiv ID only in its venue: "arXiv preprint arXiv:1011.1508".
_ARXIV_IN_VENUE_RE = re.compile(
    r"^(?P<venue>.*?)[\s,]*\barxiv:\s*(?P<id>\S+?)[.,]?$", re.IGNORECASE
)


def _arxiv_in_venue(raw):
    """(raw, arXiv ID): the ID taken out of a Scholar-style journal, which keeps its words."""
    for name in ("journal", "journaltitle"):
        match = _ARXIV_IN_VENUE_RE.match(latex_to_text(raw.get(name, "")).strip())
        if not match:
            continue
        try:
            arxiv_id = parse_arxiv_id(match["id"])[0]
        except ValueError:
            continue
        # The ID becomes the paper's arXiv link; the venue is what is left ("arXiv preprint").
        return {**raw, name: match["venue"].strip() or "arXiv"}, arxiv_id
    return raw, ""


def _arxiv_id(raw):
    candidates = [raw.get("arxiv", "")]
    prefix = (raw.get("archiveprefix") or raw.get("eprinttype") or "").lower()
    if prefix == "arxiv" or not prefix:
        candidates.append(raw.get("eprint", ""))
    # An arXiv link as the url or the PDF (Paper.arxiv_id reads both, so the export
    # writes it back as eprint).
    candidates += [raw.get("url", ""), raw.get("pdf", "")]
    for candidate in candidates:
        try:
            return parse_arxiv_id(candidate)[0]
        except ValueError:
            continue
    return ""


_DAY_MONTH_RE = re.compile(
    r"^(?:(\d{1,2})\.?\s*([^\d\s.,]+)|([^\d\s.,]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?)$"
)


def _date(raw, warnings):
    """(date, label): the date, or None and a label such as “Preprint” for an undated entry."""
    if raw.get("date"):
        # biblatex: 2023-09-21, 2023-09, 2023, or a range 2023-09-21/2023-09-23.
        match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", raw["date"].strip("{} "))
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            return _make_date(year, month or 1, day or 1), ""
    year_text = latex_to_text(raw.get("year", "")).strip()
    year_match = re.search(r"\b\d{4}\b", year_text)
    if not year_match:
        return None, undated_label(year_text, latex_to_text(raw.get("pubstate", "")))
    month, day = _month_and_day(
        latex_to_text(raw.get("month", "")).strip(" .").lower(), raw, warnings
    )
    if raw.get("day", "").strip("{} ").isdigit():
        day = int(raw["day"].strip("{} "))
    return _make_date(int(year_match[0]), month, day), ""


def undated_label(year_text, pubstate=""):
    """What an undated paper is listed under: its year text (“Preprint”), else its state."""
    # al-folio shows these under their year text: “Preprint”, “in press”, “forthcoming”.
    label = year_text.strip(" .()")[:50] or pubstate.strip()[:50]
    return (label[:1].upper() + label[1:]) if label else "Undated"


def _month_and_day(month_text, raw, warnings):
    if not month_text:
        return 1, 1
    if month_text.isdigit() and 1 <= int(month_text) <= 12:
        return int(month_text), 1
    if month_text in MONTHS or month_text[:3] in MONTHS:
        return MONTHS.get(month_text) or MONTHS[month_text[:3]], 1
    # “28 Nov”, “Nov. 28”, “November 28th”.
    match = _DAY_MONTH_RE.match(month_text)
    if match:
        day = match[1] or match[4]
        name = (match[2] or match[3]).strip(".")
        month = MONTHS.get(name) or MONTHS.get(name[:3])
        if month and 1 <= int(day) <= 31:
            return month, int(day)
    warnings.append(f"month “{raw['month']}” is not a month; January is used")
    return 1, 1


def _make_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _Skip(f"{year}-{month}-{day} is not a date") from None


def _link(raw, name, warnings, local_note=""):
    # Some .bib files escape URLs as if they were text (a\_b); a URL has no such escapes.
    value = re.sub(r"\\([_%&#~$])", r"\1", raw.get(name, "")).strip()
    value = _HREF_RE.sub(r"\1", value)
    if value.startswith("\\url"):
        value = value[4:].strip("{} ")
    if not value or _WEB_RE.match(value):
        return value[:500]
    # al-folio names local files (pdf = {paper.pdf}); those are not on the web to fetch.
    what = local_note or f"{name} link"
    warnings.append(f"{what} “{value}” is not a web address: upload or link it in the admin")
    return ""


@dataclass
class Outcome:
    action: str  # created, updated, unchanged or skipped
    key: str
    line: int | None
    title: str = ""
    changes: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    paper: Publication | None = None
    entry: ParsedEntry | None = None


@dataclass
class ImportReport:
    outcomes: list
    dry_run: bool
    notes: list = field(default_factory=list)  # about the import as a whole (the owner)

    def _of(self, action):
        return [o for o in self.outcomes if o.action == action]

    @property
    def created(self):
        return self._of("created")

    @property
    def updated(self):
        return self._of("updated")

    @property
    def unchanged(self):
        return self._of("unchanged")

    @property
    def skipped(self):
        return self._of("skipped")

    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )


@dataclass
class OwnerSpec:
    """Who the site owner is, as the import is told: a full name and/or al-folio's lists.

    `name` ("Kyle A. Oman") makes that person the owner when the site has none;
    `last_names`/`first_names` are al-folio's `scholar:` lists from _config.yml.
    Authors whose family name is the owner's and whose given names or initials
    agree with one of these spellings are the owner.
    """

    name: str = ""
    last_names: list = field(default_factory=list)
    first_names: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.name.strip() or (self.last_names and self.first_names))

    @property
    def full_name(self):
        if self.name.strip():
            return " ".join(self.name.split())
        first = split_marks(str(self.first_names[0]))[0]
        last = split_marks(str(self.last_names[0]))[0]
        return f"{first} {last}"

    def matcher(self):
        names = [self.name] if self.name.strip() else []
        return NameMatcher(names, last_names=self.last_names, first_names=self.first_names)


def read_alfolio_config(text):
    """OwnerSpec and max_author_limit from an al-folio _config.yml; BibtexError if unreadable."""
    import yaml

    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" on line {mark.line + 1}" if mark else ""
        raise BibtexError(f"_config.yml is not valid YAML{where}.") from None
    scholar = config.get("scholar") if isinstance(config, dict) else None
    if not isinstance(scholar, dict):
        raise BibtexError("_config.yml has no “scholar:” section with last_name and first_name.")

    def names(key):
        value = scholar.get(key) or []
        return [str(v) for v in (value if isinstance(value, list) else [value]) if str(v).strip()]

    spec = OwnerSpec(last_names=names("last_name"), first_names=names("first_name"))
    if not spec:
        raise BibtexError("_config.yml lists no scholar: last_name and first_name.")
    limit = config.get("max_author_limit")
    return spec, limit if isinstance(limit, int) and limit > 0 else None


def _ensure_owner(spec):
    """(owner or None, matcher, messages); makes spec's person the owner if there is none."""
    messages = []
    owner = Person.objects.owner()
    if spec and owner is None:
        name = spec.full_name
        owner = Person.objects.by_name().get(comparable(name))
        if owner is None:
            owner = Person(name=name)
            messages.append(f"new person: {name}, the site owner")
        else:
            messages.append(f"{owner.name} is now the site owner")
        owner.is_owner = True
        owner.full_clean()
        owner.save()
    elif (
        spec.name.strip()
        and not owner.name_matcher().matches(spec.name)
        and comparable(spec.name) not in map(comparable, [owner.name, *owner.alias_list])
    ):
        raise BibtexError(
            f"The site owner is {owner.name}, not {spec.full_name}. To change the "
            "owner, untick “site owner” on that person in People first."
        )
    if owner is None:
        return None, NameMatcher(), messages
    matcher = owner.name_matcher()
    matcher.spellings += spec.matcher().spellings
    return owner, matcher, messages


def _owner_for_preview(spec):
    """What _ensure_owner() would give, without writing: (owner or None, matcher, messages)."""
    if not spec or Person.objects.owner() is not None:
        return _ensure_owner(spec)  # writes nothing when the site has its owner
    name = spec.full_name
    owner = Person.objects.by_name().get(comparable(name))
    if owner is None:
        owner, message = Person(name=name, is_owner=True), f"new person: {name}, the site owner"
        matcher = spec.matcher()
    else:
        message = f"{owner.name} is now the site owner"
        matcher = owner.name_matcher()
        matcher.spellings += spec.matcher().spellings
    return owner, matcher, [message]


# Entries saved per transaction: each batch holds the database's write lock for a
# moment only, so editors and logins elsewhere never wait long.
BATCH_SIZE = 50


def run_import(
    parsed, *, dry_run=False, owner=None, batch_size=BATCH_SIZE, on_batch=None, history=None
):
    """Save parsed entries in short batches (each entry on its own savepoint).

    `owner` (an OwnerSpec) says who the site owner is; authors who are the owner
    under another spelling are matched to them (BibtexError when the owner given
    conflicts with the site's). With dry_run nothing is written at all: the plan
    the real run follows is made from reads only, so a preview takes no write
    lock. on_batch(done, total), when given, is called after each saved batch
    (progress). history, when given, is a callable returning a context manager
    for each batch (the admin passes a django-reversion revision).
    """
    outcomes = [Outcome("skipped", p.key, p.line, messages=[p.message]) for p in parsed.problems]
    if dry_run:
        person, matcher, notes = _owner_for_preview(owner or OwnerSpec())
        plans = _Planner(person, matcher).plan(parsed.entries)
        outcomes += [plan.outcome(dry_run=True) for plan in plans]
    else:
        with transaction.atomic():
            # The owner is set up in a transaction of its own, before any paper.
            person, matcher, notes = _ensure_owner(owner or OwnerSpec())
        plans = _Planner(person, matcher).plan(parsed.entries)
        people, tags = _People(), _Tags()
        slugs = set(Publication.objects.values_list("slug", flat=True))
        for start in range(0, len(plans), batch_size):
            with transaction.atomic(), changes_marked_once(), (history or nullcontext)():
                rows = _Rows()
                for plan in plans[start : start + batch_size]:
                    outcomes.append(_apply(plan, people, tags, slugs, rows))
                rows.save()
            if on_batch:
                on_batch(min(start + batch_size, len(plans)), len(plans))
    outcomes.sort(key=lambda o: o.line or 0)
    return ImportReport(outcomes, dry_run, notes)


@dataclass
class _Plan:
    entry: ParsedEntry
    paper: Publication
    created: bool
    changes: list
    messages: list
    authors: list  # (person or None for a new one, comparable name, marks, printed name)
    authors_changed: bool
    tags_changed: bool
    links_changed: bool
    errors: list = field(default_factory=list)
    key_changed: bool = False
    link_plan: "LinkPlan | None" = None  # for a paper already on the site

    def outcome(self, *, dry_run=False, paper=None):
        entry = self.entry
        if self.errors:
            return Outcome("skipped", entry.key, entry.line, entry.title, messages=self.errors)
        if self.created:
            action = "created"
        elif self.changes:
            action = "updated"
        else:
            action = "unchanged"
        return Outcome(
            action,
            entry.key,
            entry.line,
            self.paper.title,
            changes=[] if self.created else self.changes,
            messages=self.messages,
            # In a preview, the paper already on the site (none for one to create).
            paper=paper or (None if self.created else self.paper),
            entry=entry,
        )


def _validation_messages(error):
    return [
        f"{name}: {message}" if name != "__all__" else message
        for name, errors in error.message_dict.items()
        for message in errors
    ]


class _Planner:
    """Works out, from reads only, what importing each entry will do."""

    def __init__(self, owner=None, matcher=None):
        self.owner, self.matcher = owner, matcher
        self.people = Person.objects.by_name()
        self.owner_spellings = {}  # printed name: whether it is the owner's (asked once each)
        self.new_people = set()
        # In the order the papers were made, so two entries of a file sharing a key (or a
        # DOI) find their own papers again, in file order, not swapped by the listing order.
        rows = list(
            Publication.objects.order_by("pk").values_list(
                "pk", "citation_key", "doi", "url", "pdf_url", "title"
            )
        )
        self.by = {"key": {}, "doi": {}, "arxiv": {}, "title": {}}
        for pk, key, doi, url, pdf_url, title in rows:
            self._index("key", key, pk)
            self._index("doi", doi.lower(), pk)
            for link in (url, pdf_url):
                try:
                    self._index("arxiv", parse_arxiv_id(link)[0].lower(), pk)
                    break
                except ValueError:
                    continue
            self._index("title", comparable(title), pk)
        self.claimed = {}  # pk: the entry of this file that took the paper
        self.seen = {"doi": {}, "arxiv": {}, "title": {}}  # identifier: first entry with it
        self.papers = Publication.objects.in_bulk([pk for pk, *_ in rows]) if rows else {}

    @staticmethod
    def _identifiers(entry):
        wanted = [
            ("doi", entry.values.get("doi", "").lower()),
            ("arxiv", entry.arxiv_id.lower()),
            ("title", comparable(entry.title)),
        ]
        return [(kind, value) for kind, value in wanted if value]

    def _index(self, kind, value, pk):
        if value:
            self.by[kind].setdefault(value, []).append(pk)

    def _match(self, entry):
        """(paper pk or None, the earlier entry of this file that holds the match, how)."""
        blocked = None
        wanted = [
            ("key", entry.key),
            ("doi", entry.values.get("doi", "").lower()),
            ("arxiv", entry.arxiv_id.lower()),
            ("title", comparable(entry.title)),
        ]
        for kind, value in wanted:
            for pk in self.by[kind].get(value, []) if value else []:
                if pk not in self.claimed:
                    return pk, None, kind
                if blocked is None and kind != "key":
                    blocked = (self.claimed[pk], kind)
        return None, blocked, None

    def _owner_spelling(self, name):
        if name not in self.owner_spellings:
            self.owner_spellings[name] = self.matcher.matches(name)
        return self.owner_spellings[name]

    def plan(self, entries):
        plans = []
        prefetched = {}
        if self.papers:
            for paper in Publication.objects.filter(pk__in=self.papers).prefetch_related(
                "tags", "links", "authorships"
            ):
                prefetched[paper.pk] = paper
        for entry in entries:
            plans.append(self._plan(entry, prefetched))
        return plans

    def _plan(self, entry, prefetched):
        messages = list(entry.warnings)
        pk, _, _ = self._match(entry)
        # Two entries of one file are two papers, even when they share an identifier.
        for kind, value in self._identifiers(entry):
            other = self.seen[kind].setdefault(value, entry)
            if other is not entry:
                what = {"doi": "DOI", "arxiv": "arXiv ID", "title": "title"}[kind]
                messages.append(
                    f"same {what} as entry “{other.key}” (line {other.line}): "
                    "imported as a separate paper"
                )
                break
        created = pk is None
        paper = Publication(status=Publication.Status.PUBLISHED) if created else prefetched[pk]
        if not created:
            self.claimed[pk] = entry
        changes = []
        values = dict(entry.values)
        if entry.highlighted is not None:
            values["highlighted"] = entry.highlighted
        if "date" in values and values["date"] is None and not created and paper.date:
            # An undated entry does not undo a date the paper has (a preprint now out).
            values.pop("date")
            values.pop("date_label", None)
        # The key and the local file names are bookkeeping, not content: storing them
        # on a paper is no change to report.
        key = values.pop("citation_key", "")
        key_changed = not created and (
            paper.citation_key != key or (entry.files and paper.local_files != entry.files)
        )
        named_before = dict(paper.local_files or {}) if not created else {}
        paper.citation_key = key
        if entry.files:
            paper.local_files = entry.files
        for name, value in values.items():
            if getattr(paper, name) != value:
                setattr(paper, name, value)
                changes.append(str(Publication._meta.get_field(name).verbose_name))
        errors = []
        try:
            paper.full_clean(exclude=["slug"], validate_unique=False)
        except ValidationError as error:
            errors = _validation_messages(error)

        # As Person.objects.authors_for() matches them, but without creating anyone.
        authors, seen = [], set()
        keys = [comparable(author.name) for author in entry.authors]
        owner = self.owner
        owner_named = owner is not None and any(
            self.people.get(key) is not None and self.people.get(key) == owner for key in keys
        )
        for author, key in zip(entry.authors, keys, strict=True):
            person = self.people.get(key)
            if (
                owner is not None
                and person != owner
                and not owner_named
                and self.matcher is not None
                and self._owner_spelling(author.name)
                and all(p is not owner for p, _, _, _ in authors)
            ):
                person = owner
                messages.append(f"{author.name} is the site owner ({owner.name})")
            if person is None and key not in self.new_people:
                try:
                    Person(name=author.name).full_clean(validate_constraints=False)
                except ValidationError as error:
                    errors += _validation_messages(error)
                self.new_people.add(key)
                messages.append(f"new person: {author.name}")
            identity = person.pk if person is not None and person.pk else (person or key)
            if identity in seen:
                messages.append(f"{author.name} is listed twice; kept the first")
                continue
            seen.add(identity)
            try:
                marks = order_marks(author.marks)
            except ValueError as error:
                errors.append(f"authors: {error}")
                marks = author.marks
            authors.append((person, key, marks, author.name))
        if created:
            authors_changed = True
        else:
            current = [
                (a.person_id, a.marks, a.printed_name)
                for a in sorted(paper.authorships.all(), key=lambda a: (a.position, a.pk))
            ]
            wanted = []
            for person, _key, marks, printed in authors:
                if person is None or person.pk is None:
                    wanted = None
                    break
                wanted.append((person.pk, marks, "" if printed == person.name else printed))
            authors_changed = wanted != current
        if authors_changed and not created:
            changes.append("authors")

        tags_changed = bool(entry.tags) and (
            created
            or sorted(t.name.casefold() for t in paper.tags.all())
            != sorted(t.casefold() for t in entry.tags)
        )
        if tags_changed and not created:
            changes.append("tags")
        link_plan = None if created else plan_links(paper.links.all(), entry, named_before)
        links_changed = bool(entry.links) and (created or link_plan.changed)
        for label, url in entry.links:
            try:
                PaperLink(label=label, url=url).clean_fields(exclude=["publication"])
            except ValidationError as error:
                errors += [f"{label} link: {m}" for m in _validation_messages(error)]
        if not created and (links_changed or link_plan.stale):
            changes.append("links")
        return _Plan(
            entry, paper, created, changes, messages, authors, authors_changed,
            tags_changed, links_changed, errors, key_changed, link_plan,
        )  # fmt: skip


@dataclass
class LinkPlan:
    """How a re-import changes a paper's links without losing the files attached to them.

    The .bib gives only web links; a slides or poster file attached afterwards (by
    import_site, "Attach files to imported papers" or the editor) is a link with a
    file and no URL, which the .bib cannot describe. Comparing and rebuilding the
    web links only keeps those files: a second import of the same file sees no
    change, and a changed link list keeps every attached file whose link keeps its
    label and whose file the .bib still names the same way. A file is dropped only
    when the .bib now names another file for it (slides = {new.pdf}): the old
    file is no longer that paper's slides.
    """

    current: list
    wanted: list  # (label, url) from the .bib, in order
    stale: list  # file links whose file the .bib now names differently

    @property
    def changed(self):
        return [(link.label, link.url) for link in self.current if link.url] != self.wanted

    def apply(self, paper, *, rebuild):
        """Delete and reorder here; return the new links (written with the batch)."""
        stale = {link.pk for link in self.stale}
        if not rebuild:
            PaperLink.objects.filter(pk__in=stale).delete()
            return []
        # A web link that also carries a file (added in the editor) is reused as is.
        reusable = {(link.label, link.url): link for link in self.current if link.url and link.file}
        files_only = [link for link in self.current if not link.url and link.pk not in stale]
        kept, new = [], []
        for position, (label, url) in enumerate(self.wanted):
            link = reusable.pop((label, url), None)
            if link is None:
                new.append(PaperLink(publication=paper, position=position, label=label, url=url))
            else:
                link.position = position
                kept.append(link)
        # Attached files follow the .bib's links, in the order they had.
        for position, link in enumerate(files_only, start=len(self.wanted)):
            link.position = position
            kept.append(link)
        PaperLink.objects.filter(publication=paper).exclude(
            pk__in=[link.pk for link in kept]
        ).delete()
        PaperLink.objects.bulk_update(kept, ["position"])
        return new


def plan_links(current, entry, named_before):
    """A LinkPlan for a paper already on the site (named_before: its local files before)."""
    current = list(current)
    renamed = {
        PaperLink.label_for(kind)
        for kind in ("slides", "poster")
        if named_before.get(kind) and entry.files.get(kind)
        and named_before[kind] != entry.files[kind]
    }  # fmt: skip
    stale = [link for link in current if link.file and not link.url and link.label in renamed]
    return LinkPlan(current, list(entry.links), stale)


class _People:
    """People by comparable name, with the ones this import adds."""

    def __init__(self):
        self.index = Person.objects.by_name()

    def get_or_create(self, key, name):
        person = self.index.get(key)
        if person is None:
            person = Person.objects.create(name=name)
            self.index[key] = person
        return person


class _Tags:
    """Tags by case-folded name (TAGGIT_CASE_INSENSITIVE), read once, new ones added as met."""

    def __init__(self):
        self.by_name = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        self.content_type = ContentType.objects.get_for_model(Publication)

    def items(self, paper, names, *, replace):
        """TaggedItems giving paper these tags (taggit's manager costs several queries each)."""
        if replace:
            TaggedItem.objects.filter(content_type=self.content_type, object_id=paper.pk).delete()
        items = []
        for name in names:
            tag = self.by_name.get(name.casefold())
            if tag is None:
                tag = Tag.objects.create(name=name)  # taggit's save() makes the slug
                self.by_name[name.casefold()] = tag
            items.append(TaggedItem(tag=tag, content_type=self.content_type, object_id=paper.pk))
        return items


class _Rows:
    """Authorships, tags and links of one batch, written together at its end."""

    def __init__(self):
        self.authors, self.tagged, self.links, self.new_slugs = [], [], [], []

    def save(self):
        # A new paper's address is its own now, not a redirect to another paper.
        PreviousSlug.objects.filter(slug__in=self.new_slugs).delete()
        # Each list was checked in its entry's savepoint (Publication.authorship_values).
        Publication.set_authors_of(self.authors)
        TaggedItem.objects.bulk_create(self.tagged)
        PaperLink.objects.bulk_create(self.links)
        # bulk_create sends no signal: tell the page cache, and rename the cached
        # list entries of the papers whose tags or links changed (research/signals.py).
        mark_changed()
        changed = {item.object_id for item in self.tagged} | {
            link.publication_id for link in self.links
        }
        if changed:
            Publication.objects.filter(pk__in=changed).mark_shown_changed()


def _new_slug(paper, slugs):
    """A free address for a new paper, from the title (as Publication.save() would)."""
    base = slugify(paper.title_text)[:100].strip("-") or "paper"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or slug in slugs:
        slug, n = f"{base}-{n}", n + 1
    slugs.add(slug)
    return slug


def _apply(plan, people, tags, slugs, rows):
    if plan.errors:
        return plan.outcome()
    entry, paper = plan.entry, plan.paper
    added = []
    try:
        with transaction.atomic():
            if plan.created:
                # One INSERT; rows.save() does what save() would do after it (old addresses).
                paper.slug = paper.slug or _new_slug(paper, slugs)
                paper.kind = paper.kind or paper.guess_kind()
                Publication.objects.bulk_create([paper])
                paper._stored_slug = paper.slug
                if reversion.is_active():
                    reversion.add_to_revision(paper)  # bulk_create sends no signal
                rows.new_slugs.append(paper.slug)
            elif plan.changes:
                paper.save()
            elif plan.key_changed:
                # Without touching `updated`: nothing a visitor sees has changed.
                Publication.objects.filter(pk=paper.pk).update(
                    citation_key=paper.citation_key, local_files=paper.local_files
                )
            if plan.authors_changed:
                wanted = []
                for person, key, marks, printed in plan.authors:
                    if person is None:
                        if key not in people.index:
                            added.append(key)
                        person = people.get_or_create(key, printed)
                    wanted.append((person, marks, printed))
                # Checked here, so a bad list skips this entry only; written with the batch.
                Publication.authorship_values(wanted)
                rows.authors.append((paper, wanted))
            if plan.tags_changed:
                rows.tagged += tags.items(paper, entry.tags, replace=not plan.created)
            if plan.created:
                rows.links += [
                    PaperLink(publication=paper, position=n, label=label, url=url)
                    for n, (label, url) in enumerate(entry.links)
                ]
            elif plan.links_changed or plan.link_plan.stale:
                rows.links += plan.link_plan.apply(paper, rebuild=plan.links_changed)
    except (ValidationError, IntegrityError, DataError) as error:
        for key in added:  # rolled back with the entry
            people.index.pop(key, None)
        messages = (
            _validation_messages(error) if isinstance(error, ValidationError) else [str(error)]
        )
        return Outcome("skipped", entry.key, entry.line, entry.title, messages=messages)
    return plan.outcome(paper=paper)
