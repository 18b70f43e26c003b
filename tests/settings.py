"""Settings for the test suite: the site's own settings, with a fast password hasher.

Hashing a password with the production hasher takes a third of a second; the
tests create a signed-in editor in about a hundred places.
"""

from site_project.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Static files need no collectstatic run (no manifest) in tests.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Renditions in the same formats and sizes, encoded with the least effort.
RENDITIONS_FAST_ENCODING = True
