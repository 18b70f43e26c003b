import sys
from pathlib import Path

from core.commands import BaseCommand, CommandError
from research.bibtex_import import BibtexError, parse_bibtex, run_import


class Command(BaseCommand):
    help = (
        "Import papers from a BibTeX file (al-folio's papers.bib conventions included). "
        "Papers already on the site (same DOI, arXiv ID or title) are updated in place. "
        "Exits non-zero when any entry was skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .bib file to read ('-' for standard input)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created, updated and skipped; save nothing.",
        )
        highlight = parser.add_mutually_exclusive_group()
        highlight.add_argument(
            "--highlight-selected",
            dest="highlight_selected",
            action="store_true",
            default=True,
            help="Highlight papers marked selected={true} (the default).",
        )
        highlight.add_argument(
            "--no-highlight",
            dest="highlight_selected",
            action="store_false",
            help="Ignore selected={...}: leave highlighting as it is.",
        )

    def handle(self, *args, file, dry_run, highlight_selected, **options):
        text = self._read(file)
        try:
            parsed = parse_bibtex(text, highlight_selected=highlight_selected)
        except BibtexError as error:
            raise CommandError(f"{file}: {error}") from None
        report = run_import(parsed, dry_run=dry_run)

        verb = {"created": "create", "updated": "update", "unchanged": "unchanged"}
        for outcome in report.outcomes:
            where = f"line {outcome.line}" if outcome.line else "?"
            if outcome.action == "skipped":
                reason = "; ".join(outcome.messages)
                self.stderr.write(f"skipped  {where}, entry “{outcome.key}”: {reason}")
                continue
            label = verb[outcome.action] if dry_run else outcome.action
            changed = f" ({', '.join(outcome.changes)})" if outcome.changes else ""
            self.stdout.write(f"{label:<9} {outcome.key}: {outcome.title}{changed}")
            for message in outcome.messages:
                self.stdout.write(f"          note: {message}")

        summary = report.summary()
        if dry_run:
            summary = f"Dry run, nothing saved: would be {summary}."
        else:
            summary = f"{summary[0].upper()}{summary[1:]}."
        if report.skipped:
            raise CommandError(f"{summary} Fix the skipped entries and import again.")
        self.stdout.write(self.style.SUCCESS(summary))

    def _read(self, file):
        try:
            if file == "-":
                return sys.stdin.read()
            return Path(file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file}: not a text file in UTF-8; is it a .bib file?") from None
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}.") from None
