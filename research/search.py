"""Finding papers: the full-text index, the filters of /research/ and highlighting.

Each paper has a search document (Publication.search_document): its title,
authors (names and names as printed), venue, abstract, tl;dr and tags, reduced
by models.comparable() (no accents, case or punctuation), so "jeremy" finds
"Jérémy" on every database. The document is rebuilt lazily: a paper whose
shown_changed moved past search_indexed (research/signals.py) is re-indexed by
the next search, and so is a paper added by bulk_create.

The index is SQLite's FTS5 (the research_publication_fts table, made by a
migration) or PostgreSQL's full-text search over the document ("simple"
configuration: the text is already normalised); each query word matches as a
prefix, and all words must match.
"""

import re
import unicodedata
from html import escape

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from core.memo import memo

from .models import Publication
from .names import comparable

FTS_TABLE = "research_publication_fts"
MAX_TERMS = 12


def search_document(paper):
    """The indexed text of one paper (authorships and tags prefetched or not)."""
    parts = [paper.title_text, paper.venue, paper.venue_short, paper.abstract, paper.tldr]
    for authorship in paper.authors:
        parts += [authorship.person.name, authorship.printed_name]
    parts += [tag.name for tag in paper.tag_list]
    return comparable(" ".join(p for p in parts if p))


def refresh_index():
    """Re-index every paper whose entry changed since it was last indexed.

    In one transaction (on SQLite it takes the write lock first), so two
    requests refreshing at once cannot both write the same FTS rows.
    """
    stale = Publication.objects.filter(
        Q(search_indexed__isnull=True) | Q(search_indexed__lt=F("shown_changed"))
    )
    if not stale.exists():  # the usual case: a cheap read, no transaction
        return 0
    with transaction.atomic():
        papers = list(stale.for_listing())
        for paper in papers:
            paper.search_document = search_document(paper)
            # The version indexed, not now: a change during indexing leaves it stale.
            paper.search_indexed = paper.shown_changed
        Publication.objects.bulk_update(
            papers, ["search_document", "search_indexed"], batch_size=500
        )
        if connection.vendor == "sqlite":
            _write_fts(papers)
    return len(papers)


def _write_fts(papers):
    with connection.cursor() as cursor:
        ids = [p.pk for p in papers]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("%s" for _ in chunk)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, document) VALUES (%s, %s)",  # noqa: S608
            [(p.pk, p.search_document) for p in papers],
        )


