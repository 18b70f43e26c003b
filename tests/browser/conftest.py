"""Real-browser fixtures: Debian's Chromium driven by Playwright (sync API).

The site is served by pytest-django's live_server (static files included; uploads
through tests/browser/urls.py). Chromium is never downloaded: it is the system
package at /usr/bin/chromium (CHROMIUM_PATH to override). Without it, or without
axe-core from `npm ci`, the tests skip with a hint, except under CI=true, where
they fail: a CI run that tested nothing must not pass.
"""

import html
import os
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import expect, sync_playwright

from site_project.settings import env_bool

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Generous waits for a shared, busy machine; they end as soon as the condition holds.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)
EDITOR_USERNAME = "editor"
EDITOR_PASSWORD = "a-long-browser-test-password"  # noqa: S105 (test user)


def unavailable(reason):
    """Skip with a hint locally; fail in CI, where the tool must be present."""
    if env_bool("CI", False):
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread, so Django
    would refuse ORM calls from the tests ("async unsafe") while it is open;
    the flag is set only for that span.
    """
    if not CHROMIUM.is_file():
        unavailable(
            f"No Chromium at {CHROMIUM}: install it with `sudo apt-get install -y chromium` "
            "(or set CHROMIUM_PATH). `playwright install` is not used."
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _browser_settings(settings):
    settings.ROOT_URLCONF = "tests.browser.urls"
    # The editor logs in through the form in most tests; a slow hash buys nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site(live_server):
    """The live server's base URL, without a trailing slash."""
    return live_server.url


@pytest.fixture
def open_page(browser, site):
    """Open a page in a fresh browser context: open_page(path, viewport=..., dark=...).

    Pages run under the site's real Content-Security-Policy; only the axe checks
    pass bypass_csp=True, so that axe-core can be injected into the page.
    """
    contexts = []

    def _open(path="/", *, viewport=WIDE, dark=False, **context_options):
        context = browser.new_context(
            base_url=site,
            viewport=viewport,
            color_scheme="dark" if dark else "light",
            **context_options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if path is not None:
            response = page.goto(path)
            assert response.ok, f"{path} answered {response.status}"
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    """A blank wide page, light mode."""
    return open_page(None)


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser(
        EDITOR_USERNAME, "editor@example.org", EDITOR_PASSWORD
    )


@pytest.fixture
def admin_page(open_page, editor):
    """A wide page logged in to the admin through its login form."""
    page = open_page("/admin/login/?next=/admin/")
    log_in(page)
    return page


def log_in(page):
    page.get_by_label("Username").fill(EDITOR_USERNAME)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Edit your homepage")).to_be_visible()


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.is_file():
        unavailable(f"axe-core is missing ({AXE_JS}): run `npm ci` (or `make test`).")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source):
    """axe(page) -> the serious and critical WCAG violations axe-core finds on the page."""

    def _run(page):
        page.add_script_tag(content=axe_source)
        results = page.evaluate(
            """() => axe.run(document, {
                   runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                   "wcag22aa", "best-practice"]},
                   resultTypes: ["violations"],
               })"""
        )
        return [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [node["target"] for node in v["nodes"]][:5],
            }
            for v in results["violations"]
            if v["impact"] in {"serious", "critical"}
        ]

    return _run


def rss_titles(page, url):
    """The item titles of an RSS feed as a reader shows them (RSS titles are HTML)."""
    feed = feedparser.parse(page.request.get(url).body())
    return [html.unescape(entry.title) for entry in feed.entries]


_saved_screenshots = []


def save_screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/screenshots/ (listed at the end)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    _saved_screenshots.append(path)
    return path


def pytest_terminal_summary(terminalreporter):
    if _saved_screenshots:
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(
            f"{len(_saved_screenshots)} screenshots of the public pages in {SCREENSHOTS}/"
        )
