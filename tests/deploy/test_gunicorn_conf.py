"""site_project/gunicorn.conf.py: worker count and address from the machine and the platform."""

import os
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "site_project" / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "PORT", "GUNICORN_BIND", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_follow_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    monkeypatch.delattr(os, "process_cpu_count", raising=False)

    assert load(monkeypatch)["workers"] == 7  # 2 x 3 + 1


def test_a_big_machine_does_not_start_a_hundred_workers(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.delattr(os, "process_cpu_count", raising=False)

    assert load(monkeypatch)["workers"] == 12


def test_the_platform_sets_workers_and_port(monkeypatch):
    config = load(monkeypatch, WEB_CONCURRENCY="3", PORT="5000")

    assert config["workers"] == 3
    assert config["bind"] == ["0.0.0.0:5000"]


def test_a_vps_listens_on_loopback_for_the_reverse_proxy(monkeypatch):
    assert load(monkeypatch)["bind"] == ["127.0.0.1:8000"]
    assert load(monkeypatch, GUNICORN_BIND="unix:/run/homepage.sock")["bind"] == [
        "unix:/run/homepage.sock"
    ]


def test_no_shared_control_socket_unless_one_is_named_per_instance(monkeypatch):
    config = load(monkeypatch)
    assert config["control_socket_disable"] is True

    config = load(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/homepage/gunicorn.ctl")
    assert config["control_socket_disable"] is False
    assert config["control_socket"] == "/run/homepage/gunicorn.ctl"
