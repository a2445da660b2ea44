"""Two server processes on one PostgreSQL database and the Redis queue, behind nginx (the
configuration shipped in deploy/), with phones as Socket.IO clients: what one process writes the
other shows within a second, the console counts every phone, and a process killed with -9 loses
no acknowledged action while its phones reconnect through nginx to the other."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import socketio
from sqlalchemy import select

from fabrique.extensions import db
from fabrique.models import Piste
from tests.factories import PHASES, new_atelier
from tests.services import free_port, nginx_binary, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy" / "nginx"
PHONES = 6

# Slow (three services, two servers): once per suite run, in the eventlet pass (the servers run
# eventlet, the production default, either way).
once = pytest.mark.skipif(os.environ.get("ASYNC_MODE", "threading") != "eventlet",
                          reason="run once per suite, in the ASYNC_MODE=eventlet pass")


def health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
        return json.load(answer)


@contextmanager
def server(port: int, env: dict, folder: Path):
    """Run `serve.py` as a deployment would (eventlet, WebSocket only); yield its process."""
    log = open(folder / f"server-{port}.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "serve.py")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**env, "PORT": str(port)})
    try:
        deadline = time.monotonic() + 40
        while True:
            try:
                health(port)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / f"server-{port}.log").read_text())
                time.sleep(0.1)
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def nginx_config(folder: Path, listen: int, upstreams: list[int]) -> Path:
    """Write an nginx configuration around the shipped proxy rules, on loopback ports."""
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in upstreams)
    config = folder / "nginx.conf"
    config.write_text(f"""
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream fabrique {{
        least_conn;
{servers}
    }}
    server {{
        listen 127.0.0.1:{listen};
        include {DEPLOY / 'fabrique-proxy.conf'};
    }}
}}
""")
    return config


@contextmanager
def nginx(folder: Path, upstreams: list[int]):
    port = free_port()
    process = subprocess.Popen([nginx_binary(), "-p", str(folder), "-c", str(nginx_config(folder, port, upstreams))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


class Client:
    """A Socket.IO client (phone, projector or console) remembering every event it receives."""

    def __init__(self, url: str, auth: dict, cookies: dict | None = None):
        self.events: list[tuple[float, str, str]] = []
        self.connects = 0
        self.sio = socketio.Client(reconnection_delay=0.1, reconnection_delay_max=0.5, randomization_factor=0.2)
        self.sio.on("*", lambda event, data=None: self.events.append((time.monotonic(), event, json.dumps(data, ensure_ascii=False))))
        self.sio.on("connect", self._connected)
        header = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
        self.sio.connect(url, auth=auth, transports=["websocket"], headers={"Cookie": header} if header else {}, wait_timeout=5)

    def _connected(self):
        self.connects += 1

    def call(self, event: str, data: dict | None = None, timeout: float = 3):
        return self.sio.call(event, data, timeout=timeout)

    def first_seen(self, text: str) -> float | None:
        return next((at for at, _event, payload in list(self.events) if text in payload), None)


def join(base: str, code: str, pseudonym: str) -> dict:
    """Join as a browser does (the form's page first, for its CSRF token if it has one); return the cookies."""
    http = requests.Session()
    page = http.get(f"{base}/j/{code}", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    form = {"pseudonym": pseudonym, **({"csrf_token": token.group(1)} if token else {})}
    response = http.post(f"{base}/j/{code}", data=form, allow_redirects=False, timeout=5)
    assert response.status_code == 200, response.text
    return http.cookies.get_dict()


def wait_until(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def add_piste(phone: Client, op_id: str, text: str, deadline: float) -> dict:
    """Send one piste until it is acknowledged (same action id each time: applied once)."""
    while True:
        try:
            if phone.sio.connected:
                answer = phone.call("piste_add", {"op_id": op_id, "theme_id": "vivre-mieux", "horizon": "2040", "text": text,
                                                  "hashtags": []}, timeout=2)
                if answer and answer.get("ok"):
                    return answer
                assert answer.get("code") in ("rate",), answer
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError, socketio.exceptions.ConnectionError):
            pass  # the process holding this phone died: the client reconnects through nginx
        if time.monotonic() > deadline:
            raise AssertionError(f"never acknowledged: {text}")
        time.sleep(0.1)


@once
def test_two_processes_behind_nginx_share_the_atelier_and_survive_a_kill(make_app, postgres_cluster, redis_url, tmp_path):
    database_url = postgres_cluster()
    app = make_app(database_url)
    with app.app_context():
        atelier = new_atelier()
        code, facilitator_token, screen_token = atelier.join_code, atelier.facilitator_token, atelier.screen_token
    first, second = free_port(), free_port()
    env = {**os.environ, "ASYNC_MODE": "eventlet", "DATABASE_URL": database_url, "MESSAGE_QUEUE": redis_url,
           "SECRET_KEY": "a-secret-shared-by-every-process", "HOST": "127.0.0.1", "SOCKET_TRANSPORTS": "websocket",
           "FABRIQUE_INSTANCE": str(tmp_path / "instance"), "PYTHONUNBUFFERED": "1", "PUBLIC_URL": "http://127.0.0.1"}
    clients: list[Client] = []
    with server(first, env, tmp_path) as doomed, server(second, env, tmp_path), nginx(tmp_path, [first, second]) as base:
        try:
            # The projector and the console on the second process; the phones through nginx, spread over both.
            screen = Client(f"http://127.0.0.1:{second}", {"role": "screen", "token": screen_token})
            console = Client(f"http://127.0.0.1:{second}", {"role": "facilitate", "token": facilitator_token})
            phones = [Client(base, {"role": "participant", "code": code}, join(base, code, f"Téléphone {i}")) for i in range(PHONES)]
            clients += [screen, console, *phones]
            on_first = health(first)["connections"]
            assert on_first >= 1 and on_first + health(second)["connections"] == PHONES

            def online() -> int:
                return sum(p["online"] for p in console.call("sync")["state"]["participants"])

            wait_until(lambda: online() == PHONES, 3, "the console does not count every phone")
            assert console.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": PHASES["pistes"]})["ok"]

            # Every phone's piste reaches the projector of the other process within a second.
            for i, phone in enumerate(phones):
                text = f"Piste {i} du téléphone {uuid.uuid4().hex[:8]}"
                add_piste(phone, str(uuid.uuid4()), text, time.monotonic() + 5)
                acked = time.monotonic()
                wait_until(lambda: screen.first_seen(text) is not None, 1.0, f"the projector did not show {text!r} within 1 s")
                assert screen.first_seen(text) - acked < 1.0

            # Kill -9 the first process while every phone keeps sending.
            acknowledged: dict[str, str] = {}
            sent: dict[str, str] = {}

            def keep_sending(index: int, phone: Client):
                for n in range(8):
                    op_id, text = str(uuid.uuid4()), f"Rafale {index}-{n}"
                    sent[op_id] = text
                    answer = add_piste(phone, op_id, text, time.monotonic() + 30)
                    acknowledged[op_id] = answer["piste_id"]
                    time.sleep(0.05)

            senders = [threading.Thread(target=keep_sending, args=(i, p)) for i, p in enumerate(phones)]
            for sender in senders:
                sender.start()
            wait_until(lambda: len(acknowledged) >= PHONES, 10, "no action acknowledged before the kill")
            doomed.send_signal(signal.SIGKILL)
            doomed.wait(timeout=5)
            for sender in senders:
                sender.join(timeout=45)
            assert len(acknowledged) == len(sent) == PHONES * 8

            # Every phone is back, on the surviving process, and counted.
            wait_until(lambda: all(p.sio.connected for p in phones), 10, "a phone did not reconnect through nginx")
            assert health(second)["connections"] == PHONES
            wait_until(lambda: online() == PHONES, 3, "the console lost count of the phones")

            with app.app_context():
                db.session.expire_all()
                stored = {p.id: p.text for p in db.session.scalars(select(Piste).where(Piste.atelier_id == atelier.id))}
            for op_id, piste_id in acknowledged.items():
                assert stored.get(piste_id) == sent[op_id]
            burst = [text for text in stored.values() if text.startswith("Rafale")]
            assert sorted(burst) == sorted(sent.values())  # each once: retries were not applied twice
        finally:
            for client in clients:
                client.sio.disconnect()


def test_the_shipped_tls_site_configuration_is_valid_nginx(tmp_path):
    """The site file in deploy/ passes `nginx -t` once its paths point at a real certificate."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=atelier.example.org",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    site = (DEPLOY / "fabrique.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/atelier.example.org/fullchain.pem", str(tmp_path / "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/atelier.example.org/privkey.pem", str(tmp_path / "key.pem"))
    site = site.replace("/etc/nginx/snippets/fabrique-proxy.conf", str(DEPLOY / "fabrique-proxy.conf"))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{free_port()};").replace("listen 443", f"listen 127.0.0.1:{free_port()}")
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
                                         f"http {{\n{site}\n}}\n")
    result = subprocess.run([nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
