"""Debian's PostgreSQL, Redis and nginx started on loopback, on free ports, for the tests.

Each helper starts its own throw-away instance in a temporary folder and stops it after (the
machine's own services, if any, are left alone). PostgreSQL refuses to run as root, so as root
the cluster belongs to the `postgres` user Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from fabrique.local_server import free_port  # noqa: F401  (the deployment tests import it from here)

INSTALL_HINT = "./test.sh installs it (apt-get install postgresql redis-server nginx)"


def wait_for_port(port: int, timeout: float = 20, process: subprocess.Popen | None = None) -> None:
    """Wait until something accepts connections on 127.0.0.1:`port`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
                raise RuntimeError(f"nothing answers on port {port}")
            time.sleep(0.05)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL is missing: {INSTALL_HINT}")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres():
    """Run a PostgreSQL cluster on a free loopback port; yield a function making a fresh database URL."""
    # Its own folder directly under /tmp: the `postgres` user cannot enter pytest's (root's, 0700).
    folder = Path(tempfile.mkdtemp(prefix="fabrique-pg-"))
    data = folder / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "fabrique", "--auth=trust", "-E", "UTF8",
                                 "--no-sync"]), check=True, capture_output=True)
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "pg.log"), "-w", "start"]),
                   check=True, capture_output=True)
    names = iter(range(1, 1000))

    def new_database() -> str:
        name = f"fabrique_{next(names)}"
        subprocess.run([_pg_bin("psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "fabrique", "-d", "postgres", "-q",
                        "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
        return f"postgresql://fabrique@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis(folder: Path):
    """Run a Redis server on a free loopback port, without persistence; yield its URL."""
    if shutil.which("redis-server") is None:
        raise RuntimeError(f"redis-server is missing: {INSTALL_HINT}")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def nginx_binary() -> str:
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        raise RuntimeError(f"nginx is missing: {INSTALL_HINT}")
    return binary