def forget(pk):
    """Drop a deleted paper from SQLite's index (PostgreSQL reads the row itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608


def query_terms(text):
    """The words of a search, normalised like the documents; at most MAX_TERMS."""
    return comparable(text).split()[:MAX_TERMS]


def matching(queryset, text):
    """queryset narrowed to papers whose document has every word of text (as prefixes)."""
    terms = query_terms(text)
    if not terms:
        return queryset
    refresh_index()
    if connection.vendor == "sqlite":
        match = " ".join(f'"{term}"*' for term in terms)
        ids = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
        return queryset.filter(pk__in=ids)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        raw = " & ".join(f"'{term}':*" for term in terms)
        return queryset.annotate(_document=SearchVector("search_document", config="simple")).filter(
            _document=SearchQuery(raw, search_type="raw", config="simple")
        )
    for term in terms:
        queryset = queryset.filter(search_document__contains=term)
    return queryset


class PaperFilterForm:
    """The search box and filters of /research/: a plain GET form.

    Not a django.forms.Form: its choice fields normalise and its widgets render
    every option through templates, which was most of a cold /research/ with a
    few hundred co-authors. Values not among the choices (a stale link, a
    removed tag) are ignored, never an error.
    """

    FILTERS = {
        "year": _("Year"),
        "tag": _("Tag"),
        "author": _("Co-author"),
        "venue": _("Venue"),
        "kind": _("Kind"),
    }
    FIELDS = ("q", *FILTERS)
    MAX_QUERY = 200

    def __init__(self, data, entries):
        """data: request.GET; entries: research.listing entries of every paper the
        filters choose from (their facets fill the choices, with no query)."""
        # Worked out again only when some paper's facets changed (core.memo):
        # after an edit of a title, the choices and their <select>s are reused.
        self.choices, values, self._selects = memo.get(
            ("paper-filters", get_language()),
            [entry.facets for entry in entries],
            lambda: self._choices_of(entries),
        )
        self.q = " ".join(str(data.get("q", "")).split())[: self.MAX_QUERY]
        self.selected = {}
        for name, known in values.items():
            value = str(data.get(name, "")).strip()
            if value and value in known:
                self.selected[name] = value

    @staticmethod
    def _choices_of(entries):
        years, venues, kinds, tags, people = set(), set(), set(), {}, {}
        for entry in entries:
            year, venue, kind, entry_tags, entry_people = entry.facets
            years.add(year)
            venues.add(venue)
            kinds.add(kind)
            tags.update(entry_tags)
            people.update(entry_people)
        venues.discard("")

        def by_label(pairs):
            return sorted(pairs, key=lambda pair: (pair[1].casefold(), pair[0]))

        choices = {
            # Labels of undated papers ("Preprint") first, as the archive lists them.
            "year": [
                (y, y) for y in sorted(years, key=lambda y: (not y.isdigit(), y), reverse=True)
            ],
            "tag": by_label(tags.items()),
            "author": by_label(people.items()),
            "venue": by_label((v, v) for v in venues),
            "kind": [(v, label) for v, label in Publication.Kind.choices if v in kinds],
        }
        values = {name: {v for v, _ in pairs} for name, pairs in choices.items()}
        # The third: each filter's <select> as rendered, by (name, chosen value).
        return choices, values, {}

    def filter_fields(self):
        """[{name, label, id, html}] for each filter: a <select> with "Any" first."""
        return [
            {"name": name, "label": label, "id": f"id_{name}", "html": self._select(name)}
            for name, label in self.FILTERS.items()
        ]

    def _select(self, name):
        chosen = self.selected.get(name, "")
        html = self._selects.get((name, chosen))
        if html is None:
            options = "".join(
                f'<option value="{escape(value)}"'
                f"{' selected' if value and value == chosen else ''}>{escape(text)}</option>"
                for value, text in [("", gettext("Any")), *self.choices[name]]
            )
            html = self._selects[(name, chosen)] = mark_safe(  # noqa: S308 (every value is escaped)
                f'<select name="{name}" id="id_{name}">{options}</select>'
            )
        return html

    def filters(self):
        """The filters given that apply: {"q": text, "year": "2024", ...}."""
        return ({"q": self.q} if query_terms(self.q) else {}) | self.selected

    def apply(self, papers):
        given = self.filters()
        if "q" in given:
            papers = matching(papers, given["q"])
        if "year" in given:
            year = given["year"]
            if year.isdigit():
                papers = papers.filter(date__year=int(year))
            else:  # an undated paper's label (Publication.year_label)
                label = "" if year == "Undated" else year
                papers = papers.filter(date__isnull=True, date_label=label)
        if "tag" in given:
            papers = papers.filter(tagged_items__tag__slug=given["tag"])
        if "author" in given:
            papers = papers.filter(authorships__person__slug=given["author"])
        if "venue" in given:
            papers = papers.filter(venue=given["venue"])
        if "kind" in given:
            papers = papers.filter(kind=given["kind"])
        return papers


def _fold(char):
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def highlight(html, terms):
    """html with each word starting with a term wrapped in <mark>, ignoring accents and case.

    Works on rendered (escaped) HTML: only text between tags is touched, and a
    match never starts inside an entity such as &amp;.
    """
    if not terms:
        return html
    parts = _TAG_OR_TEXT.split(str(html))
    for i in range(0, len(parts), 2):
        parts[i] = _highlight_text(parts[i], terms)
    return mark_safe("".join(parts))  # noqa: S308 (only <mark> added to escaped HTML)


def _highlight_text(text, terms):
    if not text:
        return text
    folded, index = [], []
    for position, char in enumerate(text):
        for c in _fold(char) or " ":
            folded.append(c)
            index.append(position)
    folded = "".join(folded)
    spans = []
    for term in terms:
        for found in re.finditer(re.escape(term), folded):
            start = found.start()
            before = folded[start - 1] if start else " "
            if before.isalnum() or before in "&#":
                continue  # inside a word or an entity
            end = found.end()
            while end < len(folded) and folded[end].isalnum():
                end += 1  # the whole word the term starts
            spans.append((index[start], index[end - 1] + 1))
    if not spans:
        return text
    spans.sort()
    merged = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        out += [text[last:start], "<mark>", text[start:end], "</mark>"]
        last = end
    out.append(text[last:])
    return "".join(out)
