"""Lists of papers, each entry rendered once per version of what it shows.

A list entry (research/_archive_entry.html; _highlight.html on the homepage)
is cached as a fragment named by the paper, its shown_changed time (which
research/signals.py and inbox move whenever the paper, its authorships, its
authors, its tags, its extra links or its citation counts change), the kind of
list, the profile settings that change entries and the language. So the first
/research/ after an edit of one paper renders that one entry and reuses the
others, and a list never loads the papers whose entries are cached: it reads
(pk, shown_changed) and fetches the fragments from this process's memory, else
the shared cache, in one call. What depends on the whole page (the footnote,
a paper's own legend line where papers disagree about a mark, search
highlighting) is added to the cached entries when the page is built.

The first /research/ of a process renders every entry: a thousand at once.
So the papers come with their authors, tags and links as plain rows
(Publication.objects.for_archive(), no model instance per author), and the
entries are Jinja2 templates (templates/jinja2/, core/jinja.py), like the
other per-paper fragments (a paper page's body, feed items) that share their
parts: Django's templates cost about half a millisecond an entry, most of
that first render. The pages around them stay Django templates.

cached_fragments() keeps other per-paper renders the same way (feed items,
the body of a paper page). The fragments live in the page cache's backend
(settings.PAGE_CACHE_ALIAS); old versions are never read again and expire or
are culled.
"""

import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import caches
from django.db.models import CharField
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core import compiled
from core.links import same_urls
from core.memo import memo

from .models import MarkMeaning, Publication, read_rows
from .search import highlight

# One paper on the /research/ pages, and on the homepage.
ENTRY_TEMPLATES = {True: "research/_archive_entry.html", False: "research/_highlight.html"}
# Where an entry gets its paper's own legend line: a cached entry is the same on
# every page, but whether that line is needed depends on the page's other papers.
LEGEND_SLOT = SafeString("<!-- legend -->")
FRAGMENT_SECONDS = 7 * 24 * 3600
# Entries kept in each process's memory (~1.5 KB each on /research/).
PROCESS_FRAGMENTS = 20_000


@dataclass
class Entry:
    pk: int
    # What the archive groups it under: its year, or its label when undated.
    year: str
    html: SafeString
    # {mark: the paper's own meaning or ""} for the footnote (Publication.mark_uses).
    mark_uses: dict
    # (year, venue, kind, {tag slug: name}, {co-author slug: name}):
    # what the filters of /research/ offer, read from the cache with the entry.
    facets: tuple


def entry_options(profile):
    """What besides the paper changes its entry: part of every fragment's name.

    The profile's settings for lists and citation counts, and the language the
    entry's words ("Code", "Highlighted") are in.
    """
    return {
        "link_coauthors": bool(profile and profile.link_coauthors),
        "max_author_limit": (profile and profile.max_author_limit) or 0,
        "citations": profile.citation_source if profile and profile.show_citations else "",
        "language": get_language() or "",
    }


def page_options(profile, meanings):
    """entry_options() plus what the marks mean: a paper page's footnote shows them."""
    options = entry_options(profile)
    options["meanings"] = sorted(meanings.items())
    return ",".join(f"{k}={v}" for k, v in sorted(options.items()))


