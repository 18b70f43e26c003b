"""Serve the recorded API answers at the transport level (respx), so the real clients run."""

import json
from pathlib import Path

import httpx
import pytest
import respx

DATA = Path(__file__).parent / "data"

OPENALEX_NEXT_CURSOR = "IlsxMzEwNTE1MjAwMDAwLCAnaHR0cHM6Ly9vcGVuYWxleC5vcmcvVzIwNjY0MTU3MTknXSI="


def body(name):
    return (DATA / name).read_bytes()


def data(name):
    return json.loads(body(name))


def json_response(name, status=200, **headers):
    return httpx.Response(
        status, content=body(name), headers={"Content-Type": "application/json", **headers}
    )


def xml_response(name, status=200):
    return httpx.Response(
        status, content=body(name), headers={"Content-Type": "application/atom+xml"}
    )


@pytest.fixture
def waits(monkeypatch):
    """Every wait the clients ask for (rate limits, backoff), recorded instead of slept."""
    asked = []
    monkeypatch.setattr("inbox.http.pause", asked.append)
    return asked


@pytest.fixture
def api(waits):
    """A respx router that fails any request no test route answers (no network)."""
    with respx.mock(assert_all_called=False) as router:
        yield router


def route_openalex(api, author="A1969205032"):
    works = api.get("https://api.openalex.org/works", params={"filter": f"author.id:{author}"})
    works.side_effect = lambda request: (
        json_response("openalex/works_filter_doi_two_dois_cursor_end_empty_2022.json")
        if request.url.params["cursor"] == OPENALEX_NEXT_CURSOR
        else json_response("openalex/works_filter_author_A1969205032_cursor_first_page_2022.json")
    )
    return works


def route_orcid(
    api, orcid="0000-0003-1620-1408", name="orcid/works_0000-0003-1620-1408_empty.json"
):
    return api.get(f"https://pub.orcid.org/v3.0/{orcid}/works").mock(
        return_value=json_response(name)
    )
