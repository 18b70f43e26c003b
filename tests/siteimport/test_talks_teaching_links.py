"""Talks, teaching, papers' extra links and the menu order, on real sites.

Each expectation is read off the stored files by hand (tests/data/sites/README).
"""

import datetime

import pytest
from bs4 import BeautifulSoup

from research.models import Publication

from .conftest import import_site, site
from .test_alfolio import assert_nothing_raw, assert_second_run_changes_nothing

pytestmark = pytest.mark.django_db

MEYER_GOHDE = "AlexMeyer-Gohde-AlexMeyer-Gohde.github.io"
AMICE = "AlexandreAmice-AlexandreAmice.github.io"


def text(tag):
    return " ".join(tag.get_text(" ").split())


def page(client, path):
    return BeautifulSoup(client.get(path).content, "html.parser")


def links_of(entry):
    return [(text(a), a["href"]) for a in entry.select("ul.links a")]


def test_hugo_blox_papers_keep_every_link_in_order(client):
    output = import_site(site(MEYER_GOHDE))
    # Hugo Blox's newer section name, content/publications/, holds the three papers.
    assert "papers: 3 created" in output
    listing = page(client, "/research/")
    entries = {text(li.select_one("h3 > a")): li for li in listing.select("li.paper")}
    forward = entries[
        "Numerical Stability Analysis of Linear DSGE Models - Backward Errors, Forward "
        "Errors and Condition Numbers"
    ]
    # url_pdf, url_code, url_slides, then the links: list, as Hugo Blox shows its buttons.
    assert links_of(forward)[:-1] == [
        (
            "PDF",
            "https://www.dropbox.com/scl/fi/pir9qvgw1qxyijpet2ib7/"
            "backward_error_conditioning_linear_dsge.pdf?rlkey=a9oo1c4h24ex3toroxu3sbl5l&dl=1",
        ),
        (
            "Code",
            "https://github.com/AlexMeyer-Gohde/Numerical-Stability-Analysis-of-Linear-DSGE-Models",
        ),
        (
            "Slides",
            "https://www.dropbox.com/scl/fi/zwgdn1k82vvh343mro858/meyer-gohde_snde_2023.pdf"
            "?rlkey=8qqxnss9a9kyrjwxrfp81xpik&dl=1",
        ),
        (
            "IMFS Working Paper Series",
            "https://www.imfs-frankfurt.de/fileadmin/research/working_papers/imfs_wp_193.pdf",
        ),
    ]
    bernoulli = entries["Solving Linear DSGE Models with Bernoulli Methods"]
    assert [label for label, _ in links_of(bernoulli)] == [
        "Paper", "Code", "Slides", "IMFS Working Paper Series", "BibTeX",
    ]  # fmt: skip
    assert links_of(bernoulli)[0][1] == "https://doi.org/10.1007/s10614-024-10708-z"
    # doi: 'https://doi.org/10.1017/S1365100525100813 ' is the DOI written as its address.
    doubling = Publication.objects.get(title__contains="Structure Preserving Doubling")
    assert doubling.doi == "10.1017/S1365100525100813"
    assert doubling.url == "https://doi.org/10.1017/S1365100525100813"
    assert [(link.label, link.url) for link in doubling.links.all()] == [
        (
            "IMFS Working Paper Series",
            "https://www.imfs-frankfurt.de/fileadmin/research/working_papers/imfs_wp_195.pdf",
        )
    ]
    assert "no place for" not in output
    assert_nothing_raw(client, "/research/", doubling.get_absolute_url())
    assert_second_run_changes_nothing(site(MEYER_GOHDE))


