import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """Uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seeded(db):
    """The demo homepage, loaded the way `make run` loads it."""
    call_command("loadseed", verbosity=0)


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


def pytest_collection_modifyitems(config, items):
    # Everything under tests/browser/ needs Chromium: `make test-fast` leaves it out.
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
