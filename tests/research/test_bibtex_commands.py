"""`manage.py import_bibtex` and `manage.py export_bibtex`."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from research.models import Person, Publication

DATA = Path(__file__).parent / "data"


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def people_only(seeded):
    Publication.objects.all().delete()


def test_import_reports_each_paper_and_a_summary(people_only):
    out, err = run("import_bibtex", str(DATA / "alfolio.bib"))

    assert "created   berglund2023reversal: The Reversal Curse" in out
    assert "note: new person: Some Nobody" in out
    assert "note: new person: Jörg Müller" in out
    assert out.strip().endswith("3 created, 0 updated, 0 unchanged, 0 skipped.")
    assert err == ""
    assert Publication.objects.count() == 3

    out, _ = run("import_bibtex", str(DATA / "alfolio.bib"))
    assert out.strip().endswith("0 created, 0 updated, 3 unchanged, 0 skipped.")
    assert Publication.objects.count() == 3


def test_dry_run_saves_nothing(people_only):
    out, _ = run("import_bibtex", str(DATA / "alfolio.bib"), "--dry-run")

    assert "create    muller2021accents" in out
    assert "Dry run, nothing saved: would be 3 created" in out
    assert Publication.objects.count() == 0
    assert not Person.objects.filter(name="Jörg Müller").exists()


def test_no_highlight_ignores_selected(people_only):
    run("import_bibtex", str(DATA / "alfolio.bib"), "--no-highlight")
    assert not Publication.objects.filter(highlighted=True).exists()


def test_skipped_entries_are_named_with_their_line_and_the_command_fails(people_only):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="3 created, 0 updated, 0 unchanged, 1 skipped"):
        call_command("import_bibtex", str(DATA / "broken.bib"), stdout=out, stderr=err)

    assert "skipped  line 8, entry “no_closing_brace”" in err.getvalue()
    # The good entries around the broken one were imported; one with no year is undated.
    assert Publication.objects.count() == 3
    assert Publication.objects.get(citation_key="no_year").date is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"Notes to self: export the papers from Zotero.\n", "No BibTeX entries found"),
        (b"\x89PNG\r\n\x1a\n\x00\xff\xfe", "not a text file in UTF-8"),
    ],
)
def test_empty_or_non_bibtex_files_are_clear_errors(db, tmp_path, content, message):
    path = tmp_path / "papers.bib"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("import_bibtex", str(path))


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import_bibtex", str(tmp_path / "nope.bib"))


def test_command_exits_non_zero_on_skipped_entries(people_only):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_bibtex", str(DATA / "broken.bib")])
    assert exit_info.value.code == 1
