import gc

import pytest
from django.core.management import call_command

from tests.snapshots import replayed


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True, scope="session")
def _jinja_renders_signalled():
    """template_rendered for the Jinja2 fragments too (core/jinja.py), as Django's
    test setup sends it for its own templates: tests count list entries rendered."""
    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def instrumented(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=context)
        return render(self, context, request)

    Template.render = instrumented
    yield
    Template.render = render


@pytest.fixture
def seeded(db, request):
    """The demo homepage, loaded the way `make run` loads it.

    `loadseed` runs for real once per test process; the other tests that start from
    the same database get its rows and files written back (tests/snapshots.py),
    with the site's "last changed" of this moment, as loadseed leaves it.
    """
    from pagecache.freshness import mark_changed

    replayed(
        "loadseed",
        lambda: call_command("loadseed", verbosity=0),
        request,
        after_replay=mark_changed,
    )


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "pw-editor-123"
    )
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Pages cached by one test must never answer another test's requests."""
    from tests.caches import empty_caches

    empty_caches()


def pytest_collection_finish(session):
    """Leave what is loaded by now (Django, the apps, the collected tests) to the
    garbage collector's permanent generation, and collect less often: about 8% of
    the suite's CPU went to collections that found nothing to free."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 50)


def pytest_collection_modifyitems(config, items):
    # Everything under tests/browser/ needs Chromium: `make test-fast` leaves it out.
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    """With -v: how often each set-up ran for real and how often it was replayed."""
    from tests.snapshots import stats

    if stats and terminalreporter.verbosity > 0:
        counts = ", ".join(f"{name} {how} {n}x" for (name, how), n in sorted(stats.items()))
        terminalreporter.write_line(f"set-ups: {counts}")
