"""Keeps Publication.shown_changed current when what a paper's entry shows changes.

A paper's list entry shows the paper, its authorships, each author's name,
homepage and owner flag, its tags and its extra links. Saving or deleting any of them moves the
shown_changed time of exactly the papers concerned, which renames their cached
fragments (research/listing.py) and marks their search documents stale
(research/search.py). The paper's own save() moves it too. Writes that send no
signals (QuerySet.update(), bulk_create()) must call
Publication.objects.filter(...).mark_shown_changed() themselves.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag, TaggedItem

from .models import Authorship, PaperLink, Person, Publication


def _paper_row_changed(sender, instance, **kwargs):
    # An authorship or an extra link: a row that belongs to one paper.
    Publication.objects.filter(pk=instance.publication_id).mark_shown_changed()


def _person_changed(sender, instance, created=False, **kwargs):
    # A new person is on no paper yet (an import creates hundreds); a person on a
    # paper cannot be deleted (PROTECT), so only a save of an existing one counts.
    # The papers come from the authorships alone, by the indexed person_id.
    if created:
        return
    papers = Authorship.objects.filter(person=instance.pk).values("publication_id")
    Publication.objects.filter(pk__in=papers).mark_shown_changed()


def _tag_changed(sender, instance, created=False, **kwargs):
    if created:
        return  # a new tag is on no paper yet
    papers = TaggedItem.objects.filter(
        tag=instance.pk, content_type=ContentType.objects.get_for_model(Publication)
    ).values("object_id")
    Publication.objects.filter(pk__in=papers).mark_shown_changed()


def _tagged_item_changed(sender, instance, **kwargs):
    if instance.content_type.model_class() is Publication:
        Publication.objects.filter(pk=instance.object_id).mark_shown_changed()


def _tags_set(sender, instance, action, **kwargs):
    # paper.tags.add()/remove()/clear(); the TaggedItem signals cover add, not the
    # queryset delete behind remove() and clear().
    if action.startswith("post_") and isinstance(instance, Publication):
        Publication.objects.filter(pk=instance.pk).mark_shown_changed()


def _publication_deleted(sender, instance, **kwargs):
    from .search import forget

    forget(instance.pk)


def connect_signals():
    for sender, handler in [
        (Authorship, _paper_row_changed),
        (PaperLink, _paper_row_changed),
        (Person, _person_changed),
        (Tag, _tag_changed),
        (TaggedItem, _tagged_item_changed),
    ]:
        uid = f"shown-changed-{sender.__name__}"
        post_save.connect(handler, sender=sender, dispatch_uid=uid + "-save")
        post_delete.connect(handler, sender=sender, dispatch_uid=uid + "-delete")
    post_delete.connect(_publication_deleted, sender=Publication, dispatch_uid="search-forget")
    m2m_changed.connect(_tags_set, sender=TaggedItem, dispatch_uid="shown-changed-tags")
