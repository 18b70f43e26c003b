"""Real servers for tests: redis-server, and the check that a needed one is installed.

Without the server a test is skipped with what to install, except in CI
(CI=true), where a missing server is a failure.
"""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition, message):
    """Skip (fail in CI) unless condition holds."""
    if not condition:
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing server is a failure)")
        pytest.skip(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=20, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class RedisServer:
    """Debian's redis-server on a loopback port, no persistence; stop() and start() again."""

    def __init__(self, workdir, port=None):
        self.workdir = workdir
        self.port = port or free_port()
        self.process = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def redis_server(workdir):
    require(
        shutil.which("redis-server"), "redis-server is not installed (apt-get install redis-server)"
    )
    server = RedisServer(workdir).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def small_disk(folder, *, read_only=False, size="64k"):
    """A tmpfs of `size` mounted at folder (root only): filled up, or mounted read-only."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    require(mounted, "mounting a small tmpfs needs root (mount -t tmpfs)")
    try:
        if not read_only:
            with open(folder / "filler", "wb", buffering=0) as filler:
                try:
                    while filler.write(b"\0" * 4096):
                        pass
                except OSError:
                    pass  # full
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
