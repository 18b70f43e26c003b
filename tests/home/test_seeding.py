"""loadseed: fills an empty site, changes nothing the second time, never clobbers."""

import pytest
from django.core.management import CommandError, call_command

from profiles.models import Profile, SocialLink
from research.models import Authorship, Person, Publication


def snapshot():
    """Every row of every content table, timestamps included."""
    rows = {}
    for model in (Profile, SocialLink, Person, Publication, Authorship):
        fields = [f.attname for f in model._meta.concrete_fields]
        rows[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    rows["tags"] = sorted((p.slug, t.name) for p in Publication.objects.all() for t in p.tags.all())
    return rows


def test_loads_the_seed_into_an_empty_database(db, capsys):
    call_command("loadseed")
    assert "Seed content loaded" in capsys.readouterr().out
    profile = Profile.load()
    assert profile.name == "Mikita Balesni"
    assert profile.photo and profile.photo_circular and profile.photo_alignment == "right"
    assert [link.label for link in profile.visible_links()] == [
        "Feedback form",
        "Email",
        "Google Scholar",
        "GitHub",
        "Facebook",
        "Twitter",
    ]
    assert profile.links.get(label="CV").visible is False
    assert Publication.objects.published().highlighted().count() == 5
    assert all(p.thumbnail for p in Publication.objects.all())
    owner = Person.objects.get(is_owner=True)
    assert owner.name == "Mikita Balesni"
    reversal = Publication.objects.get(slug="reversal-curse")
    assert reversal.date.isoformat() == "2023-09-01"
    assert [(a.name, a.equal_contribution) for a in reversal.authors] == [
        ("Lukas Berglund", False),
        ("Meg Tong", True),
        ("Max Kaufmann", True),
        ("Mikita Balesni", True),
        ("Asa Cooper Stickland", True),
        ("Tomasz Korbak", False),
        ("Owain Evans", False),
    ]


def test_running_twice_changes_nothing(db, capsys):
    call_command("loadseed")
    before = snapshot()
    call_command("loadseed")
    assert "nothing changed" in capsys.readouterr().out
    assert snapshot() == before
    call_command("loadseed", "--force")
    assert snapshot() == before


def test_refuses_a_database_with_other_content_unless_forced(db):
    call_command("loadseed")
    paper = Publication.objects.get(slug="reversal-curse")
    paper.title = "My own edit"
    paper.save()
    mine = Publication.objects.create(title="My new paper", date="2025-01-01")
    before = snapshot()

    with pytest.raises(CommandError, match="--force"):
        call_command("loadseed")
    assert snapshot() == before

    call_command("loadseed", "--if-empty")
    assert snapshot() == before

    call_command("loadseed", "--force")
    assert Publication.objects.get(slug="reversal-curse").title.startswith("The Reversal Curse")
    assert Publication.objects.filter(pk=mine.pk).exists()


def test_seed_images_are_real_pictures(db):
    from PIL import Image

    call_command("loadseed")
    with Image.open(Profile.load().photo.path) as photo:
        assert photo.size == (400, 400)
    thumb = Publication.objects.first().thumbnail
    with Image.open(thumb.path) as image:
        assert image.format == "PNG" and image.width > image.height
