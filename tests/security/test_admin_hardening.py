"""The editor: login throttling, safe redirects, history and recovery, edit conflicts."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from profiles.models import Profile
from research.models import Authorship, Person, Publication

from .helpers import errors_text, form_data

LOGIN = "/admin/login/"
PASSWORD = "pw-correct-horse-9"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_superuser("owner", "owner@example.org", PASSWORD)


def login(client, password, remote_addr="10.0.0.1", forwarded_for=None, next_url="/admin/"):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": "owner", "password": password, "next": next_url},
        **headers,
    )


def is_logged_in(response):
    return response.status_code == 302 and not response["Location"].startswith(LOGIN)


# (case, five failed attempts as (REMOTE_ADDR, X-Forwarded-For), then the right
#  password from (REMOTE_ADDR, X-Forwarded-For), trusted proxies, expect locked out)
LOCKOUT_CASES = [
    ("same-address-locked", [("10.0.0.1", None)] * 5, ("10.0.0.1", None), 0, True),
    ("other-address-not-locked", [("10.0.0.1", None)] * 5, ("10.0.0.2", None), 0, False),
    ("four-failures-still-allowed", [("10.0.0.1", None)] * 4, ("10.0.0.1", None), 0, False),
    (
        "spoofed-forwarded-for-does-not-dodge",
        [("10.0.0.1", f"192.0.2.{i}") for i in range(5)],
        ("10.0.0.1", "198.51.100.7"),
        0,
        True,
    ),
    (
        "behind-proxy-client-address-counts",
        [("10.9.9.9", f"192.0.2.{i}, 203.0.113.5") for i in range(5)],
        ("10.9.9.9", "6.6.6.6, 203.0.113.5"),
        1,
        True,
    ),
    (
        "behind-proxy-other-client-not-locked",
        [("10.9.9.9", "203.0.113.5")] * 5,
        ("10.9.9.9", "203.0.113.99"),
        1,
        False,
    ),
]


@pytest.mark.parametrize(
    "failures,final,proxies,locked",
    [c[1:] for c in LOCKOUT_CASES],
    ids=[c[0] for c in LOCKOUT_CASES],
)
def test_failed_logins_are_throttled(client, owner, settings, failures, final, proxies, locked):
    settings.TRUSTED_PROXY_COUNT = proxies
    for attempt, (remote_addr, forwarded) in enumerate(failures, start=1):
        response = login(client, "wrong", remote_addr, forwarded)
        # The fifth failure is itself answered with the lockout page.
        assert response.status_code == (200 if attempt < 5 else 429)
    response = login(client, PASSWORD, *final)
    if locked:
        assert response.status_code == 429
        assert "Too many failed logins" in response.content.decode()
        assert "_auth_user_id" not in client.session
    else:
        assert is_logged_in(response)


def test_lockout_ends_after_the_cool_off_period(client, owner):
    for _ in range(5):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert is_logged_in(login(client, PASSWORD))


@pytest.mark.parametrize(
    "next_url,expected",
    [
        ("https://evil.example/", "/admin/"),
        ("//evil.example/", "/admin/"),
        ("/\\evil.example/", "/admin/"),
        ("\\\\evil.example", "/admin/"),
        ("https:evil.example", "/admin/"),
        ("javascript:alert(1)", "/admin/"),
        ("http://testserver@evil.example/", "/admin/"),
        ("/admin/research/publication/", "/admin/research/publication/"),
    ],
    ids=[
        "absolute",
        "scheme-relative",
        "backslash",
        "double-backslash",
        "no-slashes",
        "javascript",
        "userinfo",
        "same-site-control",
    ],
)
def test_login_next_never_leaves_the_site(client, owner, next_url, expected):
    response = login(client, PASSWORD, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.fixture
def paper(db):
    ada, bob = Person.objects.create(name="Ada"), Person.objects.create(name="Bob")
    paper = Publication.objects.create(title="Original title", date="2024-03-01")
    Authorship.objects.create(publication=paper, person=ada, position=0)
    Authorship.objects.create(publication=paper, person=bob, position=1)
    paper.tags.set(["alpha"])
    return paper


def edit_paper(client, paper, **changes):
    url = reverse("admin:research_publication_change", args=[paper.pk])
    data = form_data(client.get(url), "publication_form")
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, errors_text(response)
    return response


def author_names(paper):
    return [a.name for a in Authorship.objects.filter(publication=paper).order_by("position")]


def test_history_lists_versions_and_reverts_with_authors_and_tags(editor_client, paper):
    edit_paper(editor_client, paper, title="Version one", tags="alpha, beta")
    edit_paper(
        editor_client,
        paper,
        title="Version two",
        tags="gamma",
        **{"authorships-0-printed_name": "A. Lovelace"},
    )
    history = editor_client.get(reverse("admin:research_publication_history", args=[paper.pk]))
    rows = BeautifulSoup(history.content, "html.parser").select("#change-history tbody tr")
    assert len(rows) == 2

    first = Version.objects.get_for_object(paper).order_by("pk").first()
    url = reverse("admin:research_publication_revision", args=[paper.pk, first.pk])
    form = editor_client.get(url)
    assert form.status_code == 200
    response = editor_client.post(url, form_data(form, "publication_form"))
    assert response.status_code == 302, errors_text(response)

    paper.refresh_from_db()
    assert paper.title == "Version one"
    assert sorted(paper.tags.names()) == ["alpha", "beta"]
    assert author_names(paper) == ["Ada", "Bob"]


@pytest.mark.parametrize("how", ["delete-page", "bulk-action"])
def test_deleted_publication_is_recovered_with_its_authors_and_tags(editor_client, paper, how):
    pk = paper.pk
    if how == "delete-page":
        url = reverse("admin:research_publication_delete", args=[pk])
        data = {"post": "yes"}
    else:
        url = reverse("admin:research_publication_changelist")
        data = {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
    assert editor_client.post(url, data).status_code == 302
    assert not Publication.objects.filter(pk=pk).exists()
    assert not Authorship.objects.filter(publication_id=pk).exists()

    changelist = editor_client.get(reverse("admin:research_publication_changelist"))
    recover_url = reverse("admin:research_publication_recoverlist")
    assert BeautifulSoup(changelist.content, "html.parser").find("a", href=recover_url)
    recover_list = editor_client.get(recover_url)
    assert "Original title" in recover_list.content.decode()
    (version,) = Version.objects.get_deleted(Publication)
    url = reverse("admin:research_publication_recover", args=[version.pk])
    response = editor_client.post(url, form_data(editor_client.get(url), "publication_form"))
    assert response.status_code == 302, errors_text(response)

    paper = Publication.objects.get(pk=pk)
    assert paper.title == "Original title"
    assert author_names(paper) == ["Ada", "Bob"]
    assert list(paper.tags.names()) == ["alpha"]


def second_editor(django_user_model):
    user = django_user_model.objects.create_superuser("colleague", "c@example.org", "pw-c-123")
    other = Client()
    other.force_login(user)
    return other


@pytest.mark.parametrize(
    "admin_name,make,field,form_id",
    [
        (
            "research_publication",
            lambda: (
                Authorship.objects.create(
                    publication=Publication.objects.create(title="Mine", date="2024-01-01"),
                    person=Person.objects.create(name="Ada"),
                ).publication
            ),
            "title",
            "publication_form",
        ),
        ("research_person", lambda: Person.objects.create(name="Ada"), "name", "person_form"),
        ("profile_profile", lambda: Profile.objects.create(name="Ada"), "name", "profile_form"),
    ],
    ids=["publication", "person", "profile"],
)
def test_second_editor_saving_a_stale_form_gets_a_conflict_not_an_overwrite(
    editor_client, django_user_model, admin_name, make, field, form_id
):
    obj = make()
    url = reverse(f"admin:{admin_name}_change", args=[obj.pk])
    other = second_editor(django_user_model)
    mine = form_data(editor_client.get(url), form_id)
    theirs = form_data(other.get(url), form_id)

    assert other.post(url, {**theirs, field: "Their version"}).status_code == 302
    response = editor_client.post(url, {**mine, field: "My version"})
    assert response.status_code == 200
    assert "Someone else saved this" in errors_text(response)
    obj.refresh_from_db()
    assert getattr(obj, field) == "Their version"

    # The page kept my text; saving again on purpose replaces theirs.
    again = form_data(response, form_id)
    assert again[field] == "My version"
    assert editor_client.post(url, again).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "My version"


def test_admin_pages_run_no_inline_script_under_their_policy(editor_client, paper):
    response = editor_client.get(reverse("admin:research_publication_change", args=[paper.pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    soup = BeautifulSoup(response.content, "html.parser")
    for script in soup.find_all("script"):
        executable = script.get("type", "text/javascript") in {"text/javascript", "module"}
        assert script.get("src") or not executable, script
    handlers = [a for tag in soup.find_all(True) for a in tag.attrs if a.startswith("on")]
    assert handlers == []


def test_papers_added_by_an_import_have_a_history_entry(editor_client, db):
    """Changes made outside the change form (here a BibTeX import) are versioned too."""
    url = reverse("admin:research_import_bibtex")
    bibtex = (
        "@article{lovelace1843, title={Notes on the Analytical Engine}, "
        "author={Ada Lovelace}, journal={Scientific Memoirs}, year={1843}}"
    )
    preview = editor_client.post(url, {"bibtex": bibtex, "preview": "Preview"})
    assert preview.status_code == 200
    soup = BeautifulSoup(preview.content, "html.parser")
    confirm = soup.find("input", attrs={"name": "confirm"}).find_parent("form")
    data = {
        field["name"]: field.get("value", "")
        for field in confirm.find_all("input")
        if field.get("name") and field.get("type") != "checkbox"
    }
    response = editor_client.post(confirm.get("action") or url, data)
    assert response.status_code == 302, errors_text(response)

    paper = Publication.objects.get(title="Notes on the Analytical Engine")
    (version,) = Version.objects.get_for_object(paper)
    assert version.revision.user.username == "editor"
