"""The README's settings table lists every environment variable the server reads."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
READ_FROM_ENVIRONMENT = re.compile(
    r"""(?:env_bool|env_list|environ\.get|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_environment_variable_is_documented():
    read = set()
    for module in ("site_project/settings.py", "site_project/gunicorn.conf.py"):
        read |= set(READ_FROM_ENVIRONMENT.findall((BASE_DIR / module).read_text()))
    readme = (BASE_DIR / "README.md").read_text()
    section = readme[readme.index("## Settings") :]
    table = section[: section.index("\n## ")]  # the one table, not those of other sections
    documented = set(re.findall(r"^\|[^|]*", table, re.MULTILINE))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", "".join(documented)))

    assert "DJANGO_SECRET_KEY" in read and "WEB_CONCURRENCY" in read  # the scan works
    assert sorted(read - documented) == []
