"""The editor's "Import a whole site" page: a zip of the repository, a preview, then the import."""

import io
import stat
import zipfile

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.models import Profile
from research.models import Publication
from siteimport.archive import unpack
from siteimport.data import SiteImportError

from .conftest import site

pytestmark = pytest.mark.django_db
URL = "/admin/import-site/"


def repository_zip(name, top="site-main"):
    """The folder zipped as GitHub's "Download ZIP" does: inside one top folder."""
    buffer = io.BytesIO()
    root = site(name)
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(root).as_posix()}")
    return SimpleUploadedFile(f"{top}.zip", buffer.getvalue(), content_type="application/zip")


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_preview_then_import_then_nothing_to_change(editor_client):
    preview = page(
        editor_client.post(URL, {"archive": repository_zip("Babak70-babak70.github.io")})
    )
    counts = {
        row.th.get_text(): row.td.get_text() for row in preview.select("#import-counts tbody tr")
    }
    assert counts["Papers"] == "2 created" and counts["Social links"] == "4 created"
    notes = [li.get_text(" ") for li in preview.select("#import-notes li")]
    assert any("_pages/about.md:29" in n and "{% for permalink in pub_order %}" in n for n in notes)
    assert not Profile.objects.exists() and not Publication.objects.exists()

    token = preview.select_one("input[name=token]")["value"]
    done = page(editor_client.post(URL, {"confirm": "1", "token": token}))
    assert "The site was imported" in done.select_one("#import-summary").get_text()
    assert Profile.objects.get().name == "Babak Rahmani"
    assert Publication.objects.count() == 2

    again = page(editor_client.post(URL, {"archive": repository_zip("Babak70-babak70.github.io")}))
    token = again.select_one("input[name=token]")["value"]
    done = page(editor_client.post(URL, {"confirm": "1", "token": token}))
    assert "nothing needed to change" in done.select_one("#import-summary").get_text()
    # The confirmed upload is gone: confirming twice imports nothing more.
    response = editor_client.post(URL, {"confirm": "1", "token": token})
    assert response.status_code == 302


def test_a_file_that_is_no_zip_is_a_form_error(editor_client):
    upload = SimpleUploadedFile("site.zip", b"not a zip", content_type="application/zip")
    form = page(editor_client.post(URL, {"archive": upload}))
    assert (
        "The file is not a zip archive. Nothing was saved."
        in form.select_one(".errorlist").get_text()
    )


def test_a_zip_of_no_site_is_a_form_error(editor_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes/readme.md", "hello")
    upload = SimpleUploadedFile("x.zip", buffer.getvalue(), content_type="application/zip")
    form = page(editor_client.post(URL, {"archive": upload}))
    assert "not an al-folio, Hugo Blox or academicpages site" in form.get_text()
    assert not Profile.objects.exists()


def test_editors_without_the_rights_are_refused(client, django_user_model):
    user = django_user_model.objects.create_user("ed", password="pw-ed-12345", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_profile"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_unpacking_skips_paths_outside_the_folder_and_other_files(tmp_path):
    zip_path = tmp_path / "x.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        archive.writestr("../evil.md", "x")
        archive.writestr("/abs.md", "x")
        archive.writestr("site/_pages/about.md", "---\n---\nHi")
        archive.writestr("site/node_modules/pkg/readme.md", "x")
        archive.writestr("site/run.sh", "rm -rf /")
        link = zipfile.ZipInfo("site/_pages/link.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    target = tmp_path / "out"
    target.mkdir()
    unpack(zip_path, target)
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == ["site/_pages/about.md"]
    assert not (tmp_path / "evil.md").exists()


def test_a_zip_that_lies_about_its_sizes_is_refused(tmp_path, monkeypatch):
    import siteimport.archive as archive_module

    zip_path = tmp_path / "big.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("site/_pages/about.md", "a" * 5000)
    monkeypatch.setattr(archive_module, "MAX_UNPACKED_BYTES", 1000)
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(SiteImportError, match="unpacks to more than"):
        unpack(zip_path, target)


def test_the_editors_start_page_offers_the_import(editor_client):
    start = page(editor_client.get("/admin/"))
    assert start.find("a", string="Import a whole site")["href"] == URL


def test_imported_cv_shows_on_the_cv_page(client):
    from .conftest import import_site

    import_site(site("alshedivat-al-folio"))
    cv = page(client.get("/cv/"))
    text = cv.find("main").get_text(" ")
    # _data/cv.yml, section by section, in its order.
    headings = [h.get_text(" ", strip=True) for h in cv.select("main h2")]
    assert headings[:7] == [
        "General Information", "Education", "Experience", "Open Source Projects",
        "Honors and Awards", "Academic Interests", "Other Interests",
    ]  # fmt: skip
    assert "Professor of Theoretical Physics" in text and "Karl-Ferdinand University" in text
    assert "Nobel Prize in Physics" in text and "Hobby 1, Hobby 2" in text
    assert cv.find("a", string="al-folio")["href"] == "https://github.com/alshedivat/al-folio"
    for marker in ("{%", "{{", "**", "](", "<u>"):
        assert marker not in text, marker
