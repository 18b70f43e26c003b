"""A large publication list, built fast: papers, authors and tags in bulk.

Used by the query-budget tests and by `make bench` to check that no page costs
more queries, or much more time once cached, as the list grows. bulk_create
sends no signals, so the content timestamp is bumped once at the end.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from taggit.models import Tag, TaggedItem

from pagecache.freshness import mark_changed
from research.models import Person, Publication

PEOPLE = 400
TAGS = 60


@transaction.atomic
def add_papers(count, *, authors=15, tags=3, highlighted=False):
    """Add `count` published papers with `authors` authors and `tags` tags each."""
    start = Publication.objects.filter(slug__startswith="generated-paper-").count()
    people = Person.objects.bulk_create(
        # Slugs unique per batch too: a second batch's names overlap the first's.
        Person(name=f"Generated Author {start + i:05d}", slug=f"generated-author-{start}-{i}")
        for i in range(PEOPLE)
    )
    owner = Person.objects.filter(is_owner=True).first()
    tag_objects = [
        Tag.objects.get_or_create(name=f"topic {i:02d}", defaults={"slug": f"topic-{i:02d}"})[0]
        for i in range(TAGS)
    ]
    # Newest first from the start of 2026, so feeds (newest 50) show generated papers too.
    first_day = datetime.date(2026, 1, 1)
    papers = Publication.objects.bulk_create(
        Publication(
            title=f"Generated paper {n:05d} on scaling a homepage to many papers",
            slug=f"generated-paper-{n:05d}",
            date=first_day - datetime.timedelta(days=n),
            url=f"https://arxiv.org/abs/2401.{n:05d}",
            pdf_url=f"https://arxiv.org/pdf/2401.{n:05d}",
            venue="Generated Conference on Benchmarks",
            venue_short="GCB",
            tldr=f"A generated paper, number {n}, with *Markdown* in its tl;dr.",
            abstract="Long abstracts are common. " * 20,
            highlighted=highlighted,
            kind=Publication.Kind.CONFERENCE,
            status=Publication.Status.PUBLISHED,
        )
        for n in range(start, start + count)
    )
    tagged = []
    content_type = ContentType.objects.get_for_model(Publication)
    for i, paper in enumerate(papers):
        chosen = [people[(i * 7 + k) % PEOPLE] for k in range(authors)]
        if owner is not None and i % 3 == 0:
            chosen[i % authors] = owner
        paper.set_authors(
            (person, "*" if position < 2 else "", "") for position, person in enumerate(chosen)
        )
        tagged += [
            TaggedItem(
                content_type=content_type, object_id=paper.pk, tag=tag_objects[(i + k * 7) % TAGS]
            )
            for k in range(tags)
        ]
    TaggedItem.objects.bulk_create(tagged)
    mark_changed()
    return papers


@transaction.atomic
def grow_paper(paper, *, authors=15, tags=5):
    """Give one paper many authors and tags (its page must not cost more queries)."""
    have = paper.authorships.count()
    people = Person.objects.bulk_create(
        Person(name=f"Extra Author {paper.pk}-{i}", slug=f"extra-author-{paper.pk}-{i}")
        for i in range(max(0, authors - have))
    )
    current = paper.authorships.select_related("person").order_by("position", "pk")
    paper.set_authors([*((a.person, a.marks, a.printed_name) for a in current), *people])
    paper.tags.add(*[f"extra topic {i}" for i in range(tags)])
    Publication.objects.filter(pk=paper.pk).mark_shown_changed()  # bulk_create sent no signal
    mark_changed()
