"""RSS 2.0 and Atom 1.0 feeds of new papers, for everything and per tag.

Each request gets its own Feed instance (see PaperFeed.as_view), so the
request can be kept on it for absolute links. Every string is stripped of
characters XML 1.0 cannot carry before it reaches the XML writer, so no
content an editor can type makes a feed fail.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape
from django.utils.translation import get_language
from taggit.models import Tag

from core.jinja import render_fragment
from core.links import absolute_url, site_root
from core.markup import sanitize_html
from pagecache.freshness import conditional_on_content, uses_query
from profiles.models import Profile

from .listing import cached_fragments
from .models import MarkMeaning, Publication

# Control characters other than tab/newline/carriage return, the two
# non-characters, and lone surrogates (which cannot even be encoded).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

FEED_SIZE = 50

_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape_markup(text):
    """text with only &, < and > escaped: HTML for a reader, quotes left alone."""
    return str(text).translate(_MARKUP)


def xml_safe(value):
    """value with XML-illegal characters removed, through lists, dicts and enclosures."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(v) for v in value)
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, feedgenerator.Enclosure):
        return feedgenerator.Enclosure(
            xml_safe(value.url), xml_safe(value.length), xml_safe(value.mime_type)
        )
    return value


class _XmlSafeMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **xml_safe(kwargs))


class XmlSafeRssFeed(_XmlSafeMixin, feedgenerator.Rss201rev2Feed):
    def __init__(self, *args, **kwargs):
        # Readers show channel text without markup as it is, and read text with
        # "<" as HTML: escape only then, so "A & B" stays readable and a "<script>"
        # in the owner's name or subtitle stays text.
        for key in ("title", "description"):
            value = kwargs.get(key) or ""
            if "<" in value or ">" in value:
                kwargs[key] = escape(value)
        super().__init__(*args, **kwargs)


class XmlSafeAtomFeed(_XmlSafeMixin, feedgenerator.Atom1Feed):
    pass


class PaperFeed(Feed):
    feed_type = XmlSafeRssFeed
    item_guid_is_permalink = False

    @classmethod
    def as_view(cls):
        @uses_query()
        @conditional_on_content
        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def __call__(self, request, *args, **kwargs):
        self.request = request
        self.root = site_root(request)
        self.profile = Profile.shown(request)
        # Read once for all items, and only if some item's authors carry marks.
        self.mark_meanings = MarkMeaning.objects.meanings_for(request)
        response = super().__call__(request, *args, **kwargs)
        # Last-Modified comes from the content timestamp (conditional_on_content),
        # which also covers edits that change no item's date, such as the profile.
        del response.headers["Last-Modified"]
        return response

    def _absolute(self, location):
        return absolute_url(location, self.root)

    # Channel

    def _owner(self):
        return self.profile.name or "Research"

    def title(self, obj):
        return f"{self._owner()}: new papers"

    def description(self, obj):
        return self.profile.subtitle or f"New papers by {self._owner()}."

    def link(self, obj):
        return self._absolute(reverse("research:index"))

    def feed_url(self, obj):
        return self._absolute(self.request.path)

    def author_name(self, obj):
        return self.profile.name or None

    def items(self, obj):
        papers = list(self.papers(obj)[:FEED_SIZE])
        self.parts = self._item_parts(papers)
        return papers

    def papers(self, obj):
        return Publication.objects.published()

    def _item_parts(self, papers):
        """What each item shows of its paper's authors, tags and files, cached per paper version.

        So a feed loads the authors and tags of only the papers that changed
        since (research/listing.py), and none when nothing did.
        """
        # The description's footnote says what the marks mean.
        meanings = sorted(self.mark_meanings.items())

        def render(missing):
            changed = Publication.objects.filter(pk__in=[p.pk for p in missing]).for_listing()
            return {paper.pk: self._parts_of(paper) for paper in changed}

        name = f"feed-item|{self.root}|{get_language()}|{meanings}"
        return cached_fragments(name, papers, render)

    def _parts_of(self, paper):
        html = render_fragment(
            "research/feed_item.html",
            {
                "paper": paper,
                "root": self.root,
                "pdf": self._absolute(paper.pdf_link),
                "mark_meanings": self.mark_meanings,
            },
        )
        try:
            pdf_length = paper.pdf.size if paper.pdf else None
        except OSError:
            pdf_length = 0  # a missing file must not break the feed
        return {
            # With the marks as printed; the description's footnote says what they mean.
            "authors": ", ".join(paper.author_names(marks=True)),
            "categories": [tag.name for tag in paper.tag_list],
            "description": sanitize_html(html),
            "pdf_length": pdf_length,
        }

    # Items

    # Readers take RSS titles as HTML (feedparser and its kin) or as text, so
    # only &, < and > are escaped: quotes are then plain quotes in both (Django's
    # escape() would show "&quot;" to the first kind). Atom titles are text: the
    # XML writer's own escaping is all they need.
    escape_titles = True

    def item_title(self, item):
        # Math as plain text.
        return escape_markup(item.title_text) if self.escape_titles else item.title_text

    def item_link(self, item):
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item):
        # A tag: URI from the primary key and the day the paper was added, so it
        # survives title and slug changes (RFC 4151; no port in the authority).
        host = urlsplit(self.root).hostname or "localhost"
        return f"tag:{host},{item.created:%Y-%m-%d}:paper-{item.pk}"

    def item_pubdate(self, item):
        # An undated paper (a preprint) counts from the day it was added.
        return datetime.datetime.combine(
            item.sort_date, datetime.time.min, tzinfo=datetime.timezone.utc
        )

    def item_updateddate(self, item):
        return item.updated

    def item_author_name(self, item):
        return self.parts[item.pk]["authors"]

    def item_categories(self, item):
        return self.parts[item.pk]["categories"]

    def item_description(self, item):
        return self.parts[item.pk]["description"]

    def item_enclosures(self, item):
        length = self.parts[item.pk]["pdf_length"]
        if length is None:
            return []
        url = self._absolute(item.pdf.url)
        return [feedgenerator.Enclosure(url, str(length), "application/pdf")]


class AtomPaperFeed(PaperFeed):
    feed_type = XmlSafeAtomFeed

    escape_titles = False

    def subtitle(self, obj):
        return self.description(obj)


class _TagMixin:
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not Publication.objects.published().with_tag(slug).exists():
            raise Http404("No published papers carry this tag.")
        return tag

    def title(self, obj):
        return f"{self._owner()}: papers tagged “{obj.name}”"

    def description(self, obj):
        return f"New papers by {self._owner()} tagged “{obj.name}”."

    def link(self, obj):
        return self._absolute(reverse("research:tag", kwargs={"slug": obj.slug}))

    def papers(self, obj):
        return Publication.objects.published().with_tag(obj.slug)


class TagPaperFeed(_TagMixin, PaperFeed):
    pass


class TagAtomPaperFeed(_TagMixin, AtomPaperFeed):
    pass
