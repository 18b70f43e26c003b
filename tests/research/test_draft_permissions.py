"""Drafts are shown to accounts allowed to view papers, not to every staff account."""

import pytest
from django.contrib.auth.models import Permission

from research.models import Publication


@pytest.fixture
def draft(make_paper):
    paper = make_paper("Secret result", status=Publication.Status.DRAFT)
    paper.slug_before = paper.slug
    paper.slug = "secret-result-renamed"
    paper.save()
    return paper


def staff_client(client, django_user_model, *perms):
    user = django_user_model.objects.create_user("helper", password="pw-helper-123", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=perms, content_type__app_label="research")
    )
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_staff_without_permissions_gets_404_for_a_draft_its_bib_and_old_address(
    client, django_user_model, draft
):
    helper = staff_client(client, django_user_model)

    assert helper.get(f"/research/{draft.slug}/").status_code == 404
    assert helper.get(f"/research/{draft.slug}.bib").status_code == 404
    assert helper.get(f"/research/{draft.slug_before}/").status_code == 404


@pytest.mark.django_db
def test_staff_with_the_view_permission_sees_the_draft(client, django_user_model, draft):
    viewer = staff_client(client, django_user_model, "view_publication")

    page = viewer.get(f"/research/{draft.slug}/")
    assert page.status_code == 200
    assert "Draft: only editors can see this page." in page.content.decode()
    assert "Secret result" in viewer.get(f"/research/{draft.slug}.bib").content.decode()
    assert viewer.get(f"/research/{draft.slug_before}/").status_code == 301
