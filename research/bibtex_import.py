"""Import papers from BibTeX, including the conventions of al-folio's papers.bib.

parse_bibtex() reads text into ParsedEntry objects plus the entries it had to
skip (with line numbers); run_import() saves the parsed entries, each in its own
transaction, and reports what was created, updated, left unchanged or skipped.
The import_bibtex command and the admin's "Import BibTeX" page both use them.
"""

import datetime
import logging
import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock
from django.core.exceptions import ValidationError
from django.db import transaction
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from .identifiers import normalize_doi, parse_arxiv_id
from .models import Authorship, Person, Publication

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

# Equal-contribution marks after a name: *, ∗, †, and their LaTeX spellings.
_EQUAL_MARK_RE = re.compile(
    r"""\\textsuperscript\s*\{\s*(?:\*|\\ast|\\dag(?:ger)?|[∗†])\s*\}
    |\$\s*\^\s*\{?\s*(?:\*|\\ast|\\dag(?:ger)?)\s*\}?\s*\$
    |\{\s*[*∗†]\s*\}
    |[*∗†]""",
    re.VERBOSE,
)
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_WEB_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_KEY_RE = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]+)")

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
    ],
)
_DECODER = LatexNodes2Text(latex_context=_decoder_context, math_mode="verbatim")


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


def _decode(value):
    # In a .bib value a bare % or & is meant literally (it is no comment or table cell there).
    return _DECODER.latex_to_text(re.sub(r"(?<!\\)([%&])", r"\\\1", value or ""))


def latex_to_text(value):
    """LaTeX (accents, commands, braces, dashes) as plain UTF-8 on one line."""
    return " ".join(_decode(value).split())


