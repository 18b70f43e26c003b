import json

from django.db import OperationalError, connections


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    # Never cached: a cache in front must not hide an outage.
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_answers_probes_by_ip_over_plain_http(client, db, settings):
    """Load balancers and container probes use the instance's IP and plain HTTP."""
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    # Other pages still get the host check.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_is_503_without_leaking_details_when_the_database_is_down(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password xyz')

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "unavailable"
    assert b"db.internal" not in response.content
    assert b"xyz" not in response.content
    assert "no-store" in response["Cache-Control"]
