import datetime
from pathlib import Path

import pytest

from research.bibtex_import import BibtexError, latex_to_text, parse_bibtex, run_import
from research.models import Authorship, Person, Publication

DATA = Path(__file__).parent / "data"


@pytest.fixture
def people_only(seeded):
    """The seed's 23 people (owner, aliases) without any paper."""
    Publication.objects.all().delete()


def import_text(text, **options):
    dry_run = options.pop("dry_run", False)
    return run_import(parse_bibtex(text, **options), dry_run=dry_run)


def import_file(name, **options):
    return import_text((DATA / name).read_text(encoding="utf-8"), **options)


def authors_of(paper):
    return [
        (a.name, a.person.name, a.marks == "*", a.is_owner)
        for a in paper.authorships.select_related("person").order_by("position")
    ]


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\'e}", "é"),
        (r"\"{o}", "ö"),
        (r"{\ss}", "ß"),
        ("1--2", "1–2"),
        (r"The {R}eversal {C}urse of {LLMs}", "The Reversal Curse of LLMs"),
        (r"Na{\"\i}ve \& {\v{C}}ech", "Naïve & Čech"),
        ("two\n   lines", "two lines"),
        # Bare % and & in a .bib value are text, not a LaTeX comment or table cell.
        ("Datasets & Benchmarks: 50% of it", "Datasets & Benchmarks: 50% of it"),
        (r"Datasets \& Benchmarks: 50\% of it", "Datasets & Benchmarks: 50% of it"),
        (r"\textbraceleft{}x\textbraceright{}\textasciicircum{}2 \$5 a\_b \#1", "{x}^2 $5 a_b #1"),
    ],
)
def test_latex_becomes_plain_utf8(latex, text):
    assert latex_to_text(latex) == text


def test_alfolio_file_creates_papers_with_every_convention(people_only):
    people_before = Person.objects.count()

    report = import_file("alfolio.bib")

    assert [o.action for o in report.outcomes] == ["created", "created", "created"]
    assert Publication.objects.count() == 3

    reversal = Publication.objects.get(title__startswith="The Reversal Curse")
    # Braces gone, TeX quotes become typographic ones.
    assert reversal.title == "The Reversal Curse: LLMs trained on “A is B” fail to learn “B is A”"
    assert reversal.date == datetime.date(2024, 5, 1)
    assert reversal.venue == "International Conference on Learning Representations"  # @string
    assert reversal.venue_short == "ICLR"
    assert reversal.url == "https://arxiv.org/abs/2309.12288"
    assert reversal.code_url == "https://github.com/lukasberglund/reversal_curse"
    assert reversal.pdf_url == ""  # al-folio's local pdf file is noted, not fetched
    assert reversal.abstract.startswith("We expose a surprising failure of generalization")
    assert reversal.highlighted is True  # selected = {true}
    assert reversal.status == Publication.Status.PUBLISHED
    assert sorted(t.name for t in reversal.tags.all()) == ["LLMs", "generalization", "reasoning"]
    assert authors_of(reversal) == [
        ("Lukas Berglund", "Lukas Berglund", True, False),
        ("Meg Tong", "Meg Tong", True, False),
        ("Max Kaufmann", "Max Kaufmann", False, False),
        ("Mikita BALESNI", "Mikita Balesni", False, True),  # the owner, whatever the case
        ("Asa Cooper Stickland", "Asa Cooper Stickland", False, False),
        ("Tomek Korbak", "Tomasz Korbak", False, False),  # by alias; printed name kept
        ("Owain Evans", "Owain Evans", False, False),
    ]
    notes = next(o for o in report.outcomes if o.key == "berglund2023reversal").messages
    assert any("reversal_curse.pdf" in n for n in notes)
    assert any("reversal.png" in n for n in notes)

    deception = Publication.objects.get(title__startswith="Large Language Models")
    assert deception.date == datetime.date(2023, 11, 1)
    assert deception.url == "https://arxiv.org/abs/2311.07590"  # eprint + archivePrefix
    assert deception.venue == "arXiv preprint"
    assert deception.website_url == "https://www.apolloresearch.ai/research/deception"
    assert deception.highlighted is False  # selected = {false}
    assert authors_of(deception) == [
        ("Jérémy Scheurer", "Jérémy Scheurer", True, False),  # {\'e} decoded, $^*$ read
        ("Mikita Balesni", "Mikita Balesni", True, True),  # \textsuperscript{*}
        ("Marius Hobbhahn", "Marius Hobbhahn", False, False),
    ]

    accents = Publication.objects.get(doi="10.1234/EXAMPLE.5678")
    assert accents.title == "Über naïve ßtraße – accents and Čech"
    assert accents.date == datetime.date(2021, 3, 1)  # month = {March}
    assert accents.venue == "Workshop on Things"  # howpublished
    assert accents.url == "https://example.org/muller"  # al-folio's html: the paper's page
    assert accents.pdf_url == "https://example.org/muller.pdf"
    assert accents.website_url == ""
    assert accents.highlighted is False
    # "and others" is no person: the paper says "et al." after them; unknown people are added.
    assert [a.name for a in accents.authors] == ["Jörg Müller", "Renée François", "Some Nobody"]
    assert accents.et_al is True
    assert Person.objects.count() == people_before + 3


