import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.test import Client

from news.models import NewsItem
from tests.content import alfolio_news


def soup(url):
    response = Client().get(url)
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_news_lists_every_published_item_newest_first_with_dates(seeded):
    alfolio_news()
    NewsItem.objects.create(text="Hidden", status="draft", date=datetime.date(2030, 1, 1))
    items = soup("/news/").select(".news-item")
    assert [item.time["datetime"] for item in items] == ["2016-01-15", "2015-11-07", "2015-10-22"]
    assert items[2].select_one(".news-text").get_text(strip=True) == (
        "A simple inline announcement."
    )
    # Only the item with a title links to a page of its own.
    assert [a.get_text() for a in soup("/news/").select(".news-item a")] == [
        "A long announcement with details"
    ]


def test_an_item_with_a_title_has_its_own_page(seeded):
    alfolio_news()
    page = soup("/news/a-long-announcement-with-details/")
    assert page.h1.get_text() == "A long announcement with details"
    assert "Hipster list" in page.select_one(".page-body").get_text()
    inline = NewsItem.objects.get(date=datetime.date(2015, 10, 22))
    assert Client().get(f"/news/{inline.slug}/").status_code == 404


@pytest.mark.parametrize("url", ["/news/feed/", "/news/feed/atom/"])
def test_news_feeds_list_published_news_newest_first(seeded, url):
    alfolio_news()
    NewsItem.objects.create(title="Draft", text="Hidden", status="draft")
    response = Client().get(url)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "Mikita Balesni: news"
    assert [entry.title for entry in feed.entries] == [
        "A simple inline announcement with Markdown emoji! :sparkles: :smile:",
        "A long announcement with details",
        "A simple inline announcement.",
    ]
    assert feed.entries[1].link == "http://testserver/news/a-long-announcement-with-details/"
    assert feed.entries[2].link.startswith("http://testserver/news/#news-")


def test_news_pages_announce_their_feeds(seeded):
    alfolio_news()
    links = soup("/news/").select('link[rel="alternate"]')
    assert {link["href"] for link in links} >= {"/news/feed/", "/news/feed/atom/"}
