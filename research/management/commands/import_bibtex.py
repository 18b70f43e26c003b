import sys
from pathlib import Path, PurePosixPath

from django.core.management.base import BaseCommand, CommandError

from research.attach import attach_files
from research.bibtex_import import BibtexError, parse_bibtex, run_import
from research.models import Publication


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
        parser.add_argument(
            "--files",
            metavar="DIR",
            help="a folder with the PDFs, previews, slides and posters the entries name "
            "(pdf = {paper.pdf}, preview = {fig.png}): each is checked like an upload and "
            "attached to the papers that name it",
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

    def handle(self, *args, file, dry_run, highlight_selected, files=None, **options):
        if files and not Path(files).is_dir():
            raise CommandError(f"{files}: no such folder.")
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

        refused = self._attach(files, report) if files and not dry_run else 0

        summary = report.summary()
        if dry_run:
            summary = f"Dry run, nothing saved: would be {summary}."
        else:
            summary = f"{summary[0].upper()}{summary[1:]}."
        if report.skipped:
            raise CommandError(f"{summary} Fix the skipped entries and import again.")
        if refused:
            raise CommandError(f"{summary} {refused} file(s) refused: see above.")
        self.stdout.write(self.style.SUCCESS(summary))

    def _attach(self, folder, report):
        """Attach the folder's files to the papers of this import; the number refused."""
        papers = Publication.objects.filter(pk__in=[o.paper.pk for o in report.outcomes if o.paper])
        paths = sorted(p for p in Path(folder).rglob("*") if p.is_file())
        result = attach_files(((p.name, p.read_bytes) for p in paths), papers)
        for name, paper, kind in result.attached:
            self.stdout.write(f"attached {name} to “{paper.title}” ({kind})")
        for name, paper, reason in result.refused:
            self.stderr.write(f"refused  {name} for “{paper.title}”: {reason}")
        wanted = {_name(n) for p in papers for n in (p.local_files or {}).values()}
        found = {_name(p.name) for p in paths}
        for name in sorted(wanted - found):
            self.stdout.write(f"missing  {name}: named in the BibTeX, not in {folder}")
        self.stdout.write(
            f"Files: {len(result.attached)} attached, {len(result.unmatched)} not named by any "
            f"paper, {len(result.refused)} refused."
        )
        return len(result.refused)

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


def _name(path):
    return PurePosixPath(path.replace("\\", "/")).name.casefold()
