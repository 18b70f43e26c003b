"""A forged port in the Host header is not reflected in absolute links."""

import pytest

FORGED = "testserver:1337"


@pytest.mark.parametrize(
    "path",
    [
        "/research/feed/",
        "/research/feed/atom/",
        "/sitemap.xml",
        "/robots.txt",
        "/research/reversal-curse/",
    ],
)
def test_absolute_links_drop_a_port_the_server_does_not_listen_on(client, seeded, path):
    body = client.get(path, HTTP_HOST=FORGED).content.decode()
    assert "1337" not in body
    assert "http://testserver/" in body


def test_a_configured_port_and_the_servers_own_port_are_kept(client, seeded, settings):
    assert (
        "http://testserver:8080/"
        in client.get(
            "/robots.txt", HTTP_HOST="testserver:8080", SERVER_PORT="8080"
        ).content.decode()
    )
    settings.SITE_PORTS = ["1337"]
    assert "http://testserver:1337/" in client.get("/robots.txt", HTTP_HOST=FORGED).content.decode()


def test_site_url_wins_over_the_host(client, seeded, settings):
    settings.SITE_URL = "https://example.org"
    body = client.get("/research/reversal-curse/", HTTP_HOST=FORGED).content.decode()
    assert '<link rel="canonical" href="https://example.org/research/reversal-curse/">' in body
