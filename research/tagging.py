"""Every tag gets a usable slug, whatever its name.

taggit slugifies a tag's name as it is, so a name with no letters or digits
("🤖", "&", "—", "”") gets an empty slug and every page that links the tag
fails to reverse its URL. Here such names are spelled out with their Unicode
character names ("🤖" → "robot-face", "&" → "ampersand"), and anything still
empty gets a stable name-derived fallback ("tag-1a2b3c4d"). A pre_save hook
fills the slug before taggit's own code would, so every way a tag is created
(admin, importers, `tags.add`) goes through it.
"""

import hashlib
import unicodedata

from django.utils.text import slugify

SLUG_MAX_LENGTH = 100


def _spelled_out(name):
    """Characters that slugify drops, replaced by their Unicode names."""
    words = []
    for char in name:
        if slugify(char, allow_unicode=True):
            words.append(char)
        else:
            words.append(f" {unicodedata.name(char, '')} ")
    return "".join(words)


def base_slug(name):
    """The slug a tag called `name` should have, before making it unique."""
    slug = slugify(name, allow_unicode=True)
    if not slug:
        slug = slugify(_spelled_out(name), allow_unicode=True)
    if not slug:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        slug = f"tag-{digest}"
    return slug[:SLUG_MAX_LENGTH].strip("-") or "tag"


def unique_slug(model, name, exclude_pk=None):
    """base_slug(name), with -2, -3, ... when another tag already has it."""
    base = base_slug(name)
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix, n + 1
    return slug


def fill_tag_slug(sender, instance, **kwargs):
    """pre_save: a tag without a slug, or whose name slugifies to nothing, gets one."""
    if not instance.slug or not slugify(instance.slug, allow_unicode=True):
        instance.slug = unique_slug(sender, instance.name, exclude_pk=instance.pk)
