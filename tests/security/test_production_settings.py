"""Production settings (DJANGO_DEBUG=0), security headers and host checks."""

import json
from pathlib import Path

import pytest

from tests.process import run_python

# Subprocesses and servers: left out of `make test-fast`.
pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Qp2Lm9Zr4Tn8Vb1Hc6Jd0Wf5Ys3Ge" * 2
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "www.example.org",
}


def run(args, env_changes, tmp_path):
    return run_python(args, tmp_path, env_changes)


SETTINGS_DUMP = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({k: getattr(s, k, None) for k in ["
    "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
    "'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS',"
    "'TRUSTED_PROXY_COUNT', 'ALLOWED_HOSTS', 'SESSION_COOKIE_HTTPONLY']}))"
)


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "DJANGO_BEHIND_PROXY": "1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.org",
        },
    ],
    ids=["direct", "behind-proxy"],
)
def test_deploy_check_is_clean_in_production(tmp_path, extra):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, **extra},
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "env,expected",
    [
        (
            PRODUCTION,
            {
                "DEBUG": False,
                "SECURE_SSL_REDIRECT": True,
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SESSION_COOKIE_HTTPONLY": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_PROXY_SSL_HEADER": None,
                "CSRF_TRUSTED_ORIGINS": [],
                "TRUSTED_PROXY_COUNT": 0,
                "ALLOWED_HOSTS": ["www.example.org"],
            },
        ),
        (
            {
                **PRODUCTION,
                "DJANGO_BEHIND_PROXY": "1",
                "DJANGO_CSRF_TRUSTED_ORIGINS": "https://www.example.org,https://example.org",
            },
            {
                "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                "CSRF_TRUSTED_ORIGINS": ["https://www.example.org", "https://example.org"],
                "TRUSTED_PROXY_COUNT": 1,
            },
        ),
    ],
    ids=["production", "production-behind-proxy"],
)
def test_production_settings_come_from_the_environment(tmp_path, env, expected):
    result = run(
        ["-c", SETTINGS_DUMP], {"DJANGO_SETTINGS_MODULE": "site_project.settings", **env}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    actual = json.loads(result.stdout)
    assert {k: actual[k] for k in expected} == expected


@pytest.mark.parametrize(
    "env,message",
    [
        ({"DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "x.org"}, "DJANGO_SECRET_KEY must be set"),
        (
            {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "x.org"},
            "too weak",
        ),
    ],
    ids=["no-key", "weak-key"],
)
def test_production_refuses_to_start_without_a_real_key(tmp_path, env, message):
    result = run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


PUBLIC_PAGES = ["/", "/research/scheming-safety-cases/", "/no-such-page/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES, ids=["home", "paper", "not-found"])
def test_public_pages_carry_a_strict_content_security_policy(client, seeded, path):
    response = client.get(path)
    policy = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "host",
    ["evil.example", "testserver.evil.example", "testserver:80@evil.example", "127.0.0.1.nip.io"],
)
def test_requests_for_other_hosts_get_400(client, seeded, host):
    assert client.get("/", headers={"host": host}).status_code == 400


def test_forwarded_host_is_ignored(client, seeded):
    response = client.get("/", headers={"x-forwarded-host": "evil.example"})
    assert response.status_code == 200
    assert b"evil.example" not in response.content