def test_reimporting_the_same_file_changes_nothing(people_only):
    import_file("alfolio.bib")
    counts = (Publication.objects.count(), Person.objects.count(), Authorship.objects.count())
    stamps = dict(Publication.objects.values_list("pk", "updated"))

    report = import_file("alfolio.bib")

    assert [o.action for o in report.outcomes] == ["unchanged"] * 3
    assert (
        Publication.objects.count(),
        Person.objects.count(),
        Authorship.objects.count(),
    ) == counts
    assert dict(Publication.objects.values_list("pk", "updated")) == stamps


def test_existing_papers_are_updated_in_place(seeded):
    paper = Publication.objects.get(slug="reversal-curse")
    paper.tldr = "Written in the admin, not in the .bib."
    paper.save()
    total = Publication.objects.count()

    report = import_file("alfolio.bib")

    by_key = {o.key: o for o in report.outcomes}
    assert by_key["berglund2023reversal"].action == "updated"  # same arXiv ID
    assert by_key["scheurer2023strategic"].action == "updated"
    # What changed is named as the admin names it.
    assert by_key["scheurer2023strategic"].changes == ["venue", "project page", "highlighted"]
    assert by_key["muller2021accents"].action == "created"
    assert Publication.objects.count() == total + 1
    paper.refresh_from_db()
    assert paper.slug == "reversal-curse"
    assert paper.venue_short == "ICLR"
    assert paper.tldr == "Written in the admin, not in the .bib."  # fields the .bib lacks stay
    assert [a.name for a in paper.authors][:2] == ["Lukas Berglund", "Meg Tong"]


def test_papers_match_by_doi_and_by_title_ignoring_case_and_punctuation(people_only):
    by_doi = Publication.objects.create(
        title="Old title", date=datetime.date(2020, 1, 1), doi="10.5555/ABC"
    )
    by_title = Publication.objects.create(
        title="Sleeper Agents: Training Deceptive LLMs", date=datetime.date(2024, 1, 1)
    )

    report = import_text(
        """
        @article{a, title = {New title}, author = {Owain Evans}, year = 2020,
                 doi = {https://doi.org/10.5555/abc}}
        @article{b, title = {{S}leeper agents -- training deceptive {LLMs}},
                 author = {Owain Evans}, year = 2024}
        """
    )

    assert [o.action for o in report.outcomes] == ["updated", "updated"]
    assert Publication.objects.count() == 2
    by_doi.refresh_from_db()
    assert by_doi.title == "New title"
    by_title.refresh_from_db()
    assert by_title.title == "Sleeper agents – training deceptive LLMs"


