import sys
from pathlib import Path, PurePosixPath

from core.commands import BaseCommand, CommandError
from profiles.models import Profile
from research.attach import attach_files
from research.bibtex_import import (
    BibtexError,
    OwnerSpec,
    parse_bibtex,
    read_alfolio_config,
    run_import,
)
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
            "--owner",
            default="",
            metavar="NAME",
            help="The site owner's full name, e.g. 'Kyle A. Oman': authors with that family "
            "name and compatible given names or initials are the owner (made the owner if "
            "the site has none).",
        )
        parser.add_argument(
            "--alfolio-config",
            metavar="_config.yml",
            help="al-folio's _config.yml: its scholar last_name/first_name lists say who the "
            "owner is, and its max_author_limit becomes the profile's author limit if unset.",
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

    def handle(
        self, *args, file, dry_run, highlight_selected, owner, alfolio_config, files=None, **options
    ):
        if files and not Path(files).is_dir():
            raise CommandError(f"{files}: no such folder.")
        text = self._read(file)
        spec, limit = OwnerSpec(name=owner), None
        if alfolio_config:
            try:
                config, limit = read_alfolio_config(self._read(alfolio_config))
            except BibtexError as error:
                raise CommandError(f"{alfolio_config}: {error}") from None
            spec.last_names, spec.first_names = config.last_names, config.first_names
        try:
            parsed = parse_bibtex(text, highlight_selected=highlight_selected)
            report = run_import(parsed, dry_run=dry_run, owner=spec)
        except BibtexError as error:
            raise CommandError(f"{file}: {error}") from None
        for note in report.notes:
            self.stdout.write(f"owner     {note}")
        if limit and not dry_run:
            self._set_author_limit(limit)

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

    def _set_author_limit(self, limit):
        profile = Profile.load()
        if profile.pk is not None and profile.max_author_limit is None:
            profile.max_author_limit = limit
            profile.save(update_fields=["max_author_limit", "updated"])
            self.stdout.write(f"profile   lists show {limit} authors (max_author_limit)")

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
