"""Content versions per model: which stamps a change bumps, and reading them all at once."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import m2m_changed
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from pagecache import freshness
from pagecache.freshness import (
    changed_labels,
    changed_of,
    changes_marked_once,
    last_changed,
    mark_changed,
    tracked_labels,
    versions,
)
from pagecache.models import ContentVersion
from profiles.models import Profile, SocialLink
from research.models import Person, Publication


def stamps():
    return dict(ContentVersion.objects.values_list("model", "changed"))


@pytest.fixture
def paper(db):
    return Publication.objects.create(
        title="A paper", slug="a-paper", date=datetime.date(2024, 1, 1)
    )


def test_every_declared_content_model_has_a_stamp_of_its_own_by_label():
    labels = tracked_labels()
    assert {"research.Publication", "profile.Profile", "pages.MenuItem"} <= labels
    # Declared by research as "taggit.Tag" / "taggit.TaggedItem": their own labels.
    assert {"taggit.Tag", "taggit.TaggedItem"} <= labels
    assert "" not in labels
    assert "auth.User" not in labels


def test_a_save_bumps_the_site_and_its_own_model_only(db):
    Profile.objects.create(name="Owner")
    before = stamps()
    assert set(before) == {"", "profile.Profile", "profile.HomeSection"}
    link = SocialLink.objects.create(profile=Profile.load(), label="Web", url="https://x.org")
    after = stamps()
    assert after[""] > before[""]
    assert after["profile.SocialLink"] == after[""]
    assert after["profile.Profile"] == before["profile.Profile"]
    link.delete()
    assert stamps()["profile.SocialLink"] > after["profile.SocialLink"]
    assert stamps()["profile.Profile"] == before["profile.Profile"]


def test_the_site_wide_row_of_an_existing_database_keeps_its_id_and_is_bumped(db):
    old = timezone.now() - datetime.timedelta(days=1)
    ContentVersion.objects.create(pk=1, changed=old)  # as migration 0002 leaves it
    Person.objects.create(name="Ada Lovelace")
    row = ContentVersion.objects.get(model="")
    assert row.pk == 1 and row.changed > old
    assert last_changed() == row.changed


def test_tagging_a_paper_bumps_the_tags_the_paper_and_the_tagged_items(paper):
    Tag.objects.create(name="physics")
    before = stamps()
    paper.tags.add("physics")  # m2m_changed, sent by the table between them
    after = stamps()
    for label in ("", "taggit.TaggedItem", "research.Publication", "taggit.Tag"):
        assert after[label] > before.get(label, before[""]), label
    assert after.get("research.Person") == before.get("research.Person")


def test_an_m2m_change_names_the_through_model_the_instance_and_the_other_model(paper):
    labels = changed_labels(
        TaggedItem, signal=m2m_changed, instance=paper, model=Tag, action="post_add"
    )
    assert labels == {"taggit.TaggedItem", "research.Publication", "taggit.Tag"}
    # A save names its sender; an m2m change between models that are not content, none.
    assert changed_labels(Person, instance=Person(name="x")) == {"research.Person"}
    from django.contrib.auth.models import Group, User

    assert (
        changed_labels(User.groups.through, signal=m2m_changed, instance=User(), model=Group)
        == set()
    )


def test_mark_changed_without_a_sender_bumps_every_stamp_creating_missing_rows(db):
    mark_changed()
    after = stamps()
    assert set(after) == {"", *tracked_labels()}
    assert len(set(after.values())) == 1


def test_changes_marked_once_bump_every_stamp_once_at_the_end(db):
    with CaptureQueriesContext(connection) as queries, changes_marked_once():
        Person.objects.create(name="Ada Lovelace")
        Person.objects.create(name="Grace Hopper")
        assert stamps() == {}
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('INSERT INTO "pagecache_contentversion"')
    ]
    assert len(writes) == 1
    assert set(stamps()) == {"", *tracked_labels()}


def test_a_bump_is_one_upsert_and_a_missing_row_is_created_by_it(db):
    mark_changed(sender=Publication)
    with CaptureQueriesContext(connection) as queries:
        mark_changed(sender=Publication)  # rows exist: updated
        mark_changed(sender=Person)  # research.Person's row does not: created
    assert len(queries) == 2
    assert all(
        "ON CONFLICT" in q["sql"] or "DUPLICATE" in q["sql"] for q in queries.captured_queries
    )
    assert {"", "research.Publication", "research.Person"} == set(stamps())
    assert ContentVersion.objects.count() == 3


def test_all_versions_are_one_query_memoised_on_the_request(rf, db, django_assert_num_queries):
    request = rf.get("/")
    with django_assert_num_queries(1):
        assert versions(request) == {}
        assert last_changed(request) is None
        never = changed_of(request, Publication, "profile.Profile")
    assert never == "-|-"  # stable until the first change
    mark_changed(sender=Publication)
    request = rf.get("/")
    with django_assert_num_queries(1):
        stamp = changed_of(request, Publication)
        assert changed_of(request, Person) == "-"
        assert last_changed(request) is not None
        assert changed_of(request, "research.Publication") == stamp != "-"
    assert stamp == str(versions()["research.Publication"])


def test_a_model_without_a_stamp_of_its_own_counts_as_the_whole_site(rf, db):
    from django.contrib.auth.models import User

    mark_changed(sender=Publication)
    request = rf.get("/")
    assert changed_of(request, User) == str(versions(request)[""])


def test_the_stamp_of_a_model_moves_only_when_it_changes(rf, paper):
    Profile.objects.create(name="Owner")
    first = changed_of(rf.get("/"), Profile, SocialLink)
    paper.title = "Retitled"
    paper.save()
    assert changed_of(rf.get("/"), Profile, SocialLink) == first
    SocialLink.objects.create(profile=Profile.load(), label="Web", url="https://x.org")
    assert changed_of(rf.get("/"), Profile, SocialLink) != first


def test_versions_are_read_with_one_query_built_once(db):
    sql, params = freshness._queries(connection.vendor)["every"]
    assert sql.startswith("SELECT") and "pagecache_contentversion" in sql
    assert freshness._queries(connection.vendor)["every"][0] is sql


def test_a_hit_reads_the_site_wide_stamp_alone(rf, db, django_assert_num_queries):
    mark_changed()
    request = rf.get("/")
    with django_assert_num_queries(1) as captured:
        changed = last_changed(request)
    assert "WHERE" in captured.captured_queries[0]["sql"]
    # A page that then asks for model stamps reads them all once, the same time included.
    with django_assert_num_queries(1):
        found = versions(request)
        assert changed_of(request, Profile) == changed_of(request, Profile)
    assert last_changed(request) == changed
    assert freshness._as_datetime(found[""]) == changed
