"""python manage.py import_site DIR: move a whole al-folio, Hugo Blox or academicpages site in."""

from django.core.management.base import BaseCommand, CommandError

from siteimport.data import SiteImportError
from siteimport.readers import LAYOUTS, READERS, read_site
from siteimport.writer import import_site


class Command(BaseCommand):
    help = (
        "Import a whole site from its repository folder: profile, social links, papers, "
        "co-authors' homepages, pictures and PDFs (and news, pages, talks, teaching and CV "
        "where this site has them). Detects al-folio, Hugo Blox or academicpages. "
        "Importing again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="the site's repository folder (a checkout or an unpacked zip)"
        )
        parser.add_argument(
            "--from",
            dest="layout",
            choices=LAYOUTS,
            help="which generator made the site (default: detected from the folder)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be imported; save nothing."
        )

    def handle(self, *args, folder, layout, dry_run, **options):
        try:
            site = read_site(folder, layout)
            report = import_site(site, dry_run=dry_run)
        except SiteImportError as error:
            raise CommandError(f"{error} Nothing was saved.") from None
        label = READERS[site.layout].label
        self.stdout.write(
            f"{'Would import' if dry_run else 'Imported'} the {label} site in {site.root}:"
        )
        write_report(self.stdout, report)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        elif report.changed():
            self.stdout.write(self.style.SUCCESS(f"Done: {report.changed()} changes saved."))
        else:
            self.stdout.write(
                self.style.SUCCESS("Done: nothing to change, the site is up to date.")
            )


def write_report(out, report):
    for kind, actions in report.counts.items():
        parts = ", ".join(f"{n} {action}" for action, n in actions.items())
        out.write(f"  {kind}: {parts}")
    if report.notes:
        out.write(f"Left out or kept ({len(report.notes)}):")
        for note in report.notes:
            out.write(f"  {note.where}: {note.message}")
