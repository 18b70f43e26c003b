"""CV sections of talks and teaching show what the Talks and Teaching apps hold,
and the site menu links the CV while there is one."""

import datetime

from bs4 import BeautifulSoup

from cv.models import CVSection
from talks.models import Talk
from teaching.models import Course


def cv_soup(client):
    response = client.get("/cv/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_talks_section_lists_published_talks_newest_first(seeded, client):
    CVSection.objects.create(kind=CVSection.Kind.TALKS)
    Talk.objects.create(
        title="Towards evaluations-based safety cases for AI scheming",
        event="NeurIPS 2024 Workshop",
        location="Vancouver",
        date=datetime.date(2024, 12, 14),
        kind=Talk.Kind.INVITED,
    )
    Talk.objects.create(
        title="The Reversal Curse",
        event="ICLR 2024",
        date=datetime.date(2024, 5, 8),
        kind=Talk.Kind.POSTER,
    )
    Talk.objects.create(
        title="Unannounced talk",
        event="Secret",
        date=datetime.date(2025, 1, 1),
        status="draft",
    )
    soup = cv_soup(client)
    entries = soup.select(".cv-talks .cv-entry")
    assert [e.select_one(".cv-title").get_text() for e in entries] == [
        "Towards evaluations-based safety cases for AI scheming",
        "The Reversal Curse",
    ]
    assert entries[0].select_one(".cv-period").get_text() == "Dec 2024"
    assert "Invited talk, NeurIPS 2024 Workshop, Vancouver" in entries[0].get_text()
    projects = client.get("/cv.json").json()["projects"]
    assert [(p["name"], p["type"]) for p in projects][0] == (
        "Towards evaluations-based safety cases for AI scheming",
        "talks",
    )


def test_teaching_section_lists_courses_with_their_terms(seeded, client):
    CVSection.objects.create(kind=CVSection.Kind.TEACHING)
    Course.objects.create(
        course="CS 229: Machine Learning",
        role=Course.Role.TA,
        institution="Stanford University",
        term="Fall 2023",
        year=2023,
        description="Sections on *kernels*.",
    )
    soup = cv_soup(client)
    entry = soup.select_one(".cv-teaching .cv-entry")
    assert entry.select_one(".cv-period").get_text() == "Fall 2023"
    assert "Teaching assistant, Stanford University" in entry.get_text()
    assert entry.select_one(".cv-details em").get_text() == "kernels"


def test_empty_talks_section_is_left_out(seeded, client):
    CVSection.objects.create(kind=CVSection.Kind.TALKS)
    assert client.get("/cv/").status_code == 404


def test_the_menu_shows_cv_while_there_is_one(seeded, client):
    def menu(client):
        soup = BeautifulSoup(client.get("/").content, "html.parser")
        return [a.get_text() for a in soup.select(".nav-links a")]

    assert "cv" not in menu(client)
    section = CVSection.objects.create(kind=CVSection.Kind.TEXT, body="Curriculum vitae")
    assert "cv" in menu(client)
    section.status = CVSection.Status.DRAFT
    section.save()
    assert "cv" not in menu(client)
