"""Commands print nothing that can steer the terminal they run in."""

import io

import pytest
from django.core.management import CommandError, call_command

from research.models import Publication
from tests.process import manage

# Retitle the window, clear the screen, and a right-to-left override that hides text.
HOSTILE = "Safe\x1b]0;pwned\x07 title\x1b[2J\x9b31m \u202egnp.exe"
CONTROL = "\x1b\x07\x9b\u202e"


def hostile_bib(tmp_path):
    bib = tmp_path / "hostile.bib"
    bib.write_text(
        f"@article{{a, title={{{HOSTILE}}}, author={{Ada Lovelace}}, year={{2024}}}}\n"
        "@article{broken\x1b[31m, title={No year \x1b[8m}}\n",
        encoding="utf-8",
    )
    return bib


@pytest.mark.django_db
def test_import_bibtex_prints_titles_without_control_characters(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_bibtex", str(hostile_bib(tmp_path)), stdout=out, stderr=err)

    printed = out.getvalue() + err.getvalue()
    assert "Safe]0;pwned title[2J31m gnp.exe" in printed
    assert "skipped" in err.getvalue()
    assert not any(char in printed for char in CONTROL)
    # What is stored is the editor's business; only the terminal is protected.
    assert Publication.objects.get().title.startswith("Safe")


@pytest.mark.slow  # migrates a fresh database in a subprocess (about 5 s)
def test_a_failing_command_in_a_terminal_prints_no_control_characters(tmp_path):
    assert manage("migrate", "-v0", tmp_path=tmp_path).returncode == 0
    result = manage("import_bibtex", str(hostile_bib(tmp_path)), tmp_path=tmp_path)

    assert result.returncode == 1
    assert "Fix the skipped entries" in result.stderr
    assert "Safe]0;pwned title" in result.stdout
    assert not any(char in result.stdout + result.stderr for char in CONTROL)


def test_every_command_of_this_project_cleans_its_output():
    from django.conf import settings
    from django.core.management import get_commands, load_command_class

    from core.commands import BaseCommand

    ours = {
        name: app
        for name, app in get_commands().items()
        if (settings.BASE_DIR / app.replace(".", "/")).is_dir()
    }
    assert {"import_bibtex", "export_site", "backup", "ensure_admin"} <= set(ours)
    for name, app in ours.items():
        assert isinstance(load_command_class(app, name), BaseCommand), name
