import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Logins are what these tests exercise; hashing strength is Django's business."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
