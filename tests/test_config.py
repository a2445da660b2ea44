"""Settings from the environment, and the app factory."""

import pytest

from fabrique import catalog, create_app
from fabrique.config import DEFAULT_ASYNC_MODE, PROJECT_ROOT, ConfigError, from_environment, lan_address


def test_defaults_give_a_sqlite_file_in_the_instance_folder_and_a_lan_public_url(tmp_path):
    config = from_environment(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'fabrique.sqlite3'}"
    assert config["ASYNC_MODE"] == DEFAULT_ASYNC_MODE
    assert config["MESSAGE_QUEUE"] is None
    assert config["PUBLIC_URL"] == f"http://{lan_address()}:5000"
    assert config["ENV_NAME"] == "development"


def test_development_key_is_random_and_kept_across_restarts(tmp_path):
    first = from_environment(tmp_path, environ={})["SECRET_KEY"]
    second = from_environment(tmp_path, environ={})["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert from_environment(tmp_path / "other", environ={})["SECRET_KEY"] != first


def test_variables_override_defaults(tmp_path):
    config = from_environment(tmp_path, environ={
        "DATABASE_URL": "postgres://u:p@127.0.0.1/fab", "PUBLIC_URL": "https://atelier.example.org/",
        "MESSAGE_QUEUE": "redis://127.0.0.1:6379/0", "ASYNC_MODE": "threading", "PORT": "8080", "SECRET_KEY": "k" * 32,
    })
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u:p@127.0.0.1/fab"
    assert config["PUBLIC_URL"] == "https://atelier.example.org"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"
    assert (config["ASYNC_MODE"], config["PORT"], config["SECRET_KEY"]) == ("threading", 8080, "k" * 32)


@pytest.mark.parametrize("url", ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db"])
def test_postgresql_urls_name_the_driver_that_works_under_eventlet(tmp_path, url):
    assert from_environment(tmp_path, environ={"DATABASE_URL": url})["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg2://u@h/db"


def test_only_a_database_server_s_connections_are_tested_as_they_leave_the_pool(tmp_path):
    assert from_environment(tmp_path, environ={})["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    server = from_environment(tmp_path, environ={"DATABASE_URL": "postgresql://fabrique@localhost/fabrique"})
    assert server["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_psycopg3_is_refused_with_the_variable_named(tmp_path):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        from_environment(tmp_path, environ={"DATABASE_URL": "postgresql+psycopg://u@h/db"})


@pytest.mark.parametrize("key", [None, "", "dev", "change-me", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    environ = {"FABRIQUE_ENV": "production"}
    if key is not None:
        environ["SECRET_KEY"] = key
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(tmp_path, environ=environ)
    assert not (tmp_path / "secret_key").exists()


def test_production_starts_with_a_real_key(tmp_path):
    config = from_environment(tmp_path, environ={"FABRIQUE_ENV": "production", "SECRET_KEY": "x9" * 16})
    assert config["ENV_NAME"] == "production"


def test_the_entry_point_and_the_settings_default_to_the_same_server():
    # serve.py cannot import the settings before it patches the standard library: it names the default itself.
    entry_point = (PROJECT_ROOT / "serve.py").read_text()
    assert f'DEFAULT_MODE = "{DEFAULT_ASYNC_MODE}"' in entry_point


@pytest.mark.parametrize("name,value", [("ASYNC_MODE", "asyncio"), ("PORT", "http")])
def test_bad_values_are_refused_with_the_variable_named(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        from_environment(tmp_path, environ={name: value})


def test_factory_loads_the_catalog_and_creates_the_tables(app):
    assert "la-fabrique-amp-2017" in catalog().templates
    from sqlalchemy import inspect

    from fabrique.extensions import db

    tables = set(inspect(db.engine).get_table_names())
    assert {"atelier", "participant", "piste", "support", "engagement", "applied_action"} <= tables


def test_sqlite_runs_in_wal_mode(app):
    from sqlalchemy import text

    from fabrique.extensions import db

    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_bad_template_does_not_stop_the_others(tmp_path, monkeypatch):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "broken.yaml").write_text("version: 1\ntitle: [\n")
    monkeypatch.setenv("FABRIQUE_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SESSIONS_DIR": sessions, "ASYNC_MODE": "threading",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context():
        assert [e.file for e in catalog().errors] == ["sessions/broken.yaml"]
        assert catalog().templates == {}
        assert len(catalog().personas) == 26


def test_the_default_template_is_a_setting_else_the_first_valid_one(tmp_path):
    env = {"FABRIQUE_DEFAULT_TEMPLATE": "petr-coeur-de-lorraine", "FABRIQUE_START_ATELIER": "0"}
    config = from_environment(tmp_path, env)
    assert config["DEFAULT_TEMPLATE"] == "petr-coeur-de-lorraine" and config["START_ATELIER"] is False
    assert from_environment(tmp_path, {})["START_ATELIER"] is True
    from fabrique.catalog import load_catalog
    from fabrique.config import PROJECT_ROOT

    shipped = load_catalog(PROJECT_ROOT / "sessions", PROJECT_ROOT / "personas")
    assert shipped.default_template("petr-coeur-de-lorraine").id == "petr-coeur-de-lorraine"
    assert shipped.default_template("absent").id == "la-fabrique-amp-2017"
    only_test = load_catalog(PROJECT_ROOT / "tests" / "data" / "sessions", PROJECT_ROOT / "tests" / "data" / "personas")
    assert only_test.default_template(None).id == "pays-essai"
