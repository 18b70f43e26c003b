import io
import shutil
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import call_command

from core.registry import public_models
from profiles.models import Profile, SocialLink
from research.models import Authorship, Person, Publication

SITES = Path(__file__).resolve().parent.parent / "data" / "sites"
# Text fields a visitor sees: none may carry a template tag or raw HTML styling.
RAW = ("{%", "%}", "{{", "}}", "<style", "<script", "feat-", "{:", "&lt;", "site.baseurl")


def site(name):
    return SITES / name


@pytest.fixture
def copy_site(tmp_path):
    """A writable copy of a stored site, to add the binary files the store lacks."""

    def make(name):
        target = tmp_path / "site" / name
        shutil.copytree(site(name), target)
        return target

    return make


def import_site(folder, *args):
    out = io.StringIO()
    call_command("import_site", str(folder), *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row an import writes, with its timestamps: equal means nothing was saved."""
    models = dict.fromkeys([Profile, SocialLink, Person, Publication, Authorship, *public_models()])
    return [serializers.serialize("json", model.objects.order_by("pk")) for model in models]


def stored_text():
    """Every stored text a page can show, for the "nothing raw" checks."""
    profile = Profile.objects.get()
    texts = [profile.name, profile.subtitle, profile.bio, profile.active_research]
    texts += [f"{link.label} {link.url}" for link in SocialLink.objects.all()]
    for paper in Publication.objects.all():
        texts += [paper.title, paper.venue, paper.tldr, paper.abstract]
    texts += list(Person.objects.values_list("name", flat=True))
    return texts