def test_people_match_ignoring_accents_and_case_and_by_alias(people_only):
    import_text(
        """
        @misc{x, title = {Matching}, year = 2022,
              author = {SCHEURER, Jeremy and jérémy scheurer and Korbak, Tomek and Korbak, Tomasz}}
        """
    )
    paper = Publication.objects.get(title="Matching")
    # Each spelling found its person; nobody new was created, and the same person twice is
    # kept once.
    assert [(a.person.name, a.printed_name) for a in paper.authors] == [
        ("Jérémy Scheurer", "Jeremy SCHEURER"),
        ("Tomasz Korbak", "Tomek Korbak"),
    ]
    assert Person.objects.filter(name__icontains="scheurer").count() == 1


def test_string_macros_and_concatenation_are_resolved(people_only):
    import_text(
        """@string{conf = {Conference on Examples}}
           @STRING{acl = "ACL"}
           @inproceedings{c, title = {Joined}, author = {Owain Evans}, year = 2022,
                          booktitle = {Proc. } # conf # ", " # 2022, abbr = acl,
                          month = aug # "~15"}"""
    )
    paper = Publication.objects.get(title="Joined")
    assert paper.venue == "Proc. Conference on Examples, 2022"
    assert paper.venue_short == "ACL"
    assert paper.date == datetime.date(2022, 8, 1)


def test_abstract_keeps_its_paragraphs(people_only):
    import_text(
        """@misc{p, title = {Two paragraphs}, author = {Owain Evans}, year = 2022,
                 abstract = {First {\\em paragraph}
                   still first.

                   Second, with $x^2$.}}"""
    )
    abstract = Publication.objects.get(title="Two paragraphs").abstract
    assert abstract == "First paragraph\nstill first.\n\nSecond, with $x^2$."


def test_links_lose_text_escapes_and_local_files_are_noted(people_only):
    report = import_text(
        r"""@misc{l, title = {Links}, author = {Owain Evans}, year = 2022,
                  url = {https://example.org/a\_b}, code = {github.com/x/y},
                  pdf = {https://example.org/paper\%20v2.pdf}}"""
    )
    paper = Publication.objects.get(title="Links")
    assert paper.url == "https://example.org/a_b"
    assert paper.pdf_url == "https://example.org/paper%20v2.pdf"
    assert paper.code_url == ""
    assert "code link “github.com/x/y” is not a web address" in report.outcomes[0].messages[0]


@pytest.mark.parametrize(
    ("author", "marks"),
    [
        ("Ada Lovelace*", "*"),
        ("Lovelace*, Ada", "*"),
        ("Lovelace, Ada∗", "*"),
        ("Ada Lovelace†", "†"),
        ("Ada Lovelace$^*$", "*"),
        ("Ada Lovelace$^\\dagger$", "†"),
        ("Ada Lovelace\\textsuperscript{*}", "*"),
        ("Ada Lovelace{\\dag}", "†"),
        ("Lovelace*†, Ada", "*†"),
        ("Ada Lovelace$^{\\dagger,*}$", "†*"),
        ("Ada Lovelace\\textsuperscript{\\ddag}\\S", "‡§"),
        ("Ada Lovelace¶‖\\#", "¶‖#"),
    ],
)
def test_author_marks(people_only, author, marks):
    """Each mark printed after a name is kept, in order, and removed from the name."""
    import_text(
        f"@misc{{e, title = {{Marks}}, year = 2022, author = {{{author} and Alan Turing}}}}"
    )
    authors = Publication.objects.get(title="Marks").authors
    assert [(a.name, a.marks) for a in authors] == [
        ("Ada Lovelace", marks),
        ("Alan Turing", ""),
    ]


def test_no_highlight_leaves_highlighting_alone(people_only):
    import_file("alfolio.bib", highlight_selected=False)
    assert not Publication.objects.filter(highlighted=True).exists()


def test_dry_run_reports_but_saves_nothing(people_only):
    report = import_file("alfolio.bib", dry_run=True)

    assert len(report.created) == 3
    assert Publication.objects.count() == 0
    assert not Person.objects.filter(name="Jörg Müller").exists()


