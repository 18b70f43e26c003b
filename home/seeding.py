"""Load the demo homepage (the al-folio "about" page) from home/seed/about.json.

The content is data in the repository; only the images are made here, since the
seed's own pictures are not available. Loading is idempotent: objects are matched
by natural keys (label, name, slug) and saved only when a value differs.
"""

import colorsys
import datetime
import functools
import hashlib
import io
import json
import textwrap
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from core.registry import site_is_empty
from pagecache.freshness import mark_changed
from profiles.models import Profile, SocialLink
from research.models import Person, Publication

SEED_FILE = Path(__file__).resolve().parent / "seed" / "about.json"


class SeedRefused(Exception):
    pass


def load_seed(*, force=False, data=None):
    """Fill the database with the seed page; return how many objects changed.

    On a database that already holds other content, refuse unless force is set
    (force updates the seed's own objects and leaves everything else alone).
    """
    data = data or json.loads(SEED_FILE.read_text(encoding="utf-8"))
    if not force and not site_is_empty():
        with transaction.atomic():
            pending = _Loader(dry_run=True).apply(data)
            transaction.set_rollback(True)
        if pending:
            raise SeedRefused(
                "The database already has content that differs from the seed; nothing was "
                "changed. Use --force to overwrite the seed's own items (other content is kept)."
            )
        return 0
    with transaction.atomic():
        changes = _Loader(dry_run=False).apply(data)
        if changes:
            mark_changed()  # authorships are bulk-created, which sends no signals
        return changes


def arxiv_month(arxiv_id):
    """2309.12288 -> 1 September 2023: new-style IDs start with YYMM."""
    return datetime.date(2000 + int(arxiv_id[:2]), int(arxiv_id[2:4]), 1)


class _Loader:
    def __init__(self, dry_run):
        self.dry_run = dry_run
        self.changes = 0

    def sync(self, obj, values):
        """Set values on obj and save it, only if it is new or something differs."""
        if obj.pk is not None and all(getattr(obj, k) == v for k, v in values.items()):
            return obj
        for key, value in values.items():
            setattr(obj, key, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        self.changes += 1
        return obj

    def image(self, obj, field, name, make):
        if getattr(obj, field):
            return
        self.changes += 1
        if not self.dry_run:
            # A named ContentFile, or Django cannot fill the width/height fields.
            getattr(obj, field).save(name, ContentFile(make(), name=name), save=True)

    def apply(self, data):
        profile = self.sync(Profile.load(), data["profile"])
        self.image(profile, "photo", "photo.png", lambda: make_portrait(profile.name))
        for position, link in enumerate(data["links"]):
            existing = profile.links.filter(label=link["label"]).first()
            self.sync(existing or SocialLink(profile=profile), {**link, "position": position})

        owner = next(p["name"] for p in data["people"] if p.get("is_owner"))
        former = Person.objects.filter(is_owner=True).exclude(name=owner)
        papers = list(
            Publication.objects.filter(authorships__person__in=former).values_list("pk", flat=True)
        )
        if former.update(is_owner=False):
            # update() sends no signal: their papers' entries bold someone else now.
            Publication.objects.filter(pk__in=papers).mark_shown_changed()
            self.changes += 1
        people = {}
        for person in data["people"]:
            values = {
                "name": person["name"],
                "homepage": person.get("homepage", ""),
                "is_owner": person.get("is_owner", False),
                "aliases": "\n".join(person.get("aliases", [])),
            }
            obj = self.sync(Person.objects.filter(name=person["name"]).first() or Person(), values)
            for name in [person["name"], *person.get("aliases", [])]:
                people[name] = obj

        # Oldest first, so papers of the same month are "added" in date order.
        for paper in reversed(data["publications"]):
            self.publication(paper, people)
        return self.changes

    def publication(self, paper, people):
        arxiv_id = paper["arxiv"]
        values = {
            "slug": paper["slug"],
            "title": paper["title"],
            "date": arxiv_month(arxiv_id),
            "url": f"https://arxiv.org/abs/{arxiv_id}",
            "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
            "venue": paper["venue"],
            "tldr": paper["tldr"],
            "code_url": paper["code_url"],
            "highlighted": True,
            "status": Publication.Status.PUBLISHED,
        }
        obj = self.sync(
            Publication.objects.filter(slug=paper["slug"]).first() or Publication(), values
        )
        self.image(
            obj, "thumbnail", f"{paper['slug']}.png", lambda: make_thumbnail(obj.title, obj.slug)
        )
        if sorted(t.name for t in obj.tags.all()) != sorted(paper["tags"]):
            obj.tags.set(paper["tags"], clear=True)
            self.changes += 1

        authors = []
        for printed in paper["authors"]:
            name = printed.rstrip("*")
            authors.append((people[name], "*" if printed.endswith("*") else "", name))
        # A dry run too: it runs inside a transaction that load_seed rolls back.
        if obj.set_authors(authors):
            self.changes += 1


def _palette(key):
    """A stable, pleasant colour pair derived from a string."""
    hue = int(hashlib.sha256(key.encode()).hexdigest()[:4], 16) / 0xFFFF
    dark = tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, 0.32, 0.55))
    light = tuple(round(c * 255) for c in colorsys.hls_to_rgb((hue + 0.08) % 1, 0.55, 0.6))
    return dark, light


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


@functools.cache  # deterministic: the same picture for the same name
def make_portrait(name, size=400):
    """A stand-in photo: the owner's initials on a soft gradient."""
    dark, light = _palette(name or "profile")
    image = _gradient((size, size), light, dark)
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, font=font, fill="white", anchor="mm")
    return _png(image)


@functools.cache  # deterministic: the same picture for the same title
def make_thumbnail(title, key, size=(480, 300)):
    """A stand-in figure: the paper's title on a colour of its own."""
    dark, light = _palette(key)
    image = _gradient(size, dark, light)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    lines = textwrap.wrap(title, width=26)[:5]
    draw.multiline_text(
        (size[0] / 2, size[1] / 2),
        "\n".join(lines),
        font=font,
        fill="white",
        anchor="mm",
        align="center",
        spacing=8,
    )
    return _png(image)
