"""The homepage's sections: the owner reorders, renames and hides them; the seed is unchanged."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from news.models import NewsItem
from profiles.models import HomeSection, Profile
from tests.content import alfolio_news
from tests.forms import form_data, form_errors


def headings():
    soup = BeautifulSoup(Client().get("/").content, "html.parser")
    return [h.get_text() for h in soup.select("main h2")]


def sections_form(client):
    url = reverse("admin:profile_profile_change", args=[Profile.load().pk])
    data = form_data(client.get(url).content.decode(), "profile_form")
    keys = {}
    for name, value in data.items():
        if name.startswith("sections-") and name.endswith("-id"):
            keys[HomeSection.objects.get(pk=value).key] = name.removesuffix("-id")
    return url, data, keys


def test_the_seed_homepage_shows_no_news_even_when_there_is_some(seeded):
    alfolio_news()
    assert headings() == ["Active research", "Highlighted Research"]


def test_the_owner_turns_news_on_and_sets_how_many(editor_client, seeded):
    alfolio_news()
    NewsItem.objects.create(text="A draft", status="draft")
    url, data, keys = sections_form(editor_client)
    news = keys["news"]
    data[f"{news}-visible"] = "on"
    data[f"{news}-items"] = "2"
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response.content.decode())
    assert headings() == ["News", "Active research", "Highlighted Research"]
    soup = BeautifulSoup(Client().get("/").content, "html.parser")
    dates = [t["datetime"] for t in soup.select("#news-heading ~ .news time, .news time")]
    assert dates[:2] == ["2016-01-15", "2015-11-07"] and len(set(dates)) == 2


def test_the_owner_reorders_renames_and_hides_sections(editor_client, seeded):
    url, data, keys = sections_form(editor_client)
    order = ["highlighted_research", "bio", "news", "active_research"]
    for position, key in enumerate(order, start=1):
        data[f"{keys[key]}-position"] = str(position)
    data[f"{keys['highlighted_research']}-heading"] = "Selected papers"
    data.pop(f"{keys['active_research']}-visible")
    response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response.content.decode())
    assert headings() == ["Selected papers"]
    soup = BeautifulSoup(Client().get("/").content, "html.parser")
    main = soup.select_one("main article")
    # The papers now come before the bio.
    assert str(main).index("Selected papers") < str(main).index('id="about-section"')


def test_a_bio_heading_is_shown_only_when_given(editor_client, seeded):
    url, data, keys = sections_form(editor_client)
    data[f"{keys['bio']}-heading"] = "About me"
    assert editor_client.post(url, data).status_code == 302
    assert headings()[0] == "About me"


@pytest.mark.parametrize("items", ["0", "51"])
def test_an_impossible_number_of_news_items_is_a_form_error(editor_client, seeded, items):
    url, data, keys = sections_form(editor_client)
    data[f"{keys['news']}-items"] = items
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response.content.decode())
    assert HomeSection.objects.get(key="news").items == 5


def test_an_existing_profile_gets_the_usual_sections(db):
    profile = Profile.objects.create(name="Ada")
    assert [(s.key, s.heading, s.visible) for s in profile.sections.all()] == [
        ("bio", "", True),
        ("news", "News", False),
        ("active_research", "Active research", True),
        ("highlighted_research", "Highlighted Research", True),
    ]