def latex_to_markdown(value):
    """Like latex_to_text, but line breaks stay: abstracts and tl;drs are Markdown here.

    The indentation of .bib files is dropped, and runs of blank lines become one.
    """
    lines = [line.strip() for line in _decode(value).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass
class ParsedAuthor:
    name: str
    equal_contribution: bool = False


@dataclass
class ParsedEntry:
    key: str
    line: int
    values: dict
    authors: list
    tags: list = field(default_factory=list)
    highlighted: bool | None = None
    arxiv_id: str = ""
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
    """Read BibTeX text; BibtexError when it holds no entries at all."""
    if not (text or "").strip():
        raise BibtexError("The BibTeX is empty: paste entries or choose a .bib file.")
    library = bibtexparser.parse_string(
        text,
        parse_stack=[
            _ResolveConcatenation(),
            *middlewares.default_parse_stack(),
            middlewares.NormalizeFieldKeys(),
        ],
    )
    problems = [_failed_block_problem(block) for block in library.failed_blocks]
    entries = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        try:
            entries.append(_read_entry(entry, line, highlight_selected))
        except _Skip as reason:
            problems.append(Problem(entry.key, line, str(reason)))
    if not entries and not problems:
        raise BibtexError(
            "No BibTeX entries found. Entries look like @article{key, title = {…}, …}."
        )
    problems.sort(key=lambda p: p.line or 0)
    return ParseResult(entries, problems)


def _failed_block_problem(block):
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        first = (block.previous_block.start_line or 0) + 1
        return Problem(block.key, line, f"the key is already used by the entry on line {first}")
    match = _KEY_RE.match(block.raw or "")
    key = match[1] if match else ""
    if isinstance(block, DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return Problem(key, line, f"a field appears twice ({fields})")
    return Problem(key, line, "not valid BibTeX (an unclosed brace or quote, or a missing comma?)")


def _read_entry(entry, line, highlight_selected):
    raw = {f.key: f.value.strip() for f in entry.fields if isinstance(f.value, str)}
    warnings = []
    # A NUL byte means a damaged file; PostgreSQL cannot store it in text at all.
    damaged = sorted(name for name, value in raw.items() if "\x00" in value)
    if damaged:
        raise _Skip(f"a NUL character (a damaged file?) in {', '.join(damaged)}")

    def text(name):
        return latex_to_text(raw.get(name, ""))

    title = text("title")
    if not title:
        raise _Skip("it has no title")
    authors = _authors(raw.get("author", ""), warnings)
    if not authors:
        raise _Skip("it has no author")

    doi = normalize_doi(raw.get("doi", ""))
    arxiv_id = _arxiv_id(raw)
    # al-folio's html is the paper's own page, so it is a primary link too.
    url = _link(raw, "url", warnings) or _link(raw, "html", warnings)
    if not url and arxiv_id:
        url = f"https://arxiv.org/abs/{arxiv_id}"
    elif not url and doi:
        url = f"https://doi.org/{doi}"

    values = {
        "title": title,
        "date": _date(raw, warnings),
        "venue": next(
            (
                v
                for v in map(text, ("journal", "booktitle", "howpublished", "note"))
                if v and not _WEB_RE.match(v)
            ),
            "",
        ),
        "venue_short": text("abbr"),
        "url": url,
        "doi": doi,
        "abstract": latex_to_markdown(raw.get("abstract", "")),
        "tldr": latex_to_markdown(raw.get("tldr", "")),
        "code_url": _link(raw, "code", warnings),
        "website_url": _link(raw, "website", warnings),
        "pdf_url": _link(raw, "pdf", warnings, local_note="PDF file"),
    }
    if raw.get("preview"):
        warnings.append(
            f"preview image “{raw['preview']}” is not fetched: upload it as the thumbnail"
        )

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
        key=entry.key,
        line=line,
        values={k: v for k, v in values.items() if v},
        authors=authors,
        tags=tags,
        highlighted=highlighted,
        arxiv_id=arxiv_id,
        warnings=warnings,
    )


def _authors(value, warnings):
    authors = []
    for raw_name in split_multiple_persons_names(value):
        if raw_name.strip().lower() == "others":
            warnings.append("“and others” was dropped: only named authors are imported")
            continue
        unmarked = _EQUAL_MARK_RE.sub("", raw_name)
        try:
            parts = parse_single_name_into_parts(unmarked.strip(" ,"), strict=True)
        except InvalidNameError as error:
            raise _Skip(f"the author “{raw_name}” cannot be read ({error.args[-1]})") from None
        words = [latex_to_text(word) for word in (*parts.first, *parts.von, *parts.last, *parts.jr)]
        name = " ".join(w for w in words if w)
        # A mark written as a command ({\dag}) only shows once decoded.
        plain = " ".join(_EQUAL_MARK_RE.sub("", name).split())
        if plain:
            equal = unmarked != raw_name or plain != name
            authors.append(ParsedAuthor(plain, equal_contribution=equal))
    return authors


def _arxiv_id(raw):
    candidates = [raw.get("arxiv", "")]
    prefix = (raw.get("archiveprefix") or raw.get("eprinttype") or "").lower()
    if prefix == "arxiv" or not prefix:
        candidates.append(raw.get("eprint", ""))
    candidates.append(raw.get("url", ""))
    for candidate in candidates:
        try:
            return parse_arxiv_id(candidate)[0]
        except ValueError:
            continue
    return ""


def _date(raw, warnings):
    if raw.get("date"):
        # biblatex: 2023-09-21, 2023-09 or 2023.
        match = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", raw["date"])
        if match:
            year, month, day = (int(g) if g else None for g in match.groups())
            return _make_date(year, month or 1, day or 1)
    year_match = re.search(r"\d{4}", raw.get("year", ""))
    if not year_match:
        raise _Skip("it has no year")
    month_text = latex_to_text(raw.get("month", "")).strip(" .").lower()
    if not month_text:
        month = 1
    elif month_text.isdigit() and 1 <= int(month_text) <= 12:
        month = int(month_text)
    elif month_text in MONTHS or month_text[:3] in MONTHS:
        month = MONTHS.get(month_text) or MONTHS[month_text[:3]]
    else:
        warnings.append(f"month “{raw['month']}” is not a month; January is used")
        month = 1
    day = int(raw["day"]) if raw.get("day", "").isdigit() else 1
    return _make_date(int(year_match[0]), month, day)


def _make_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise _Skip(f"{year}-{month}-{day} is not a date") from None


def _link(raw, name, warnings, local_note=""):
    # Some .bib files escape URLs as if they were text (a\_b); a URL has no such escapes.
    value = re.sub(r"\\([_%&#~$])", r"\1", raw.get(name, ""))
    if not value or _WEB_RE.match(value):
        return value
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


@dataclass
class ImportReport:
    outcomes: list
    dry_run: bool

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


def run_import(parsed, *, dry_run=False):
    """Save parsed entries, each in its own transaction; with dry_run, save nothing.

    A dry run goes through exactly the same steps inside one transaction that is
    rolled back, so the preview shows what a real run will do.
    """
    outcomes = [Outcome("skipped", p.key, p.line, messages=[p.message]) for p in parsed.problems]
    if dry_run:
        with transaction.atomic():
            outcomes += _import_entries(parsed.entries)
            transaction.set_rollback(True)
    else:
        outcomes += _import_entries(parsed.entries)
    outcomes.sort(key=lambda o: o.line or 0)
    return ImportReport(outcomes, dry_run)


def _import_entries(entries):
    people = Person.objects.by_name()
    outcomes = []
    for entry in entries:
        try:
            with transaction.atomic():
                outcomes.append(_import_entry(entry, people))
        except ValidationError as error:
            messages = [
                f"{name}: {message}" if name != "__all__" else message
                for name, errors in error.message_dict.items()
                for message in errors
            ]
            outcomes.append(
                Outcome("skipped", entry.key, entry.line, entry.title, messages=messages)
            )
            # People created for the rolled-back entry are gone again.
            people = Person.objects.by_name()
    return outcomes


def _import_entry(entry, people):
    messages = list(entry.warnings)
    paper = Publication.objects.matching(
        doi=entry.values.get("doi", ""), arxiv_id=entry.arxiv_id, title=entry.title
    )
    created = paper is None
    if created:
        paper = Publication(status=Publication.Status.PUBLISHED)
    changes = []
    values = dict(entry.values)
    if entry.highlighted is not None:
        values["highlighted"] = entry.highlighted
    for name, value in values.items():
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changes.append(str(Publication._meta.get_field(name).verbose_name))
    paper.full_clean()
    if created:
        paper.save()

    wanted = []
    for author in entry.authors:
        person, new = Person.objects.match_or_create(author.name, people)
        if new:
            messages.append(f"new person: {person.name}")
        if any(pk == person.pk for pk, _, _ in wanted):
            messages.append(f"{author.name} is listed twice; kept the first")
            continue
        printed = "" if author.name == person.name else author.name
        wanted.append((person.pk, author.equal_contribution, printed))
    current = list(
        paper.authorships.order_by("position", "pk").values_list(
            "person_id", "equal_contribution", "printed_name"
        )
    )
    if current != wanted:
        paper.authorships.all().delete()
        for position, (person_id, equal, printed) in enumerate(wanted):
            Authorship.objects.create(
                publication=paper,
                person_id=person_id,
                position=position,
                equal_contribution=equal,
                printed_name=printed,
            )
        changes.append("authors")

    if entry.tags:
        current_tags = sorted(t.name.casefold() for t in paper.tags.all())
        if current_tags != sorted(t.casefold() for t in entry.tags):
            paper.tags.set(entry.tags, clear=True)
            changes.append("tags")

    if created:
        action = "created"
    elif changes:
        action = "updated"
        paper.save()  # records the change time, also for author- and tag-only changes
    else:
        action = "unchanged"
    return Outcome(
        action,
        entry.key,
        entry.line,
        paper.title,
        changes=[] if created else changes,
        messages=messages,
        paper=paper,
    )
