import datetime
import json

from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.test import Client

from research.models import Publication
from talks.models import Talk

TODAY = datetime.date.today()


def talk(title, date, **fields):
    fields.setdefault("event", "Workshop")
    return Talk.objects.create(title=title, date=date, **fields)


def page():
    response = Client().get("/talks/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_talks_are_grouped_by_year_with_upcoming_first(seeded):
    talk("Old", datetime.date(2021, 5, 1))
    talk("Later in 2023", datetime.date(2023, 11, 1))
    talk("Early 2023", datetime.date(2023, 2, 1))
    talk("Soon", TODAY + datetime.timedelta(days=3))
    talk("Further away", TODAY + datetime.timedelta(days=60))
    talk("Hidden", datetime.date(2022, 1, 1), status="draft")
    soup = page()
    groups = [
        (section.h2.get_text(), [p.contents[0].strip() for p in section.select(".entry .title")])
        for section in soup.select("section.year")
    ]
    assert groups == [
        ("Upcoming", ["Soon", "Further away"]),
        ("2023", ["Later in 2023", "Early 2023"]),
        ("2021", ["Old"]),
    ]


def test_a_talk_shows_its_kind_event_links_and_published_paper_only(seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    draft = Publication.objects.create(title="Unpublished", date="2024-01-01", status="draft")
    talk(
        "With paper",
        datetime.date(2024, 3, 1),
        kind=Talk.Kind.KEYNOTE,
        event_url="https://example.org/event",
        location="Berlin, Germany",
        video_url="https://example.org/video",
        publication=paper,
    )
    slides = talk("With draft paper", datetime.date(2024, 2, 1), publication=draft)
    slides.slides.save("slides.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n", name="slides.pdf"))
    entries = page().select(".entry")
    first = entries[0]
    assert first.select_one(".badge").get_text() == "Keynote"
    assert "Berlin, Germany" in first.select_one(".venues").get_text()
    assert {a.get_text(): a["href"] for a in first.select("a")} == {
        "Workshop": "https://example.org/event",
        "Video": "https://example.org/video",
        f"Paper: {paper.title}": "/research/reversal-curse/",
    }
    second = {a.get_text(): a["href"] for a in entries[1].select("a")}
    assert list(second) == ["Slides"] and second["Slides"].endswith(".pdf")


def test_talks_are_schema_org_events(seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    talk(
        "Reversal curse",
        datetime.date(2024, 5, 8),
        event="ICLR 2024",
        location="Vienna, Austria",
        publication=paper,
    )
    talk("Online one", datetime.date(2024, 1, 8), location="Online")
    talk("Draft", datetime.date(2024, 2, 8), status="draft")
    (script,) = page().select('script[type="application/ld+json"]')
    data = json.loads(script.string)
    events = data["@graph"]
    assert data["@context"] == "https://schema.org"
    assert [e["name"] for e in events] == ["Reversal curse", "Online one"]
    first = events[0]
    assert first["@type"] == "Event"
    assert first["startDate"] == "2024-05-08"
    assert first["superEvent"]["name"] == "ICLR 2024"
    assert first["location"] == {
        "@type": "Place",
        "name": "Vienna, Austria",
        "address": "Vienna, Austria",
    }
    assert first["performer"] == {"@type": "Person", "name": "Mikita Balesni"}
    assert first["about"]["url"] == "http://testserver/research/reversal-curse/"
    assert events[1]["location"]["@type"] == "VirtualLocation"


def test_a_script_in_a_talk_title_cannot_end_the_json_block(seeded):
    talk("</script><script>alert(1)</script>", datetime.date(2024, 1, 1))
    html = Client().get("/talks/").content.decode()
    assert "<script>alert(1)" not in html


def test_no_talks_yet(seeded):
    assert "No talks yet." in page().get_text()
    assert not page().select('script[type="application/ld+json"]')
