"""Tags whose name has no slug characters ("🤖", "&") were saved with an empty
slug, which broke every page linking them: give each a usable one."""

import re

from django.db import migrations
from django.utils.text import slugify

# taggit's own retry for a taken empty slug: "", "_1", "_2", ...
_EMPTY_OR_RETRY = re.compile(r"(_\d+)?")


def repair(apps, schema_editor):
    from research.tagging import unique_slug

    Tag = apps.get_model("taggit", "Tag")
    for tag in Tag.objects.order_by("pk"):
        broken = not slugify(tag.slug, allow_unicode=True) or (
            _EMPTY_OR_RETRY.fullmatch(tag.slug) and not slugify(tag.name, allow_unicode=True)
        )
        if broken:
            tag.slug = unique_slug(Tag, tag.name, exclude_pk=tag.pk)
            tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("research", "0002_issue6_upload_validation"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
