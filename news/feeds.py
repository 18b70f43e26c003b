"""RSS 2.0 and Atom 1.0 feeds of the news, newest first (published items only)."""

import datetime
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.html import escape

from core.markup import sanitize_html
from research.feeds import FEED_SIZE, PaperFeed, XmlSafeAtomFeed

from .models import NewsItem


class NewsFeed(PaperFeed):
    """The paper feed's machinery (absolute links, XML-safe text, validators)."""

    def title(self, obj):
        return f"{self._owner()}: news"

    def description(self, obj):
        return f"News from {self._owner()}."

    def link(self, obj):
        return self._absolute(reverse("news:index"))

    def items(self, obj):
        return NewsItem.objects.published()[:FEED_SIZE]

    def item_title(self, item):
        return escape(item.headline)

    def item_guid(self, item):
        host = urlsplit(self.root).hostname or "localhost"
        return f"tag:{host},{item.created:%Y-%m-%d}:news-{item.pk}"

    def item_author_name(self, item):
        return self.profile.name or None

    def item_categories(self, item):
        return []

    def item_description(self, item):
        html = item.text_html + (item.body_html if item.has_page else "")
        return sanitize_html(html)

    def item_enclosures(self, item):
        return []

    def item_pubdate(self, item):
        return datetime.datetime.combine(item.date, datetime.time.min, tzinfo=datetime.timezone.utc)


class AtomNewsFeed(NewsFeed):
    feed_type = XmlSafeAtomFeed

    def item_title(self, item):
        return item.headline

    def subtitle(self, obj):
        return self.description(obj)
