from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from teaching.models import Course
from tests.forms import form_data, form_errors


def entries():
    soup = BeautifulSoup(Client().get("/teaching/").content, "html.parser")
    return soup.select(".entry")


def test_courses_are_listed_newest_first_with_role_institution_and_links(seeded):
    Course.objects.create(
        course="Linear algebra",
        role="ta",
        institution="University of Tartu",
        term="2018",
        year=2018,
    )
    new = Course.objects.create(
        course="AI safety", role="guest", term="Fall 2024", year=2024, description="On *evals*."
    )
    Course.objects.create(course="Hidden", term="2030", year=2030, status="draft")
    new.links.create(label="Slides", url="https://example.org/slides", position=2)
    new.links.create(label="Course page", url="https://example.org/", position=1)
    items = entries()
    assert [e.h2.get_text() for e in items] == ["AI safety", "Linear algebra"]
    assert items[0].select_one(".venues").get_text(" ", strip=True) == "Guest lecturer · Fall 2024"
    assert items[0].select_one("em").get_text() == "evals"
    assert [a.get_text() for a in items[0].select(".links a")] == ["Course page", "Slides"]
    assert "Teaching assistant, University of Tartu" in items[1].get_text()


def test_a_course_link_must_be_a_web_address(editor_client, db):
    url = reverse("admin:teaching_course_add")
    data = form_data(editor_client.get(url).content.decode(), "course_form")
    data.update(
        {
            "course": "X",
            "term": "2024",
            "year": "2024",
            "links-TOTAL_FORMS": "1",
            "links-0-label": "Bad",
            "links-0-url": "javascript:alert(1)",
            "links-0-position": "1",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response.content.decode())
    assert not Course.objects.exists()
