import datetime
import itertools

import pytest

from research.models import Person, Publication
from research.names import split_marks

_counter = itertools.count(1)


@pytest.fixture
def make_paper(db):
    """Create a published paper with authors (names, with marks such as `*` after them) and tags."""

    def make(
        title="A paper",
        *,
        authors=("Ada Lovelace", "Alan Turing"),
        tags=(),
        date=datetime.date(2024, 5, 1),
        **fields,
    ):
        paper = Publication.objects.create(title=title, date=date, **fields)
        people = []
        for printed in authors:
            name, marks = split_marks(printed)
            person = Person.objects.filter(name=name).first() or Person.objects.create(name=name)
            people.append((person, marks, name))
        paper.set_authors(people)
        if tags:
            paper.tags.set(list(tags))
        return Publication.objects.for_listing().get(pk=paper.pk)

    return make


@pytest.fixture
def many_papers(db):
    """n published papers with `authors` authors and two tags each, in few queries."""

    def make(n, authors=3):
        people = [Person.objects.create(name=f"Author {i}") for i in range(authors + 3)]
        start = next(_counter) * 1000
        papers = Publication.objects.bulk_create(
            Publication(
                title=f"Paper {start + i}",
                slug=f"paper-{start + i}",
                date=datetime.date(2000 + i % 25, 1 + i % 12, 1),
                url=f"https://arxiv.org/abs/2401.{start + i:05d}",
                tldr=f"Finding number {i}.",
            )
            for i in range(n)
        )
        for i, paper in enumerate(papers):
            paper.set_authors(people[(i + j) % len(people)] for j in range(authors))
        for i, paper in enumerate(papers):
            paper.tags.add("common", f"topic-{i % 4}")
        return papers

    return make
