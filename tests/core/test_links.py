"""Absolute links for feeds, meta tags and BibTeX (core/links.py)."""

from pathlib import Path

import pytest
from django.test import RequestFactory

from core.links import absolute_url, site_root
from tests.process import manage

ROOT = Path(__file__).resolve().parents[2]


def test_site_root_prefers_the_setting(settings):
    settings.ALLOWED_HOSTS = ["visitor.example.org"]
    request = RequestFactory().get("/x/", HTTP_HOST="visitor.example.org")
    settings.SITE_URL = ""
    assert site_root(request) == "http://visitor.example.org"
    settings.SITE_URL = "https://me.example.net"
    assert site_root(request) == "https://me.example.net"
    assert site_root() == "https://me.example.net"


def test_absolute_url():
    assert absolute_url("/media/a.pdf", "https://h.org") == "https://h.org/media/a.pdf"
    assert absolute_url("https://arxiv.org/pdf/1", "https://h.org") == "https://arxiv.org/pdf/1"
    assert absolute_url("//cdn.h.org/a", "https://h.org") == "https://cdn.h.org/a"
    assert absolute_url("/media/a.pdf", "") == ""
    assert absolute_url("", "https://h.org") == ""


@pytest.mark.slow  # starts manage.py in a subprocess
def test_site_url_setting_must_be_http(tmp_path):
    result = manage("check", tmp_path=tmp_path, env={"DJANGO_SITE_URL": "example.org"})
    assert result.returncode != 0
    assert "DJANGO_SITE_URL must start with http:// or https://" in result.stderr
