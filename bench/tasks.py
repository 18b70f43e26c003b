"""Steps of `make bench` that need Django, run in their own process by bench/run.py.

python -m bench.tasks build seed|large   migrate and fill the database
python -m bench.tasks snapshot FILE      the homepage's HTML as a static file (+ .gz)
python -m bench.tasks queries URL...     queries per page on a cache miss (JSON)
python -m bench.tasks profile URL        pyinstrument profile of rendering URL
python -m bench.tasks cpu seed|large     CPU time of cold renders, in-process (JSON)
python -m bench.tasks editor SECONDS     save one paper a second, as an editor would
"""

import gzip
import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
HOST = "127.0.0.1"
# The paper the editor benchmarks open; cold renders follow an edit of another one.
EDITED = "reversal-curse"


def build(kind):
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("loadseed", verbosity=0)
    if kind in ("large", "load"):
        from bench.library import add_papers, grow_paper
        from research.models import Publication

        # With the seed's five: 1,000 (or 4,000) papers, 15 authors each.
        add_papers(995 if kind == "large" else 3995)
        grow_paper(Publication.objects.get(slug=EDITED), authors=40)


def _client():
    from django.test import Client

    return Client(HTTP_HOST=HOST)


def snapshot(path):
    response = _client().get("/")
    assert response.status_code == 200, response.status_code
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(response.content)
    # whitenoise serves the .gz next to a file to clients that accept gzip, as
    # collectstatic's compressed storage would have made it.
    Path(f"{path}.gz").write_bytes(gzip.compress(response.content, 9))


def queries(urls):
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    client = _client()
    result = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        result[url] = {"status": status, "queries": len(captured)}
    print(json.dumps(result))


def profile(url, repeat=5):
    from django.conf import settings
    from pyinstrument import Profiler

    settings.PAGE_CACHE_ENABLED = False
    client = _client()
    client.get(url)  # templates compiled, connections open
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(repeat):
            client.get(url)
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def _cpu_ms(action, repeat=5, before=None):
    """Median CPU time of action() in ms (CPU, not wall: the machine is shared).

    before(), untimed, runs ahead of each action (the edit that empties the cache).
    """
    import statistics
    import time

    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.process_time()
        action()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def cpu(kind):
    """Cold renders as the first visitor after an edit gets them, in this process.

    The page cache is off (every request renders, as DJANGO_PAGE_CACHE=0), but
    list entries are cached as in production: before each render one other
    paper is saved, so its entry and nothing else must be rendered again.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.utils.text import compress_string

    from research.listing import process_fragments
    from research.models import Publication

    settings.PAGE_CACHE_ENABLED = False
    client = _client()
    other = Publication.objects.exclude(slug=EDITED).order_by("pk").first()

    def edit():
        other.save()

    def get(url):
        def run():
            assert client.get(url).status_code == 200, url

        return run

    result = {}
    if kind == "seed":
        client.get("/")
        result["home_cold_ms"] = _cpu_ms(get("/"), before=edit)
        print(json.dumps(result))
        return
    # The first /research/ after a restart: nothing cached at all (another page
    # warmed up Django itself: URL resolver, database connection, base template).
    client.get(f"/research/{EDITED}/")
    for cache in caches.all():
        cache.clear()
    process_fragments.clear()
    result["research_first_ms"] = _cpu_ms(lambda: client.get("/research/"), repeat=1)
    result["research_cold_ms"] = _cpu_ms(get("/research/"), before=edit)
    body = client.get("/research/").content
    result["research_bytes"] = len(body)
    result["research_gzip_ms"] = _cpu_ms(lambda: compress_string(body))
    result["feed_cold_ms"] = _cpu_ms(get("/research/feed/"), before=edit)
    result["paper_cold_ms"] = _cpu_ms(get(f"/research/{EDITED}/"), before=edit)

    users = get_user_model().objects
    editor = users.filter(username="bench").first() or users.create_superuser(
        "bench", "bench@example.org", "x"
    )
    client.force_login(editor)
    paper = Publication.objects.get(slug=EDITED)
    for name, url in [
        ("changelist_ms", "/admin/research/publication/"),
        ("changeform_ms", f"/admin/research/publication/{paper.pk}/change/"),
    ]:
        client.get(url)
        result[name] = _cpu_ms(lambda url=url: client.get(url))
    result["changeform_authors"] = paper.authorships.count()
    print(json.dumps(result))


def editor(seconds):
    """Save a paper every second for `seconds`, as an editor in the admin would."""
    import time

    from research.models import Publication

    papers = list(Publication.objects.order_by("pk")[:50])
    deadline = time.monotonic() + float(seconds)
    saves = 0
    while time.monotonic() < deadline:
        paper = papers[saves % len(papers)]
        paper.title = paper.title.rstrip("!") + ("!" if saves % 2 else "")
        paper.save()
        saves += 1
        time.sleep(1)
    print(json.dumps({"saves": saves}))


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    {
        "build": lambda: build(*args),
        "snapshot": lambda: snapshot(*args),
        "queries": lambda: queries(args),
        "profile": lambda: profile(*args),
        "cpu": lambda: cpu(*args),
        "editor": lambda: editor(*args),
    }[command]()
