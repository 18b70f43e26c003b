"""The whole inbox on recorded answers: sync, review, accept, publish, sync again."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from inbox.models import Suggestion
from profiles.models import Profile
from research.models import Person, Publication

from .conftest import route_openalex, route_orcid

pytestmark = pytest.mark.django_db

CITEAS = "CiteAs: Better Software through Sociotechnical Change for Better Software Citation"
STATE_OF_OA = (
    "The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles"
)


@pytest.fixture
def owner():
    """Heather Piwowar, whose OpenAlex works are recorded, as the site owner."""
    Profile.objects.create(
        name="Heather Piwowar", openalex_id="A1969205032", orcid="0000-0003-1620-1408"
    )
    return Person.objects.create(
        name="Heather Piwowar", is_owner=True, aliases="Heather A. Piwowar"
    )


def sync(capsys, *args):
    call_command("sync_papers", "--source", "openalex,orcid", *args)
    return capsys.readouterr().out.strip().splitlines()


def test_sync_accept_publish_and_sync_again(api, owner, editor_client, capsys):
    visitor = Client()
    openalex = route_openalex(api)
    route_orcid(api)

    lines = sync(capsys)
    # Two pages: the recorded first page, then the end of the cursor.
    assert openalex.call_count == 2
    assert lines[-1].startswith(
        "24 new works and 0 updates found (orcid 0 new, 0 updates; openalex 24 new, 0 updates)."
    )
    assert lines[-1].endswith("No source failed.")

    inbox = editor_client.get(reverse("admin:inbox_suggestion_changelist"))
    page = BeautifulSoup(inbox.content, "html.parser")
    titles = [a.get_text() for a in page.select("#result_list th a")]
    assert CITEAS in titles and STATE_OF_OA in titles
    # The two OpenAlex records of "Riding the crest…" (preprint and article) are one work.
    assert sum("Riding the crest of the altmetrics wave" in t for t in titles) == 1
    row = next(tr for tr in page.select("#result_list tr") if CITEAS in tr.get_text())
    authors = row.select_one("td.field-author_list")
    assert authors.select_one("b").get_text() == "Heather A. Piwowar"
    assert "(you)" in authors.get_text()
    assert "Caifan Du (new person)" in authors.get_text()
    assert "10.1145/3462204.3482889" in row.get_text()

    suggestion = Suggestion.objects.get(title=STATE_OF_OA)
    response = editor_client.post(
        reverse("admin:inbox_suggestion_review", args=[suggestion.pk]),
        {"action": "accept", "publish_status": "published"},
    )
    assert response.status_code == 302
    paper = Publication.objects.get(title=STATE_OF_OA)
    assert paper.is_published and paper.doi == "10.7717/peerj.4375" and paper.venue == "PeerJ"

    research = BeautifulSoup(visitor.get("/research/").content, "html.parser")
    entry = next(li for li in research.select("li.paper") if STATE_OF_OA in li.get_text())
    names = entry.select_one(".authors").get_text().split(", ")
    assert names == [
        "Heather A. Piwowar",
        "Jason Priem",
        "Vincent Larivière",
        "Juan Pablo Alperin",
        "Lisa Matthias",
        "Bree Norlander",
        "Ashley Farley",
        "Jevin D. West",
        "Stefanie Haustein",
    ]
    assert entry.select_one(".authors b").get_text() == "Heather A. Piwowar"

    feed = feedparser.parse(visitor.get(reverse("research:feed")).content)
    assert [e.title for e in feed.entries] == [STATE_OF_OA]

    dismissed = Suggestion.objects.get(title=CITEAS)
    editor_client.post(
        reverse("admin:inbox_suggestion_review", args=[dismissed.pk]), {"action": "dismiss"}
    )

    lines = sync(capsys)
    assert lines[-1] == (
        "0 new works and 0 updates found (orcid 0 new, 0 updates; openalex 0 new, 0 updates)."
        " No source failed."
    )
    assert Suggestion.objects.filter(title=CITEAS).get().status == "dismissed"
    assert Suggestion.objects.filter(title=STATE_OF_OA).get().status == "accepted"
    assert Suggestion.objects.waiting().count() == 22
    # The second sync stored the paper's citation count from the same answers.
    assert paper.citation_counts.get().count == 394
