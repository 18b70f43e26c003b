"""How the inbox talks to the outside: one careful HTTP client for every source.

SourceClient wraps an httpx.Client with what every source needs and none of
them should write again: a timeout, a bounded number of retries with
exponential backoff on 429 and 5xx (honouring `Retry-After`, via tenacity), a
minimum interval between requests (arXiv asks for 3 s, Semantic Scholar 1 s
without a key), a cap on the size of each answer (read as a stream, so a huge
body is refused before it fills memory), and answers that are not what was
asked for (an HTML error page, truncated JSON, unreadable XML) turned into a
SourceError that names the source. XML is read with defusedxml.

`sleep` and `clock` are injectable so that tests run the real retry and rate
limit code without waiting; `transport` lets tests serve recordings
(respx mocks at the transport level anyway).
"""

import email.utils
import json
import time

import httpx
from defusedxml import DefusedXmlException, ElementTree
from django.conf import settings
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

USER_AGENT = "academic-homepage paper inbox (+https://github.com/)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT_SECONDS = 120


def pause(seconds):
    """Wait between requests; tests replace it (monkeypatch) to record waits instead."""
    time.sleep(seconds)


class SourceError(Exception):
    """A source could not be read; str() says which source and why, for the editor."""

    def __init__(self, source, message):
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message


class _Retryable(Exception):
    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_seconds(value, now=None):
    """Seconds a `Retry-After` header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class SourceClient:
    """GET JSON or XML from one source, politely and defensively."""

    def __init__(
        self,
        name,
        *,
        min_interval=0.0,
        headers=None,
        transport=None,
        sleep=None,
        clock=time.monotonic,
        timeout=None,
        retries=None,
        max_bytes=None,
        backoff=1.0,
    ):
        self.name = name
        self.min_interval = min_interval
        # Looked up at each wait, so replacing inbox.http.pause reaches every client.
        self.sleep = sleep or (lambda seconds: pause(seconds))
        self.clock = clock
        self.retries = settings.PAPER_SOURCES_RETRIES if retries is None else retries
        self.max_bytes = max_bytes or int(settings.PAPER_SOURCES_MAX_MB * 1024 * 1024)
        self.backoff = backoff
        self._last_request = None
        self.requests_made = 0
        self.http = httpx.Client(
            timeout=settings.PAPER_SOURCES_TIMEOUT if timeout is None else timeout,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            transport=transport,
            follow_redirects=True,
        )

    def close(self):
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def fail(self, message):
        raise SourceError(self.name, message)

    # -- requests -----------------------------------------------------------------

    def _wait_turn(self):
        if self._last_request is not None and self.min_interval:
            remaining = self.min_interval - (self.clock() - self._last_request)
            if remaining > 0:
                self.sleep(remaining)
        self._last_request = self.clock()

    def _wait_before_retry(self, state: RetryCallState):
        error = state.outcome.exception()
        backoff = self.backoff * 2 ** (state.attempt_number - 1)
        wait = error.retry_after if error.retry_after is not None else backoff
        return min(wait, MAX_WAIT_SECONDS)

    def get(self, url, *, params=None, allow=(200,)):
        """(status, body bytes) of a GET, retried on 429/5xx and network errors."""
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait_before_retry,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            return retrying(self._get_once, url, params, allow)
        except _Retryable as error:
            self.fail(f"{error} (gave up after {self.retries + 1} tries)")

    def _get_once(self, url, params, allow):
        self._wait_turn()
        self.requests_made += 1
        try:
            with self.http.stream("GET", url, params=params) as response:
                body = self._read_capped(response)
        except httpx.TimeoutException:
            raise _Retryable("no answer within the time limit") from None
        except httpx.TransportError as error:
            raise _Retryable(f"could not connect ({error})") from None
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _Retryable(
                f"HTTP {status}", retry_after_seconds(response.headers.get("Retry-After"))
            )
        if status not in allow:
            self.fail(f"HTTP {status} for {response.request.url}")
        self.last_content_type = response.headers.get("Content-Type", "")
        return status, body

    def _read_capped(self, response):
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            self.fail(f"the answer is too large ({int(declared)} bytes)")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                self.fail(f"the answer is too large (over {self.max_bytes} bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- bodies -------------------------------------------------------------------

    def get_json(self, url, *, params=None, allow=(200,)):
        _status, body = self.get(url, params=params, allow=allow)
        return self.get_json_body(body)

    def get_json_body(self, body):
        if body.lstrip()[:1] == b"<":
            self.fail("the answer is an HTML or XML page, not JSON (an error page?)")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            self.fail(f"the answer is not valid JSON ({error})")

    def get_xml(self, url, *, params=None, allow=(200,)):
        status, body = self.get(url, params=params, allow=allow)
        return status, self.parse_xml(body)

    def parse_xml(self, body):
        try:
            return ElementTree.fromstring(body)
        except ElementTree.ParseError as error:
            self.fail(f"the answer is not valid XML ({error})")
        except DefusedXmlException:
            self.fail("the answer uses XML features refused for safety (entities)")
