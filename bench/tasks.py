"""Steps of `make bench` that need Django, run in their own process by bench/run.py.

python -m bench.tasks build seed|large   migrate and fill the database
python -m bench.tasks snapshot FILE      the homepage's HTML as a static file (+ .gz)
python -m bench.tasks queries URL...     queries per page on a cache miss (JSON)
python -m bench.tasks profile URL        pyinstrument profile of rendering URL
"""

import gzip
import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_project.settings")
HOST = "127.0.0.1"


def build(kind):
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("loadseed", verbosity=0)
    if kind == "large":
        from bench.library import add_papers

        add_papers(995)  # with the seed's five: 1,000 papers, 15 authors each


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


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    {
        "build": lambda: build(*args),
        "snapshot": lambda: snapshot(*args),
        "queries": lambda: queries(args),
        "profile": lambda: profile(*args),
    }[command]()
