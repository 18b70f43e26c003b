import gzip

import pytest
from django.core.cache import cache
from django.test import Client
from taggit.models import Tag

from profiles.models import Profile, SocialLink
from research.models import Authorship, Person, Publication

PAPER_URL = "/research/reversal-curse/"


def page(client, url="/", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def rename_profile():
    profile = Profile.load()
    profile.name = "Renamed Owner"
    profile.save()
    return "<h1>Mikita Balesni</h1>", "<h1>Renamed Owner</h1>"


def relabel_link():
    link = SocialLink.objects.get(label="Google Scholar")
    link.label = "Scholar profile"
    link.save()
    return ">Google Scholar<", ">Scholar profile<"


def hide_link():
    SocialLink.objects.filter(label="Google Scholar").get().delete()
    return ">Google Scholar<", None


def rename_person():
    person = Person.objects.get(name="Meg Tong")
    person.name = "Margaret Tong"
    person.save()
    return "Meg Tong", "Margaret Tong"


def retitle_paper():
    paper = Publication.objects.get(slug="reversal-curse")
    paper.title = "The Reversal Curse, revisited"
    paper.save()
    return "The Reversal Curse:", "The Reversal Curse, revisited"


def delete_paper():
    Publication.objects.get(slug="reversal-curse").delete()
    return "The Reversal Curse:", None


def print_author_differently():
    authorship = Authorship.objects.get(
        publication__slug="reversal-curse", person__name="Owain Evans"
    )
    authorship.printed_name = "Owain R. Evans"
    authorship.save()
    return None, "Owain R. Evans"


def drop_author():
    Authorship.objects.get(
        publication__slug="reversal-curse", person__name="Lukas Berglund"
    ).delete()
    return "Lukas Berglund", None


@pytest.mark.parametrize(
    "edit, url",
    [
        (rename_profile, "/"),
        (relabel_link, "/"),
        (hide_link, "/"),
        (rename_person, "/"),
        (rename_person, PAPER_URL),
        (retitle_paper, "/"),
        (retitle_paper, PAPER_URL),
        (delete_paper, "/"),
        (print_author_differently, PAPER_URL),
        (drop_author, PAPER_URL),
    ],
)
def test_an_edit_shows_on_the_next_request(client, seeded, edit, url):
    page(client, url)  # now cached
    before = page(client, url)
    old, new = edit()
    after = page(client, url)
    if old:
        assert old in before and old not in after
    if new:
        assert new not in before and new in after


def test_the_second_anonymous_request_is_answered_from_the_cache(
    client, seeded, django_assert_num_queries
):
    first = page(client, "/")
    # Only the "content last changed" timestamp is read; no view, no session.
    with django_assert_num_queries(1):
        second = page(client, "/")
    assert second == first


def test_invalidation_needs_no_cache_deletion_so_other_workers_see_edits(client, seeded):
    page(client, "/")
    entries_before = len(cache._cache)
    rename_profile()
    assert "Renamed Owner" in page(client, "/")
    # The old entry is still stored (another worker's memory would still hold it),
    # but its key no longer matches, so it is never served.
    assert len(cache._cache) == entries_before + 1


def rename_tag():
    tag = Tag.objects.get(name="generalization")
    tag.name = "generalisation"
    tag.save()
    return ">generalization<", ">generalisation<"


def tag_a_paper():
    Publication.objects.get(slug="reversal-curse").tags.add("evaluations")
    return None, "The Reversal Curse:"


def untag_a_paper():
    Publication.objects.get(slug="scheming-safety-cases").tags.remove("evaluations")
    return "Towards evaluations-based safety cases", None


def unpublish_paper():
    paper = Publication.objects.get(slug="reversal-curse")
    paper.status = Publication.Status.DRAFT
    paper.save()
    return "/research/reversal-curse/</loc>", None


@pytest.mark.parametrize(
    "edit, url",
    [
        (rename_tag, PAPER_URL),
        (tag_a_paper, "/research/tags/evaluations/"),
        (untag_a_paper, "/research/tags/evaluations/"),
        (retitle_paper, "/research/"),
        (retitle_paper, "/research/feed/"),
        (rename_person, "/research/feed/atom/"),
        (rename_person, "/research/papers.bib"),
        (unpublish_paper, "/sitemap.xml"),
    ],
)
def test_tags_lists_and_feeds_show_edits_on_the_next_request(client, seeded, edit, url):
    test_an_edit_shows_on_the_next_request(client, seeded, edit, url)


def test_signed_in_visitors_bypass_the_cache_and_see_drafts(editor_client, seeded):
    client = Client()
    paper = Publication.objects.get(slug="reversal-curse")
    paper.status = Publication.Status.DRAFT
    paper.save()
    assert client.get(PAPER_URL).status_code == 404
    response = editor_client.get(PAPER_URL)
    assert response.status_code == 200
    assert "Draft: only editors can see this page." in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    # The editor's page was not stored for anyone else.
    assert client.get(PAPER_URL).status_code == 404


def test_public_pages_have_validators_and_a_short_public_max_age(client, seeded):
    response = client.get("/")
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60"} <= cache_control
    assert "Cookie" in response["Vary"]


def test_conditional_requests_get_304_until_the_content_changes(client, seeded):
    first = client.get("/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    rename_profile()
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Renamed Owner" in changed.content.decode()


def test_pages_are_sent_gzip_compressed_to_clients_that_accept_it(client, seeded):
    plain = client.get("/")
    assert not plain.has_header("Content-Encoding")
    for _ in range(2):  # from a fresh render, then from the cache
        compressed = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
        assert compressed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in compressed["Vary"]
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content) / 2


def test_admin_and_missing_pages_are_not_cached(client, seeded):
    login = client.get("/admin/login/")
    assert "public" not in login.get("Cache-Control", "")
    assert client.get("/research/no-such-paper/").status_code == 404
    assert not cache._cache  # nothing was stored


def test_the_cache_can_be_switched_off(client, seeded, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    page(client, "/")
    rename_profile()
    assert "Renamed Owner" in page(client, "/")
    # No whole page is stored; only the list entries are (research/listing.py).
    assert [key for key in cache._cache if ":page" in key] == []
    assert all(":entry:" in key for key in cache._cache)


def test_the_version_read_is_one_query_memoised_on_the_request(rf, db, django_assert_num_queries):
    from pagecache.freshness import last_changed, mark_changed
    from pagecache.models import ContentVersion

    assert last_changed(rf.get("/")) is None  # never edited
    mark_changed()
    request, stored = rf.get("/"), ContentVersion.objects.get(model="").changed
    with django_assert_num_queries(1):
        assert last_changed(request) == stored
    with django_assert_num_queries(0):
        assert last_changed(request).tzinfo is not None


def test_a_cached_answer_has_the_same_headers_as_a_rendered_one(client, seeded):
    rendered = client.get("/")
    cached = client.get("/")
    assert dict(cached.items()) == dict(rendered.items())
    assert cached["X-Frame-Options"] == "DENY"


def test_head_requests_are_answered_from_the_same_cache(client, seeded, django_assert_num_queries):
    body = client.get("/").content
    with django_assert_num_queries(1):
        head = client.head("/")
    assert head.status_code == 200
    assert int(head["Content-Length"]) == len(body)
