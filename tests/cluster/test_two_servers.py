"""Two gunicorn instances sharing PostgreSQL, a Redis cache and one MEDIA_ROOT.

What the README promises for "More than one server", run for real: an edit
made on one instance shows on the other (pages, feeds, uploads), a login on one
is a session on the other, the site keeps serving (uncached, logging it) when
Redis stops, and one instance keeps serving when the other stops.

Needs DATABASE_URL=postgres://... (a user with CREATEDB) and Debian's
redis-server: `.ci/with-postgres make test-cluster`. Marked `cluster`, so the
ordinary suite leaves it out; without the servers it is skipped, except in CI.
"""

import http.client
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.forms import form_data, form_errors
from tests.process import manage, start
from tests.servers import RedisServer, free_port, require, wait_for_port

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

PASSWORD = secrets.token_urlsafe(16)
# Left out of the servers' environment too, besides DJANGO_* and DATABASE_URL.
DROP = ("GUNICORN_", "XDG_RUNTIME")


class Browser:
    """A minimal browser: keeps cookies for 127.0.0.1 (ports share them, as in browsers)."""

    def __init__(self):
        self.cookies = {}

    def request(self, method, port, path, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get(self, port, path):
        return self.request("GET", port, path)

    def post(self, port, path, data, files=None):
        if files:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        return self.request("POST", port, path, body, content_type)


def multipart(data, files):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            )
            out.write(f"{item}\r\n".encode())
    for name, (filename, content, mime) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), color).save(buffer, "PNG")
    return buffer.getvalue()


class Instance:
    def __init__(self, name, env, tmp):
        self.name, self.port, self.log = name, free_port(), tmp / f"gunicorn-{name}.log"
        self.process = start(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c", "site_project/gunicorn.conf.py",
                "--bind", f"127.0.0.1:{self.port}",
            ],
            tmp, env, drop=DROP,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self):
        deadline = time.monotonic() + 60
        wait_for_port(self.port, timeout=60, process=self.process)
        while time.monotonic() < deadline:
            if Browser().get(self.port, "/healthz")[0] == 200:
                return
            time.sleep(0.2)
        raise TimeoutError(self.log.read_text())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def log_text(self):
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    server_url = os.environ.get("DATABASE_URL", "")
    require(
        server_url.startswith(("postgres://", "postgresql://")),
        "needs DATABASE_URL=postgres://... (.ci/with-postgres make test-cluster)",
    )
    require(
        shutil.which("redis-server"), "redis-server is not installed (apt-get install redis-server)"
    )
    import psycopg

    tmp = tmp_path_factory.mktemp("cluster")
    name = f"cluster_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    database_url = urlunsplit(parts._replace(path=f"/{name}"))
    redis = RedisServer(tmp).start()
    (tmp / "home").mkdir()
    # On top of tests.process's clean environment (var folder: tmp/var).
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SERVE_MEDIA": "1",
        "DATABASE_URL": database_url,
        "DJANGO_CACHE_LOCATION": redis.url,
        "MEDIA_ROOT": str(tmp / "media"),
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_SUPERUSER_USERNAME": "owner",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "WEB_CONCURRENCY": "2",
        "HOME": str(tmp / "home"),
    }
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "-v0"],
        ["loadseed", "-v0"],
        ["ensure_admin"],
    ):
        manage(*command, tmp_path=tmp, env=env, drop=DROP, timeout=300, check=True)
    instances = [Instance("a", env, tmp), Instance("b", env, tmp)]
    try:
        for instance in instances:
            instance.wait_ready()
        yield {"a": instances[0], "b": instances[1], "redis": redis, "home": tmp / "home"}
    finally:
        for instance in instances:
            instance.stop()
        redis.stop()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def editor(cluster):
    """A browser logged in on instance A."""
    browser = Browser()
    a = cluster["a"].port
    status, _, body = browser.get(a, "/admin/login/")
    data = form_data(body.decode(), "login-form")
    data.update(username="owner", password=PASSWORD)
    status, headers, body = browser.post(a, "/admin/login/?next=/admin/", data)
    assert status == 302, form_errors(body.decode())
    return browser


def add_paper(browser, port, title, thumbnail=None):
    status, _, body = browser.get(port, "/admin/research/publication/add/")
    assert status == 200
    data = form_data(body.decode(), "publication_form")
    data.update(title=title, date="2026-01-15", status="published", tags="cluster")
    # The first person in the editor's list (the seed's owner) as the one author.
    _, _, people = browser.get(port, "/admin/research/person/")
    person = re.search(r"/admin/research/person/(\d+)/change/", people.decode()).group(1)
    data |= {
        "authorships-TOTAL_FORMS": "1",
        "authorships-0-person": person,
        "authorships-0-position": "1",
    }
    files = {"thumbnail": ("figure.png", thumbnail, "image/png")} if thumbnail else None
    status, _, body = browser.post(port, "/admin/research/publication/add/", data, files)
    assert status == 302, form_errors(body.decode())


def text(body):
    return BeautifulSoup(body, "html.parser").get_text(" ")


def test_both_instances_run_side_by_side_without_a_shared_control_socket(cluster):
    assert cluster["a"].process.poll() is None and cluster["b"].process.poll() is None
    assert not (cluster["home"] / ".gunicorn").exists()


def test_a_login_on_one_server_is_a_session_on_the_other(cluster, editor):
    status, _, body = editor.get(cluster["b"].port, "/admin/")
    assert status == 200
    assert "Edit your homepage" in text(body)


def test_an_edit_on_one_server_shows_on_the_other(cluster, editor):
    a, b = cluster["a"].port, cluster["b"].port
    visitor = Browser()
    # B has the archive and the feed cached (in Redis) before the edit.
    assert visitor.get(b, "/research/")[0] == 200
    assert visitor.get(b, "/research/feed/")[0] == 200
    import redis

    assert redis.Redis.from_url(cluster["redis"].url).dbsize() > 0

    add_paper(editor, a, "Written on server A", thumbnail=png("purple"))

    status, _, body = visitor.get(b, "/research/")
    assert status == 200 and "Written on server A" in text(body)
    status, _, feed = visitor.get(b, "/research/feed/")
    assert b"Written on server A" in feed
    status, _, page = visitor.get(b, "/research/written-on-server-a/")
    assert status == 200
    images = [img["src"] for img in BeautifulSoup(page, "html.parser").select("main img")]
    assert images
    for src in images:
        status, headers, content = visitor.get(b, src)
        assert status == 200, src
        assert headers["Content-Type"].startswith("image/")
        Image.open(io.BytesIO(content)).verify()


def test_the_site_keeps_serving_uncached_when_redis_stops(cluster, editor):
    a, b = cluster["a"].port, cluster["b"].port
    cluster["redis"].stop()
    visitor = Browser()
    for port in (a, b):
        status, _, body = visitor.get(port, "/")
        assert status == 200
        assert "The Reversal Curse" in text(body)

    add_paper(editor, a, "Written while Redis is down")
    status, _, body = visitor.get(b, "/research/")
    assert status == 200 and "Written while Redis is down" in text(body)
    assert "Cache unavailable" in cluster["a"].log_text() + cluster["b"].log_text()


def test_one_instance_keeps_serving_when_the_other_stops(cluster, editor):
    cluster["a"].stop()
    with pytest.raises(OSError):
        Browser().get(cluster["a"].port, "/")

    b = cluster["b"].port
    status, _, body = Browser().get(b, "/research/")
    assert status == 200 and "Written on server A" in text(body)
    status, _, body = editor.get(b, "/admin/research/publication/")
    assert status == 200 and "Written while Redis is down" in text(body)
