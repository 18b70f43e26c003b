"""What lists show of a paper (research.models.read_rows) is the same read alone or in bulk.

One paper, the entry an edit renders again, is read with SQL built once per
process (core.compiled); a list reads all its papers at once. Both must give
the same authors (order, marks, printed names, people), tags and links.
"""

import datetime

from research.models import Authorship, PaperLink, Person, Publication, read_rows

PARTS = ("authors", "tags", "links")


def shown(paper):
    return (
        [
            (a.position, a.name, a.marks, a.person.name, a.person.slug, a.is_owner)
            for a in paper.authors
        ],
        [(t.name, t.slug) for t in paper.tag_list],
        [(link.label, link.href) for link in paper.link_list],
    )


def test_one_paper_reads_as_it_does_in_a_list(make_paper, django_assert_num_queries):
    Person.objects.create(name="Owen Owner", is_owner=True)
    first = make_paper(
        "Taken out of context",
        authors=("Owen Owner", "Jérémy Scheurer*", "Ada Lovelace†"),
        tags=["llm safety", "situational awareness"],
        date=datetime.date(2023, 9, 1),
    )
    second = make_paper("Another", authors=("Ada Lovelace", "Owen Owner"), tags=["llm safety"])
    Authorship.objects.filter(publication=first, position=2).update(printed_name="A. Lovelace")
    PaperLink.objects.create(
        publication=first, label="Slides", url="https://example.org/s.pdf", position=2
    )
    PaperLink.objects.create(
        publication=first, label="Poster", url="https://example.org/p.pdf", position=1
    )

    listed = {p.pk: shown(p) for p in Publication.objects.for_archive()}
    for pk in (first.pk, second.pk, first.pk):
        alone = [Publication.objects.get(pk=pk)]
        with django_assert_num_queries(3):
            read_rows(alone, PARTS)
        assert shown(alone[0]) == listed[pk]
    assert listed[first.pk] == (
        [
            (0, "Owen Owner", "", "Owen Owner", "owen-owner", True),
            (1, "Jérémy Scheurer", "*", "Jérémy Scheurer", "jeremy-scheurer", False),
            (2, "A. Lovelace", "†", "Ada Lovelace", "ada-lovelace", False),
        ],
        [("llm safety", "llm-safety"), ("situational awareness", "situational-awareness")],
        [("Poster", "https://example.org/p.pdf"), ("Slides", "https://example.org/s.pdf")],
    )


def test_a_paper_with_nothing_attached_reads_empty(make_paper):
    paper = make_paper("Alone", authors=())
    alone = [Publication.objects.get(pk=paper.pk)]
    read_rows(alone, PARTS)
    assert shown(alone[0]) == ([], [], [])
