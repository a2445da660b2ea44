"""Settings read from the environment, with embedded defaults for a laptop in a meeting room.

| variable       | default                                   | meaning                                        |
|----------------|-------------------------------------------|------------------------------------------------|
| FABRIQUE_ENV   | development                               | "production" refuses to start without a key     |
| SECRET_KEY     | random, kept in instance/secret_key       | signs cookies                                  |
| DATABASE_URL   | sqlite:///instance/fabrique.sqlite3 (WAL) | SQLite or postgresql:// (driven by psycopg2)   |
| PUBLIC_URL     | http://<LAN address>:<PORT>               | what QR codes and printed links point at       |
| HOST / PORT    | 0.0.0.0 / 5000                            | where the server listens                       |
| MESSAGE_QUEUE  | (none)                                    | redis://… to run several processes             |
| ASYNC_MODE     | eventlet                                  | eventlet, gevent or threading                  |
| SOCKET_TRANSPORTS | websocket,polling                      | "websocket" behind a proxy with several processes |
| PROXY_HOPS | 0                                         | proxies in front (nginx: 1) whose X-Forwarded-* to trust |
| RETENTION_DAYS | 365                                       | days personal data is kept after an atelier    |
| PRIVACY_CONTACT | (none)                                   | who participants ask about their data          |
| FABRIQUE_SESSIONS_DIR / FABRIQUE_PERSONAS_DIR | sessions/, personas/ | the catalogue's folders              |
| FABRIQUE_DEFAULT_TEMPLATE | the first valid template           | template offered first, used at start          |
| FABRIQUE_START_ATELIER | 1                                 | 0: start without creating an atelier           |
"""

from __future__ import annotations

import fcntl
import os
import secrets
import socket
import struct
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASYNC_MODES = ("eventlet", "gevent", "threading")
DEFAULT_ASYNC_MODE = "eventlet"  # serve.py's DEFAULT_MODE (a test keeps them equal)
TRANSPORTS = ("websocket", "polling")
# Keys that must never sign cookies in production (documentation examples, empty values).
_UNSAFE_KEYS = {"", "dev", "change-me", "changeme", "secret"}


class ConfigError(Exception):
    """The environment asks for something the app cannot run with."""


def lan_address() -> str:
    """Return this host's first non-loopback IPv4 address, read from the interfaces (no traffic)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for _index, name in socket.if_nameindex():
            if name == "lo":
                continue
            try:
                packed = fcntl.ioctl(probe.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
            except OSError:
                continue  # interface without an IPv4 address
            address = socket.inet_ntoa(packed[20:24])
            if not address.startswith("127."):
                return address
    finally:
        probe.close()
    return "127.0.0.1"


def _instance_secret_key(instance_path: Path) -> str:
    """Return a random development key, kept on disk so sessions survive a restart."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def database_url_with_driver(url: str) -> str:
    """Name the PostgreSQL driver in `url`: psycopg2, the one that works under eventlet.

    SQLAlchemy 2.1 maps a bare `postgresql://` to psycopg 3, which blocks eventlet's hub; some
    hosts hand out the short `postgres://` form, which SQLAlchemy no longer accepts.
    """
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg2://{rest}"
    if sep and scheme.startswith("postgresql+") and scheme != "postgresql+psycopg2":
        raise ConfigError(f"DATABASE_URL : seul le pilote psycopg2 est pris en charge (reçu : {scheme}).")
    return url


def from_environment(instance_path: Path, environ=None) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if environ is None else environ
    production = env.get("FABRIQUE_ENV", "development") == "production"
    secret_key = env.get("SECRET_KEY")
    if production and (secret_key is None or secret_key.strip().lower() in _UNSAFE_KEYS or len(secret_key) < 16):
        raise ConfigError("FABRIQUE_ENV=production exige une SECRET_KEY réelle (au moins 16 caractères aléatoires).")
    if secret_key is None:
        secret_key = _instance_secret_key(instance_path)

    async_mode = env.get("ASYNC_MODE", DEFAULT_ASYNC_MODE)
    if async_mode not in ASYNC_MODES:
        raise ConfigError(f"ASYNC_MODE doit valoir {', '.join(ASYNC_MODES[:-1])} ou {ASYNC_MODES[-1]} (reçu : {async_mode!r}).")

    port = env.get("PORT", "5000")
    if not port.isdigit():
        raise ConfigError(f"PORT doit être un nombre (reçu : {port!r}).")

    transports = [t.strip() for t in env.get("SOCKET_TRANSPORTS", "websocket,polling").split(",") if t.strip()]
    if not transports or not set(transports) <= set(TRANSPORTS):
        raise ConfigError(f"SOCKET_TRANSPORTS : websocket, polling ou les deux (reçu : {env.get('SOCKET_TRANSPORTS')!r}).")

    retention = env.get("RETENTION_DAYS", "365")
    if not retention.isdigit() or int(retention) < 1:
        raise ConfigError(f"RETENTION_DAYS doit être un nombre de jours (reçu : {retention!r}).")

    proxy_hops = env.get("PROXY_HOPS", "0")
    if not proxy_hops.isdigit() or int(proxy_hops) > 5:
        raise ConfigError(f"PROXY_HOPS : le nombre de mandataires (0 à 5) devant le serveur (reçu : {proxy_hops!r}).")

    database_url = database_url_with_driver(env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'fabrique.sqlite3'}")

    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server's connection may drop (PostgreSQL restarted): test it before use. A SQLite file's
        # never does, and the test would cost a statement per request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "PUBLIC_URL": (env.get("PUBLIC_URL") or f"http://{lan_address()}:{port}").rstrip("/"),
        "HOST": env.get("HOST", "0.0.0.0"),
        "PORT": int(port),
        "MESSAGE_QUEUE": env.get("MESSAGE_QUEUE") or None,
        "ASYNC_MODE": async_mode,
        "SOCKET_TRANSPORTS": transports,
        "RETENTION_DAYS": int(retention),
        "PROXY_HOPS": int(proxy_hops),
        "PRIVACY_CONTACT": env.get("PRIVACY_CONTACT") or None,
        "SESSIONS_DIR": Path(env.get("FABRIQUE_SESSIONS_DIR") or PROJECT_ROOT / "sessions"),
        "PERSONAS_DIR": Path(env.get("FABRIQUE_PERSONAS_DIR") or PROJECT_ROOT / "personas"),
        "DEFAULT_TEMPLATE": env.get("FABRIQUE_DEFAULT_TEMPLATE") or None,
        "START_ATELIER": (env.get("FABRIQUE_START_ATELIER") or "1").strip().lower() not in ("0", "false", "no", "non", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env.get("PUBLIC_URL", "").startswith("https://"),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
    }
