"""The inbox in the editor: the list, one suggestion's page, Accept, Dismiss, the button."""

import datetime
import threading

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.urls import reverse
from reversion.models import Version

from inbox import background
from inbox.models import SourceStatus, Suggestion, SyncRun
from inbox.sync import run_sync
from profiles.models import Profile
from research.models import Person, Publication

from .conftest import route_openalex

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:inbox_suggestion_changelist"


@pytest.fixture
def inbox(api):
    Person.objects.create(name="Heather Piwowar", is_owner=True, aliases="Heather A. Piwowar")
    Person.objects.create(name="Jason Priem")
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])


def review_url(suggestion):
    return reverse("admin:inbox_suggestion_review", args=[suggestion.pk])


def test_the_list_shows_the_last_check_and_known_people(editor_client, inbox):
    page = BeautifulSoup(editor_client.get(reverse(CHANGELIST)).content, "html.parser")
    status = page.select_one(".inbox-status").get_text(" ", strip=True)
    assert "24 new works and 0 updates found" not in status  # run_sync alone records no run
    assert page.select_one("form.inbox-check button").get_text() == "Check for new papers"
    row = next(
        tr for tr in page.select("#result_list tbody tr") if "The state of OA" in tr.get_text()
    )
    authors = row.select_one("td.field-author_list").get_text()
    assert authors.startswith(
        "Heather A. Piwowar (you), Jason Priem, Vincent Larivière (new person)"
    )
    assert row.select_one("td.field-venue").get_text() == "PeerJ"
    assert row.select_one("td.field-source_list").get_text() == "openalex"
    assert "DOI 10.7717/peerj.4375" in row.select_one("td.field-identifiers").get_text()
    assert len(page.select("#result_list tbody tr")) == 24


def test_a_failing_source_is_shown_with_when(editor_client, db):
    SourceStatus.record("dblp", "HTTP 500 (gave up after 4 tries)")
    page = BeautifulSoup(editor_client.get(reverse(CHANGELIST)).content, "html.parser")
    note = page.select_one(".inbox-status .errornote").get_text(" ", strip=True)
    assert note.startswith("dblp failed on ") and "HTTP 500 (gave up after 4 tries)" in note


def test_accept_as_draft_creates_a_hidden_paper_in_the_history(editor_client, client, inbox):
    suggestion = Suggestion.objects.get(doi="10.7717/peerj.175")
    page = editor_client.get(review_url(suggestion))
    assert b"Data reuse and the open data citation advantage" in page.content
    response = editor_client.post(
        review_url(suggestion), {"action": "accept", "publish_status": "draft"}
    )
    assert response.status_code == 302
    paper = Publication.objects.get(doi="10.7717/peerj.175")
    assert paper.status == "draft" and paper.venue == "PeerJ"
    assert [a.name for a in paper.authors] == ["Heather A. Piwowar"]
    assert paper.authors[0].person.is_owner
    versions = Version.objects.get_for_object(paper)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Added from the paper inbox (openalex)."
    assert versions[0].revision.user.username == "editor"
    client.logout()
    assert client.get(paper.get_absolute_url()).status_code == 404
    assert b"open data citation advantage" not in client.get("/research/").content


def test_the_update_page_shows_the_diff_and_applies_only_ticked_fields(editor_client, api):
    paper = Publication.objects.create(
        title="Riding the crest of the altmetrics wave: How librarians can help prepare "
        "faculty for the next generation of research impact metrics",
        date=datetime.date(2013, 5, 15),
        venue="arXiv",
    )
    route_openalex(api)
    run_sync({"openalex": "A1969205032"}, sources=["openalex"])
    update = Suggestion.objects.get(kind="update")
    page = BeautifulSoup(editor_client.get(review_url(update)).content, "html.parser")
    rows = [
        [cell.get_text(strip=True) for cell in tr.select("td")[1:]]
        for tr in page.select("table.inbox-diff tbody tr")
    ]
    assert ["venue", "arXiv", "College & Research Libraries News"] in rows
    assert ["DOI", "(empty)", "10.5860/crln.74.6.8960"] in rows

    editor_client.post(review_url(update), {"action": "accept", "fields": ["venue"]})
    paper.refresh_from_db()
    assert paper.venue == "College & Research Libraries News" and paper.doi == ""


def test_dismiss_from_the_page(editor_client, inbox):
    suggestion = Suggestion.objects.get(doi="10.7717/peerj.175")
    editor_client.post(review_url(suggestion), {"action": "dismiss"})
    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    page = BeautifulSoup(editor_client.get(reverse(CHANGELIST)).content, "html.parser")
    assert "open data citation advantage" not in page.select_one("#result_list").get_text()
    assert Version.objects.get_for_object(suggestion)[0].revision.comment == (
        "Dismissed in the paper inbox."
    )


def test_bulk_accept_and_publish(editor_client, inbox):
    chosen = Suggestion.objects.filter(doi__in=["10.7717/peerj.175", "10.1038/493159a"])
    editor_client.post(
        reverse(CHANGELIST),
        {"action": "accept_and_publish", "_selected_action": [s.pk for s in chosen]},
    )
    assert set(Publication.objects.published().values_list("doi", flat=True)) == {
        "10.7717/peerj.175",
        "10.1038/493159a",
    }


def test_the_button_runs_the_sync_in_the_background(
    editor_client, api, transactional_db, monkeypatch
):
    Profile.objects.create(name="Heather Piwowar", openalex_id="A1969205032")
    route_openalex(api)
    started = []

    class AfterTheResponse(threading.Thread):
        """Starts when the test says: the in-memory test database allows one writer at a time."""

        def start(self):
            started.append(self)

        def start_now(self):
            super().start()

    monkeypatch.setattr(background.threading, "Thread", AfterTheResponse)
    response = editor_client.post(reverse("admin:inbox_suggestion_check"))
    assert SyncRun.objects.get().state == "running"
    started[0].start_now()
    assert response.status_code == 302
    started[0].join(timeout=30)
    assert not started[0].is_alive()
    run = SyncRun.objects.get()
    assert run.state == "done" and run.trigger == "editor"
    assert run.summary.startswith("24 new works and 0 updates found")
    page = editor_client.get(reverse(CHANGELIST)).content.decode()
    assert "24 new works and 0 updates found" in page


def test_the_button_refuses_a_second_run(editor_client, db):
    SyncRun.objects.create(trigger="editor")
    response = editor_client.post(reverse("admin:inbox_suggestion_check"), follow=True)
    assert b"already running" in response.content
    assert SyncRun.objects.count() == 1


def test_the_waiting_count_for_the_start_page(inbox):
    rendered = Template("{% load inbox %}{% waiting_suggestions as n %}{{ n }} waiting").render(
        Context()
    )
    assert rendered == "24 waiting"


def test_accepting_a_work_added_by_hand_meanwhile_makes_no_duplicate(editor_client, inbox):
    suggestion = Suggestion.objects.get(doi="10.7717/peerj.175")
    Publication.objects.create(
        title="Data reuse and the open data citation advantage",
        date=datetime.date(2013, 10, 1),
        doi="10.7717/PeerJ.175",
    )
    response = editor_client.post(review_url(suggestion), {"action": "accept"}, follow=True)
    assert "is already on the site" in response.content.decode()
    assert Publication.objects.filter(title__startswith="Data reuse").count() == 1
    suggestion.refresh_from_db()
    assert suggestion.status == "waiting"
