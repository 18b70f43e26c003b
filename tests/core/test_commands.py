from django.contrib.auth import get_user_model
from django.core.management import call_command


def test_ensure_admin_generates_a_password_once(db, capsys, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_USERNAME", raising=False)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)

    call_command("ensure_admin")
    assert "already exists" in capsys.readouterr().out
    assert get_user_model().objects.count() == 1


def test_ensure_admin_takes_credentials_from_the_environment(db, capsys, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "owner")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-chosen-password")
    call_command("ensure_admin")
    assert "a-long-chosen-password" not in capsys.readouterr().out
    assert get_user_model().objects.get(username="owner").check_password("a-long-chosen-password")
