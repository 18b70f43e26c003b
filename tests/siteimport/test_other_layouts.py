"""import_site on a Hugo Blox site and an academicpages site, detected from the folder.

Each expectation below is read off the stored files by hand (tests/data/sites/).
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Profile
from research.models import Person, Publication
from siteimport.readers import detect

from .conftest import import_site, site
from .test_alfolio import assert_nothing_raw, assert_second_run_changes_nothing, link_rows

pytestmark = pytest.mark.django_db


def authors(paper):
    return [a.person.name for a in paper.authorships.order_by("position")]


def test_each_layout_is_detected_from_the_folder():
    assert detect(site("alshedivat-al-folio")).name == "alfolio"
    assert detect(site("mbalesni-seed")).name == "alfolio"
    assert detect(site("4TINI-luca4tini.github.io")).name == "hugo-blox"
    assert detect(site("Babak70-babak70.github.io")).name == "academicpages"


def test_hugo_blox_site(client):
    output = import_site(site("4TINI-luca4tini.github.io"))
    assert "Imported the Hugo Blox site" in output
    profile = Profile.objects.get()
    # The author's title is empty: the site title in config/_default/config.yaml names him.
    assert profile.name == "Luca Fortini"
    assert profile.bio.startswith(
        "Luca Fortini is a PostDoc at the [Human-Robot Interfaces and Interaction Laboratory]"
        "(https://hri.iit.it/), Istituto Italiano di Tecnologia."
    )
    assert profile.bio.endswith("collaborative tasks in industrial scenarios.")
    # social: in order; the envelope points at a contact section with no address.
    assert link_rows() == [
        ("Twitter", "https://twitter.com/LUCA4TINI", "twitter"),
        (
            "Google Scholar",
            "https://scholar.google.com/citations?user=ILmUVh4AAAAJ&hl=en",
            "google-scholar",
        ),
        ("GitHub", "https://github.com/4TINI", "github"),
        ("LinkedIn", "https://www.linkedin.com/in/luca-fortini/", "linkedin"),
        ("Instagram", "https://www.instagram.com/luca4tini/", "other"),
        ("Medium", "https://medium.com/@LUCA4TINI", "other"),
    ]
    assert "the Email icon points at the contact section" in output

    belt = Publication.objects.get(title__startswith="Ergotac-belt")
    # Front matter first (what Hugo Blox shows), cite.bib only where it is silent.
    assert belt.date == datetime.date(2021, 8, 1)
    assert belt.venue == (
        "2022 9th IEEE RAS/EMBS International Conference for Biomedical Robotics and "
        "Biomechatronics"
    )
    assert belt.venue_short == "BioRob"
    assert belt.doi == "10.1109/BioRob52689.2022.9925563"
    assert belt.tldr.startswith("This paper proposes an exploratory study")
    assert authors(belt) == [
        "Marta Lorenzini", "Juan Manuel Gandarias", "Luca Fortini", "Wansoo Kim", "Arash Ajoudani",
    ]  # fmt: skip
    assert belt.highlighted and [t.name for t in belt.tags.all()] == ["Rehabilitation"]

    mocap = Publication.objects.get(title__startswith="Markerless 3D human pose tracking")
    # date: "" -> Hugo falls back to publishDate.
    assert mocap.date == datetime.date(2023, 1, 3)
    assert mocap.pdf_url == "https://arxiv.org/abs/2303.18119"
    assert sorted(t.name for t in mocap.tags.all()) == ["ROS", "mocap"]

    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Luca Fortini"
    assert all(owner in p.people.all() for p in Publication.objects.all())
    # The post becomes a news item.
    assert "news: 1 created" in output
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("4TINI-luca4tini.github.io"))


def test_academicpages_site(client):
    output = import_site(site("Babak70-babak70.github.io"))
    assert "Imported the academicpages site" in output
    profile = Profile.objects.get()
    assert profile.name == "Babak Rahmani"
    assert profile.subtitle == "Applied Machine Learning Researcher"
    assert profile.bio.startswith("I’m Babak Rahmani. I’m a Researcher at [Microsoft Research]")
    assert "## News\n\n* **Feb 2026**: Blog post:" in profile.bio
    # The Liquid loop listing publications is left out, each tag reported with its line.
    assert "Selected publications" not in profile.bio
    assert (
        "_pages/about.md:29: Liquid block “{% for permalink in pub_order %}” (to line 34)" in output
    )
    # The author block in author-profile.html's order; the [at] address becomes a mailto.
    assert link_rows() == [
        ("Email", "mailto:rahmani.b91@gmail.com", "email"),
        ("Twitter", "https://twitter.com/babakRmni", "twitter"),
        ("GitHub", "https://github.com/babak70", "github"),
        (
            "Google Scholar",
            "https://scholar.google.com/citations?user=Q3DLZlEAAAAJ&hl=en",
            "google-scholar",
        ),
    ]
    actor = Publication.objects.get(title="An actor-model framework for visual sensory encoding")
    assert actor.date == datetime.date(2024, 1, 27)
    assert actor.venue == "Nature Communications"
    assert actor.url == "https://www.nature.com/articles/s41467-024-45105-5"
    assert authors(actor) == [
        "Franklin Leong", "Babak Rahmani", "Demetri Psaltis", "Christophe Moser", "Diego Ghezzi",
    ]  # fmt: skip
    assert Person.objects.get(is_owner=True).name == "Babak Rahmani"
    implicit = Publication.objects.get(title__startswith="Implicit Language Models are RNNs")
    assert (implicit.venue, implicit.url) == ("ICML", "https://arxiv.org/abs/2502.07827")
    assert authors(implicit) == []
    assert "names no authors" in output
    assert "talks: 2 created" in output
    assert_nothing_raw(client)
    assert_second_run_changes_nothing(site("Babak70-babak70.github.io"))


def test_from_overrides_detection():
    with pytest.raises(CommandError, match="no name found|No name found"):
        # Read as Hugo Blox, the academicpages folder has no author: nothing to import.
        call_command(
            "import_site", str(site("Babak70-babak70.github.io")), "--from", "hugo-blox",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert not Profile.objects.exists()


def test_academicpages_talks(client):
    from talks.models import Talk

    import_site(site("Babak70-babak70.github.io"))
    talks = [
        (t.title, t.event, t.location, t.date.isoformat(), t.kind)
        for t in Talk.objects.order_by("date")
    ]
    assert talks == [
        (
            "Partially-measured physical system characterization with neural networks",
            "Emerging Topics in Artificial Intelligence, SPIE 2021",
            "San Diego, California",
            "2021-08-01",
            "invited",
        ),
        (
            "Natural image synthesis for the retina with variational information bottleneck "
            "representation",
            "NeurIPS 2022",
            "New Orleans, USA",
            "2022-11-30",
            "poster",
        ),
    ]
    first = Talk.objects.get(date=datetime.date(2021, 8, 1))
    assert first.abstract.startswith("[Video](https://youtu.be/yaVTXyZTHdM)")
    listing = client.get("/talks/").content.decode()
    assert "Partially-measured physical system characterization" in listing
    assert_nothing_raw(client, "/talks/")


def test_hugo_blox_post_becomes_news_with_a_page(client):
    from news.models import NewsItem

    import_site(site("4TINI-luca4tini.github.io"))
    item = NewsItem.objects.get()
    assert (item.date, item.title) == (
        datetime.date(2023, 8, 21),
        "Weighting, Matching, or Regression?",
    )
    assert item.body.startswith(
        "AB tests or randomized controlled trials are the **gold standard**"
    )
    assert (
        "## Example" in item.body and "```python\ndf = dgp_darkmode().generate_data()" in item.body
    )
    assert "vertical-align" not in item.body  # the notebook's <style> is left out
    # The notebook's HTML table becomes a Markdown table; TeX keeps its subscripts.
    assert "|  | read_time | dark_mode |\n| --- | --- | --- |\n| 0 | 14.4 | False |" in item.body
    assert "$(D_i, Y_i, X_i)$" in item.body
    assert_nothing_raw(client, item.get_absolute_url())