def test_broken_entries_are_skipped_with_line_and_key_and_others_import(people_only):
    report = import_file("broken.bib")

    assert [(o.action, o.key, o.line) for o in report.outcomes] == [
        ("created", "first_good", 1),
        ("skipped", "no_closing_brace", 8),
        ("created", "second_good", 13),
        ("created", "no_year", 20),  # al-folio shows it too: it is undated
    ]
    assert sorted(Publication.objects.values_list("title", flat=True)) == [
        "A Good Paper",
        "Another Good Paper",
        "Timeless",
    ]


def test_an_entry_that_fails_to_save_leaves_nothing_behind(people_only):
    report = import_text(
        """
        @misc{bad, title = {Bad link}, author = {Brand New Person}, year = 2022,
              url = {https://x}}
        @misc{good, title = {Fine}, author = {Another New Person}, year = 2022}
        """
    )

    assert [(o.key, o.action) for o in report.outcomes] == [("bad", "skipped"), ("good", "created")]
    assert "url" in report.outcomes[0].messages[0]
    assert not Publication.objects.filter(title="Bad link").exists()
    assert not Person.objects.filter(name="Brand New Person").exists()
    assert Person.objects.filter(name="Another New Person").exists()


@pytest.mark.parametrize(
    ("month", "expected"),
    [("jan", 1), ("{February}", 2), ("{9}", 9), ("{Sept.}", 9), ("dec", 12), ("{}", 1)],
)
def test_month_names_and_numbers(people_only, month, expected):
    import_text(
        f"@misc{{m, title = {{Month}}, author = {{Owain Evans}}, year = 2022, month = {month}}}"
    )
    assert Publication.objects.get(title="Month").date == datetime.date(2022, expected, 1)


@pytest.mark.parametrize(
    "text", ["", "   \n", "Just some notes, not BibTeX.\n", "% only a comment\n"]
)
def test_empty_or_non_bibtex_text_is_a_clear_error(text):
    with pytest.raises(BibtexError, match="empty|No BibTeX entries"):
        parse_bibtex(text)


def test_an_entry_with_a_nul_character_is_skipped_on_every_database(people_only):
    report = import_text(
        "@misc{damaged, title = {Nul\x00 title}, author = {Jane Doe}, year = 2022}\n"
        "@misc{good, title = {Fine}, author = {Another New Person}, year = 2022}\n"
    )

    assert [(o.key, o.action, o.line) for o in report.outcomes] == [
        ("damaged", "skipped", 1),
        ("good", "created", 2),
    ]
    assert "NUL character" in report.outcomes[0].messages[0]
    assert "title" in report.outcomes[0].messages[0]
    assert list(Publication.objects.values_list("title", flat=True)) == ["Fine"]


def test_authors_of_a_batch_are_written_together_in_order(people_only):
    """Authorships cost a few statements a batch, not a few a paper (500 entries in 2 s)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entries = "\n".join(
        f"@article{{p{n}, title = {{Paper {n}}}, year = 2020, "
        f"author = {{Zed, Ann and Roe, Bo{n % 3} and Balesni, M.}}}}"
        for n in range(120)
    )
    with CaptureQueriesContext(connection) as queries:
        report = run_import(parse_bibtex(entries), batch_size=50)

    assert len(report.created) == 120
    writes = [q["sql"] for q in queries.captured_queries if "research_authorship" in q["sql"]]
    assert sum(sql.startswith("INSERT") for sql in writes) == 3  # one per batch
    paper = Publication.objects.get(citation_key="p61")
    assert [(a.name, a.is_owner) for a in paper.authorships.order_by("position")] == [
        ("Ann Zed", False),
        ("Bo1 Roe", False),
        ("M. Balesni", True),  # the seed's owner, under another spelling
    ]

    again = run_import(parse_bibtex(entries.replace("Zed, Ann and ", "")), batch_size=50)

    assert len(again.updated) == 120
    assert [a.name for a in paper.authorships.order_by("position")] == [
        "Bo1 Roe",
        "M. Balesni",
    ]
