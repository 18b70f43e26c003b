"""The shared client: retries with backoff and Retry-After, limits, and answers that are garbage."""

import httpx
import pytest

from inbox.http import SourceClient, SourceError, retry_after_seconds

from .conftest import body, json_response

URL = "https://api.openalex.org/works/W2741809807"
WORK = "openalex/work_W2741809807_2025.json"


def client(**kwargs):
    return SourceClient("OpenAlex", **kwargs)


def test_429_is_retried_after_the_time_retry_after_asks(api, waits):
    route = api.get(URL)
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        json_response(WORK),
    ]
    assert client().get_json(URL)["display_name"].startswith("The state of OA")
    assert route.call_count == 2
    assert waits == [7.0]


def test_5xx_backs_off_exponentially_and_gives_up_after_the_retries(api, waits, settings):
    settings.PAPER_SOURCES_RETRIES = 3
    route = api.get(URL).mock(return_value=httpx.Response(500, text="Internal Server Error"))
    with pytest.raises(SourceError) as error:
        client().get_json(URL)
    assert str(error.value) == "OpenAlex: HTTP 500 (gave up after 4 tries)"
    assert route.call_count == 4
    assert waits == [1.0, 2.0, 4.0]


def test_a_timeout_is_retried_then_reported(api, waits, settings):
    settings.PAPER_SOURCES_RETRIES = 1
    api.get(URL).mock(side_effect=httpx.ReadTimeout("timed out"))
    with pytest.raises(SourceError, match="no answer within the time limit"):
        client().get_json(URL)
    assert waits == [1.0]


def test_a_timeout_then_an_answer_succeeds(api, waits):
    api.get(URL).mock(side_effect=[httpx.ConnectTimeout("slow"), json_response(WORK)])
    assert client().get_json(URL)["id"] == "https://openalex.org/W2741809807"


def test_404_is_not_retried(api, waits):
    route = api.get(URL).mock(return_value=json_response("orcid/person_invalid_id_404.json", 404))
    with pytest.raises(SourceError, match="HTTP 404"):
        client().get_json(URL)
    assert route.call_count == 1 and waits == []


def test_an_answer_over_the_size_cap_is_refused(api, waits):
    api.get(URL).mock(return_value=json_response(WORK))
    with pytest.raises(SourceError, match="too large"):
        client(max_bytes=10_000).get_json(URL)
    assert len(body(WORK)) > 10_000


def test_a_declared_length_over_the_cap_is_refused_before_reading(api, waits):
    api.get(URL).mock(
        return_value=httpx.Response(200, content=b"{}", headers={"Content-Length": "999999999"})
    )
    with pytest.raises(SourceError, match="too large"):
        client().get_json(URL)


def test_truncated_json_is_reported(api, waits):
    api.get(URL).mock(return_value=httpx.Response(200, content=body(WORK)[:5000]))
    with pytest.raises(SourceError, match="not valid JSON"):
        client().get_json(URL)


def test_an_html_error_page_is_reported(api, waits):
    page = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
    api.get(URL).mock(return_value=httpx.Response(200, content=page))
    with pytest.raises(SourceError, match="HTML or XML page, not JSON"):
        client().get_json(URL)


def test_xml_entity_tricks_are_refused(api, waits):
    bomb = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'
    api.get(URL).mock(return_value=httpx.Response(200, content=bomb))
    with pytest.raises(SourceError, match="refused for safety"):
        client().get_xml(URL)


def test_the_rate_limit_spaces_requests(api, waits):
    api.get(URL).mock(return_value=json_response(WORK))
    now = [100.0]
    limited = client(min_interval=3.0, clock=lambda: now[0])
    limited.get_json(URL)
    now[0] += 1.0
    limited.get_json(URL)
    assert waits == [2.0]


def test_retry_after_as_an_http_date():
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10.0
    assert retry_after_seconds("soon") is None
