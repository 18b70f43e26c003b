from pathlib import Path

from core.commands import BaseCommand, CommandError
from research.bibtex import bibtex_document
from research.models import Publication


class Command(BaseCommand):
    help = (
        "Write all published papers as BibTeX (al-folio fields included), the same text "
        "as /research/papers.bib. Importing it with import_bibtex gives the papers back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--highlighted",
            action="store_true",
            help="Only the papers highlighted on the homepage.",
        )
        parser.add_argument(
            "-o", "--output", metavar="FILE", help="Write to FILE instead of standard output."
        )

    def handle(self, *args, highlighted=False, output=None, **options):
        papers = Publication.objects.published().for_archive()
        if highlighted:
            papers = papers.highlighted()
        papers = list(papers)
        text = bibtex_document(papers, full=True)
        if not output:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}.") from None
        self.stdout.write(
            f"{len(papers)} paper{'s' if len(papers) != 1 else ''} written to {output}."
        )