def test_hugo_blox_events_are_talks(client):
    output = import_site(site(MEYER_GOHDE))
    assert "talks: 2 created" in output
    listing = page(client, "/talks/")
    talks = listing.select("li.entry")
    assert [text(t.select_one(".title")) for t in talks] == [
        "Konjunkturaussichten - Eurozone und Deutschland Invited talk",
        "Transatlantische Handelsbeziehungen - Aktuelle Herausforderungen Invited talk",
    ]
    assert [text(t.select_one(".venues")) for t in talks] == [
        "Lautracher Konjunkturrunde, IHK Darmstadt · June 12, 2023",
        "Transatlantische Beziehungen - Das Verhältnis zwischen EU und USA, TU Darmstadt · "
        "February 4, 2020",
    ]
    ihk, naumann = talks
    assert links_of(ihk) == [
        (
            "Slides",
            "https://www.dropbox.com/scl/fi/3wqhptwh32b234fm06wsi/"
            "meyer-gohde_ihk_darmstadt_2023.pdf?rlkey=hzakz1vte90vy9oxh767qazp9&dl=0",
        )
    ]
    assert text(ihk.select_one(".tldr")).startswith(
        "Current business cycle developments in Germany and the Euro area, summarized"
    )
    # The links: list has no field on a talk: it ends the talk's text, as a link.
    flyer = naumann.select_one(".tldr a[href$='bsp-flyer-vortragsreihe.pdf']")
    assert text(flyer) == "Flyer"
    assert ("Slides", "https://hessenbox-a10.rz.uni-frankfurt.de/getlink/"
            "fiNWMrETuKGdtxgvE7Qsph/meyer-gohde.pdf") in links_of(naumann)  # fmt: skip
    # The callout shortcode is left out (and said so); its inner text stays.
    assert "{{%" not in listing.decode() and "callout" not in text(naumann)
    assert "Click on the Slides button above" in text(naumann)
    assert "content/event/naumann_2020/index.md:60: Hugo shortcode" in output
    assert_nothing_raw(client, "/talks/")
    assert_second_run_changes_nothing(site(MEYER_GOHDE))


def test_academicpages_teaching(client):
    output = import_site(site(AMICE))
    assert "teaching: 2 created" in output
    listing = page(client, "/teaching/")
    courses = listing.select("li.entry")
    by_title = {text(c.select_one(".title")): c for c in courses}
    assert set(by_title) == {"ESE 421: Control for Autonomous Robots", "Modern Convex Optimization"}
    # Both texts say “As a teaching assistant”; the venue and the year of the date.
    assert text(by_title["ESE 421: Control for Autonomous Robots"].select_one(".venues")) == (
        "Teaching assistant, University of Pennsylvania · 2019"
    )
    assert text(by_title["Modern Convex Optimization"].select_one(".venues")) == (
        "Teaching assistant, University of Pennsylvania, Department of Electrical and Systems "
        "Engineering · 2020"
    )
    ese421 = text(by_title["ESE 421: Control for Autonomous Robots"].select_one(".tldr"))
    assert ese421.startswith("This course introduces the students to the hardware and software")
    assert "implementation of I2C communication" in ese421  # <sup>2</sup>, shown as text
    assert "<sup>" not in listing.decode().split('class="entries"')[1]
    assert_nothing_raw(client, "/teaching/")
    assert_second_run_changes_nothing(site(AMICE))


def menu(client):
    return [text(a) for a in page(client, "/").select(".nav-links a")]


def test_template_menu_follows_alfolio_nav_order(client):
    import_site(site("alshedivat-al-folio"))
    # _pages/: about first, publications (nav_order: 2), cv (nav_order: 5).
    shown = menu(client)
    assert [s for s in shown if s in {"about", "research", "cv"}] == ["about", "research", "cv"]
    assert shown[:3] == ["about", "research", "cv"]


def test_imported_page_takes_its_nav_place_and_owner_order_stays(client):
    from pages.models import MenuItem

    import_site(site("AAttarpour-AAttarpour.github.io"))
    # credentials.md (nav: true, nav_order: 5) follows about, its only nav page before it.
    assert menu(client)[:2] == ["about", "Credentials"]
    # The owner moves Credentials last; importing again keeps that.
    last = max(MenuItem.objects.values_list("position", flat=True))
    MenuItem.objects.filter(page__slug="credentials").update(position=last + 1)
    output = import_site(site("AAttarpour-AAttarpour.github.io"))
    assert menu(client)[-1] == "Credentials"
    assert "menu entries: 2 unchanged" in output


def test_talk_and_paper_dates_stay_on_a_second_run():
    import_site(site(MEYER_GOHDE))
    from talks.models import Talk

    assert sorted(Talk.objects.values_list("date", flat=True)) == [
        datetime.date(2020, 2, 4),
        datetime.date(2023, 6, 12),
    ]
    assert_second_run_changes_nothing(site(MEYER_GOHDE))
