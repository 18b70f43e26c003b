"""{% chrome %}: the header, footer and <head> links are kept between requests,
and every change of what they show appears on the next request of every page."""

import datetime

from bs4 import BeautifulSoup
from django.utils import translation

from pages.models import MenuItem, Page
from profiles.models import Profile

PAGES = ["/", "/research/", "/research/reversal-curse/"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def menu(soup):
    return [a.get_text() for a in soup.select(".site-header .nav-links a")]


def test_the_current_page_is_marked_in_the_menu_of_each_page(client, seeded):
    for url in PAGES:
        soup = page(client, url)
        marked = [a.get_text() for a in soup.select('.nav-links a[aria-current="page"]')]
        expected = {"/": ["about"], "/research/": ["research"]}.get(url, [])
        assert marked == expected, url
        # The <head> links come with every page.
        assert soup.select_one('head link[rel="stylesheet"]')["href"].endswith(".css")
        assert soup.select_one('head link[type="application/rss+xml"]')["href"] == "/research/feed/"


def test_a_renamed_owner_and_a_new_menu_entry_show_at_once(client, seeded):
    for url in PAGES:
        page(client, url)
    profile = Profile.objects.get()
    profile.name = "Ada Lovelace"
    profile.save()
    Page.objects.create(
        title="Projects", slug="projects", body="Mine.", status="published", show_in_menu=True
    )
    for url in PAGES:
        soup = page(client, url)
        assert soup.select_one(".site-title").get_text() == "Ada Lovelace", url
        year = datetime.date.today().year
        assert soup.select_one(".site-footer p").get_text() == f"© {year} Ada Lovelace.", url
        assert "Projects" in menu(soup), url
    MenuItem.objects.filter(page__slug="projects").update(visible=False)
    MenuItem.objects.get(page__slug="projects").save()  # as the editor's menu form saves
    for url in PAGES:
        assert "Projects" not in menu(page(client, url)), url


def test_the_chrome_follows_the_language(client, seeded, settings):
    settings.PAGE_CACHE_ENABLED = False  # the page cache keys pages by URL, not language
    settings.LANGUAGE_CODE = "de"
    with translation.override("de"):
        soup = page(client, "/research/")
    assert soup.select_one(".skip-link").get_text() == "Zum Inhalt springen"
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        soup = page(client, "/research/")
    assert soup.select_one(".skip-link").get_text() == "Skip to content"
