from django.conf import settings

from core.commands import BaseCommand, CommandError
from deploy.export import ExportError, SiteExporter


class Command(BaseCommand):
    help = (
        "Render the public site (pages, feeds, sitemap, robots.txt, BibTeX, the static "
        "files and uploads they use) into OUTDIR as plain files for a static host."
    )

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="Folder to write; a previous export there is replaced.")
        parser.add_argument(
            "--base-url",
            help="Where the files will be published, e.g. https://me.github.io/site/ "
            "(feeds, sitemap and links use it). Default: DJANGO_SITE_URL, else http://localhost:8000/.",
        )

    def handle(self, *args, outdir, base_url=None, **options):
        base_url = base_url or getattr(settings, "SITE_URL", "")
        if not base_url:
            base_url = "http://localhost:8000/"
            self.stderr.write(
                "No --base-url given: feeds and the sitemap will point at "
                f"{base_url}. Pass the URL the site will be published at."
            )
        try:
            exporter = SiteExporter(outdir, base_url).export()
        except ExportError as error:
            raise CommandError(str(error)) from None
        for path, source in exporter.broken:
            self.stderr.write(self.style.WARNING(f"Broken link: {path} (linked from {source})"))
        for url in sorted(exporter.dropped_queries):
            self.stderr.write(
                self.style.WARNING(f"Query string dropped (static hosts ignore it): {url}")
            )
        kinds = list(exporter.written.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {kinds.count('page')} pages and {kinds.count('file')} files "
                f"to {outdir} for {exporter.base_url}"
            )
        )
