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
