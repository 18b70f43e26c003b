"""Collected static files: hashed names cached for good, compressed copies served."""

import gzip

import pytest
from django.core.management import call_command
from django.templatetags.static import static


@pytest.fixture
def collected(settings, tmp_path):
    """Static files as production serves them: collected, hashed and compressed."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    call_command("collectstatic", interactive=False, verbosity=0)


def cache_control(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_hashed_static_files_are_cached_for_a_year_or_more_as_immutable(client, collected):
    url = static("css/site.css")
    assert url != "/static/css/site.css"  # the name carries the content hash
    response = client.get(url)
    assert response.status_code == 200
    directives = cache_control(response)
    assert {"public", "immutable"} <= directives
    max_age = next(int(d.split("=")[1]) for d in directives if d.startswith("max-age="))
    assert max_age >= 365 * 24 * 3600


def test_unhashed_names_are_only_cached_briefly(client, collected):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in cache_control(response)


def test_static_files_are_sent_compressed(client, collected):
    url = static("css/site.css")
    plain = b"".join(client.get(url).streaming_content)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == plain
