"""Fixtures in the flaskr style: `app`, `client`, `runner`, each on a fresh SQLite file."""

import os

import pytest

from fabrique import create_app
from fabrique.extensions import db


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("FABRIQUE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "PUBLIC_URL": "http://fabrique.test",
        "ASYNC_MODE": os.environ.get("ASYNC_MODE", "threading"),
        "AGGREGATE_INTERVAL": None,  # tests flush the coalesced aggregates themselves
        "WTF_CSRF_ENABLED": False,  # forms are posted without their page; tests/test_security.py checks the tokens
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_broadcaster():
    """Start every test with no pending aggregate and no remembered connection."""
    from fabrique.events import broadcaster
    from fabrique.sockets import forget_all

    broadcaster.flush_pending_without_sending()
    forget_all()
    yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throw-away PostgreSQL cluster on a free loopback port; yields a maker of fresh database URLs."""
    from tests.services import postgres

    with postgres() as new_database:
        yield new_database


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Return a factory of apps on a given database URL (the `app` fixture's settings otherwise)."""
    monkeypatch.setenv("FABRIQUE_INSTANCE", str(tmp_path / "instance"))
    made = []

    def make(database_url: str, **config):
        from fabrique.config import database_url_with_driver

        made.append(create_app({
            "TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", "PUBLIC_URL": "http://fabrique.test",
            "SQLALCHEMY_DATABASE_URI": database_url_with_driver(database_url),
            "ASYNC_MODE": os.environ.get("ASYNC_MODE", "threading"), "AGGREGATE_INTERVAL": None,
            "WTF_CSRF_ENABLED": False, **config,
        }))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throw-away Redis server on a free loopback port."""
    from tests.services import redis

    with redis(tmp_path_factory.mktemp("redis")) as url:
        yield url
