"""Collected static files: hashed names cached for good, compressed copies served."""

import gzip

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import override_settings


def production_static(static_root):
    return {
        "STATIC_ROOT": static_root,
        "STORAGES": {
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "DEBUG": False,
    }


@pytest.fixture(scope="module")
def collected_root(tmp_path_factory):
    """collectstatic, once for this module's tests: they only read what it wrote."""
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(**production_static(static_root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@pytest.fixture
def collected(settings, collected_root):
    """Static files as production serves them: collected, hashed and compressed."""
    for name, value in production_static(collected_root).items():
        setattr(settings, name, value)


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