def _source_digest():
    # Fragments may outlive a deploy in a shared cache (Redis): a change of the
    # templates they are made of must rename them. Those are the Jinja fragments
    # (templates/jinja2/) and the Django partials they print (_footnote.html).
    templates = Path(settings.BASE_DIR) / "templates"
    sources = [*(templates / "research").glob("_*.html"), *(templates / "jinja2").rglob("*.html")]
    digest = hashlib.sha256()
    for path in sorted(sources):
        digest.update(str(path.relative_to(templates)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_SOURCES = None


def _fragment_prefix(archive, options):
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = _source_digest()
    flags = ",".join(f"{k}={v}" for k, v in sorted(options.items()))
    return f"entry:{_SOURCES}:{'archive' if archive else 'home'}:{flags}:"


class _ProcessFragments:
    """The fragments this process used last, in front of the shared cache.

    A fragment never changes under its name, so this copy is never stale; it
    saves the shared cache's per-key cost (a thousand unpickles per page).
    """

    def __init__(self, size):
        self.size = size
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get_many(self, keys):
        with self.lock:
            found = {k: self.items[k] for k in keys if k in self.items}
            for key in found:
                self.items.move_to_end(key)
        return found

    def set_many(self, values):
        with self.lock:
            self.items.update(values)
            for key in values:
                self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


process_fragments = _ProcessFragments(PROCESS_FRAGMENTS)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _get_many(keys):
    found = process_fragments.get_many(keys)
    if len(found) < len(keys):
        shared = _cache().get_many([k for k in keys if k not in found])
        process_fragments.set_many(shared)
        found.update(shared)
    return found


def _set_many(values):
    _cache().set_many(values, FRAGMENT_SECONDS)
    process_fragments.set_many(values)


def entries(papers, *, archive, profile, terms=(), constant=None):
    """One Entry per paper of the queryset, in its order; terms are highlighted.

    constant: a name for a queryset whose SQL never changes (all published
    papers, the highlighted ones), so its versions are read with SQL built once
    (core.compiled): every cold render of the homepage and /research/ reads them.
    """
    options = entry_options(profile)
    prefix = _fragment_prefix(archive, options)

    def versions():
        # As text: the names need no datetime objects, and a thousand conversions show.
        return papers.values_list("pk", Cast("shown_changed", CharField()))

    rows = compiled.rows(("entries", constant), versions) if constant else list(versions())
    # No spaces: memcached refuses them.
    keys = {pk: f"{prefix}{pk}:{changed.replace(' ', 'T')}" for pk, changed in rows}
    found = _get_many(list(keys.values())) if keys else {}
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        found.update(_render(missing, keys, archive, profile))
    result = []
    for pk, _ in rows:
        if keys[pk] not in found:
            continue  # deleted meanwhile
        html, mark_uses, facets = found[keys[pk]]
        html = highlight(html, terms) if terms else html
        result.append(Entry(pk, facets[0], html, mark_uses, facets))
    return result


def _render(pks, keys, archive, profile):
    template = engines["jinja2"].get_template(ENTRY_TEMPLATES[archive])
    parts = ("authors", "tags", "links") if archive else ("authors", "tags")
    if len(pks) == 1:
        # What an edit leaves to render: its SQL is built once (core.compiled).
        paper = compiled.first("paper-by-pk", _paper_by_pk, pks[0])
        papers = [paper] if paper is not None else []
        read_rows(papers, parts)
    else:
        # In no order: each is rendered on its own (Meta.ordering's expressions cost to build).
        papers = Publication.objects.filter(pk__in=pks).order_by()
        papers = list(papers.for_archive() if archive else papers.for_listing())
    context = {
        "archive": archive,
        "site_profile": profile,
        "link_coauthors": bool(profile and profile.link_coauthors),
        # The citation counts of all these papers are read in one query: the
        # {% cited_by %} tag keeps them on the request, and entries are rendered
        # outside one, so a stand-in holds them.
        "papers": papers,
        "request": SimpleNamespace(),
    }
    rendered = {}
    with same_urls():
        for paper in papers:
            uses = paper.mark_uses
            # Only a paper whose authors carry marks can need a legend line.
            slot = LEGEND_SLOT if uses else ""
            html = SafeString(template.render({**context, "paper": paper, "legend_slot": slot}))
            rendered[keys[paper.pk]] = (html, uses, _facets(paper))
    _set_many(rendered)
    return rendered


def _paper_by_pk(pk):
    return Publication.objects.filter(pk=pk).order_by()


def cached_fragment(name, paper, render):
    """render(), cached like the list entries: under the paper's shown_changed time.

    name tells apart fragments of one paper (e.g. a feed item for one site root).
    """
    return cached_fragments(name, [paper], lambda papers: {paper.pk: render()})[paper.pk]


def cached_fragments(name, papers, render):
    """{pk: value} for each paper, cached under its shown_changed time.

    render(missing papers) -> {pk: value} is called once, for the papers whose
    value is not cached, so a page can load what they need in one go.
    """
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    prefix = f"fragment:{_fragment_prefix(True, {})}{digest}:"
    keys = {p.pk: f"{prefix}{p.pk}:{p.shown_changed.isoformat()}" for p in papers}
    found = _get_many(list(keys.values())) if keys else {}
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [p for p in papers if p.pk not in result]
    if missing:
        rendered = render(missing)
        _set_many({keys[pk]: value for pk, value in rendered.items()})
        result.update(rendered)
    return result


def _facets(paper):
    return (
        paper.year_label,
        paper.venue,
        paper.kind,
        {tag.slug: tag.name for tag in paper.tag_list},
        {
            a.person.slug: a.person.name
            for a in paper.authors
            if not a.person.is_owner and a.person.slug
        },
    )


def by_year(items):
    """[(year, html of that year's entries)], newest year first as the entries come.

    A year's HTML is joined again only when one of its entries changed (core.memo).
    """
    return [
        (year, _joined(f"year:{year}", [e.html for e in group]))
        for year, group in groupby(items, key=lambda e: e.year)
    ]


def joined(items):
    return _joined("list", [e.html for e in items])


def _joined(name, htmls):
    # Entries whose paper needs no legend line of its own still hold the slot.
    return memo.get(
        ("joined", name, len(htmls)),
        htmls,
        lambda: SafeString("".join(htmls).replace(LEGEND_SLOT, "")),
    )


def with_legends(items, footnote):
    """Each entry whose paper means a mark otherwise than others on the page gets
    that meaning under its authors (the page footnote leaves such marks out)."""
    for item in items:
        lines = footnote.own.get(item.pk)
        if lines:
            legend = render_to_string("research/_paper_legend.html", {"lines": lines})
            item.html = SafeString(item.html.replace(LEGEND_SLOT, legend, 1))
    return items


def listing_context(
    papers, *, archive, profile, meanings=None, terms=(), items=None, constant=None
):
    """What research/_archive.html and _publication_list.html need.

    meanings: MarkMeaning.objects.meanings_of(request), for the footnote.
    """
    if items is None:
        items = entries(papers, archive=archive, profile=profile, terms=terms, constant=constant)
    footnote = footnote_of(items, meanings)
    items = with_legends(items, footnote)
    return {
        "entries": items,
        "count": len(items),
        "years": by_year(items) if archive else None,
        "entries_html": None if archive else joined(items),
        "marks_on_page": footnote,
    }


def render_listing(request, template, context):
    """render() for a page of listing_context(): each year's entries go in as bytes.

    A /research/ of a thousand papers is over a megabyte of entries rendered
    already. Printed by the template, that text would be copied by every block
    around it and encoded again on every request; instead the template prints
    a marker for each year, and the response gets the year's UTF-8 bytes in its
    place, encoded once per version of that year (core.memo).
    """
    years = context.get("years")
    if not years:
        return render(request, template, context)
    token = secrets.token_hex(8)
    markers = [SafeString(f"<!--{token}:{i}-->") for i in range(len(years))]
    context["years"] = [(year, marker) for (year, _), marker in zip(years, markers, strict=True)]
    page = render_to_string(template, context, request)
    parts = re.split(f"<!--{token}:([0-9]+)-->", page)
    for i in range(1, len(parts), 2):
        year, html = years[int(parts[i])]
        parts[i] = memo.get(("utf-8", year), [html], html.encode)
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].encode()
    return HttpResponse(b"".join(parts))


def footnote_of(items, meanings):
    """MarkMeaning.objects.footnote(items, meanings), worked out again only when a
    paper's marks or legend, or what the marks mean, changed (core.memo)."""
    if meanings is None:
        return MarkMeaning.objects.footnote(items, meanings)
    parts = [(item.pk, item.mark_uses) for item in items if item.mark_uses]
    return memo.get(
        ("footnote", len(items)),
        [meanings, *parts],
        lambda: MarkMeaning.objects.footnote(items, meanings),
    )
