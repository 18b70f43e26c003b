"""`manage.py sync_papers`: file new papers and updates in the inbox, refresh citation counts."""

from core.commands import BaseCommand, CommandError
from profiles.models import Profile

from ...models import SyncRun
from ...sources import SOURCES
from ...sync import configured_keys, finish_run, run_sync


class Command(BaseCommand):
    help = (
        "Ask ORCID, OpenAlex, DBLP, Semantic Scholar, arXiv and Crossref for the owner's "
        "works, file suggestions in the paper inbox and refresh citation counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orcid", help="ORCID iD to use instead of the profile's")
        parser.add_argument("--openalex", help="OpenAlex author ID")
        parser.add_argument("--dblp", help="DBLP pid")
        parser.add_argument(
            "--semantic-scholar", dest="semantic_scholar", help="Semantic Scholar author ID"
        )
        parser.add_argument("--arxiv", help="arXiv search_query, e.g. au:Korbak_T")
        parser.add_argument(
            "--source",
            help=f"comma-separated sources to ask (default all: {','.join(SOURCES)})",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be suggested; save nothing"
        )

    def handle(self, *args, **options):
        sources = None
        if options["source"]:
            sources = [s.strip().lower() for s in options["source"].split(",") if s.strip()]
            unknown = [s for s in sources if s not in SOURCES]
            if unknown:
                raise CommandError(
                    f"Unknown source {', '.join(unknown)}; choose from {', '.join(SOURCES)}."
                )
        overrides = {
            "orcid": options["orcid"],
            "openalex": options["openalex"],
            "dblp": options["dblp"],
            "semantic-scholar": options["semantic_scholar"],
            "arxiv": options["arxiv"],
        }
        keys = configured_keys(Profile.load(), overrides)
        run = None if options["dry_run"] else SyncRun.objects.create(trigger="command")
        report = run_sync(keys, sources=sources, dry_run=options["dry_run"])
        if run is not None:
            finish_run(run, report)
        for kind, title in report.planned:
            self.stdout.write(f"{'new work' if kind == 'new' else 'update'}: {title}")
        self.stdout.write(report.summary())
        if report.failed:
            # Cron mails the output of a failing job: make a failed source visible.
            raise CommandError(f"{len(report.failed)} source(s) failed.", returncode=2)
