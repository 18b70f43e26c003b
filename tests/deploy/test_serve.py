"""`make serve` runs the site as in production: gunicorn, DEBUG off, whitenoise."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.process import manage, start

# Subprocesses and servers: left out of `make test-fast`.
pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


@pytest.fixture
def served_site(tmp_path):
    """`make serve` with no configuration of its own, on a free port and a fresh folder."""
    port = free_port()
    env = {
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "WEB_CONCURRENCY": "1",  # the machine is shared; one worker shows the same behaviour
    }
    clean = {"tmp_path": tmp_path, "env": env, "drop": ("GUNICORN_",)}  # no GUNICORN_* either
    manage("migrate", "-v0", **clean, timeout=300, check=True)
    manage("loadseed", "-v0", **clean, timeout=300, check=True)
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115 (read back after the server stops)
    server = start(
        [
            "make",
            "--no-print-directory",
            "serve",
            f"PORT={port}",
            f"SECRET_KEY_FILE={tmp_path}/var/secret_key",
        ],
        **clean,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                if get(url + "healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            log.seek(0)
            pytest.fail(f"make serve did not come up:\n{log.read()}")
        yield url, server, tmp_path
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def test_make_serve_runs_the_site_in_production_mode(served_site):
    url, server, tmp_path = served_site

    status, _, home = get(url)
    assert status == 200
    assert "<h1>Mikita Balesni</h1>" in home
    # Static files are collected with hashed names and served by whitenoise, cached for long.
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
    assert stylesheet, "the stylesheet should have a hashed name"
    status, headers, css = get(url + stylesheet[1].lstrip("/"))
    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    # Uploads (the photo, thumbnails, whatever size the page asks for) come from MEDIA_ROOT.
    uploads = re.findall(r'(?:src|srcset)="(/media/[^"\s]+)', home)
    assert uploads
    assert all(get(url + upload.lstrip("/"))[0] == 200 for upload in uploads)
    # DEBUG is off: a missing page is a plain 404, not Django's debug page.
    status, _, missing = get(url + "no-such-page/")
    assert status == 404
    assert "URLconf" not in missing
    # A secret key was generated for this machine, readable by its owner only.
    key_file = tmp_path / "var" / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    assert key_file.stat().st_mode & 0o077 == 0


def test_make_serve_stops_gracefully(served_site):
    url, server, tmp_path = served_site

    # What systemd, Docker or a PaaS sends on stop or redeploy.
    os.killpg(server.pid, signal.SIGTERM)

    server.wait(timeout=40)
    log = tmp_path / "serve.log"
    deadline = time.monotonic() + 40
    while "Shutting down: Master" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Handling signal: term" in log.read_text()
    assert "Shutting down: Master" in log.read_text()
    with pytest.raises(OSError):
        get(url + "healthz")
