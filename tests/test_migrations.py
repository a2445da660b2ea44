"""Schema migrations: a database of the first release is upgraded without losing anything, on
SQLite and PostgreSQL, and the migrations build exactly the tables the models describe."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text

from fabrique import schema
from fabrique.config import database_url_with_driver
from fabrique.extensions import db
from fabrique.models import AppliedAction, Atelier, Participant, Piste, Support, ValueVote

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
PISTE = "Des navettes <script>alert(1)</script> entre les gares 🚆"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.sqlite3'}"
    return database_url_with_driver(request.getfixturevalue("postgres_cluster")())


def first_release_database(url: str) -> None:
    """Create the first release's tables (as `create_all` made them then) and fill them."""
    engine = create_engine(url)
    ddl = "".join(line for line in (DATA / f"schema-first-release.{engine.dialect.name}.sql").read_text().splitlines(True) if not line.startswith("--"))
    rows = [
        "INSERT INTO demarche (id, name, template_id, created_at) VALUES (1, 'Projet métropolitain', 'la-fabrique-amp-2017', '2026-11-02 09:00:00')",
        "INSERT INTO atelier (id, demarche_id, name, template_id, format_id, audience, held_on, phase_index, phase_locked,"
        " settings, join_code, facilitator_token, screen_token, review_token, seq, stage_version, is_demo, carried, created_at)"
        " VALUES (1, 1, 'Atelier des élus', 'la-fabrique-amp-2017', 'atelier-complet', 'Élus', '2026-11-03', 6, false,"
        " '{\"dots\": 3}', 'ABCDEF', 'facilitator-token-1', 'screen-token-1', 'review-token-1', 12, 4, false, '{}', '2026-11-02 09:00:00')",
        "INSERT INTO participant (id, atelier_id, pseudonym, pseudonym_key, persona_id, language, token, rejoin_code, joined_at, last_seen_at)"
        " VALUES (1, 1, 'Léa', 'lea', NULL, 'fr', 'participant-token-1', 'XYZ234', '2026-11-03 10:00:00', '2026-11-03 10:05:00')",
        "INSERT INTO value_vote (id, atelier_id, participant_id, value_id, points, created_at) VALUES (1, 1, 1, 'innovation', 6, '2026-11-03 10:10:00')",
        f"INSERT INTO piste (id, atelier_id, participant_id, theme_id, text, horizon, hashtags, status, created_at, updated_at)"
        f" VALUES (1, 1, 1, 'vivre-mieux', '{PISTE}', '2030', '[\"Mobilité\"]', 'visible', '2026-11-03 10:20:00', '2026-11-03 10:20:00')",
        "INSERT INTO support (id, atelier_id, participant_id, piste_id, created_at) VALUES (1, 1, 1, 1, '2026-11-03 10:30:00')",
        "INSERT INTO applied_action (id, atelier_id, actor, op_id, result, created_at)"
        " VALUES (1, 1, 'participant:1', 'op-1', '{\"piste_id\": 1}', '2026-11-03 10:20:00')",
    ]
    with engine.begin() as connection:
        for statement in [*ddl.split(";\n"), *rows]:
            if statement.strip():
                connection.execute(text(statement))
        if engine.dialect.name == "postgresql":  # rows inserted with explicit ids: move the sequences on
            for table in ("demarche", "atelier", "participant", "value_vote", "piste", "support", "applied_action"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    engine.dispose()


def test_a_first_release_database_is_upgraded_at_start_and_keeps_everything(make_app, database_url):
    first_release_database(database_url)
    app = make_app(database_url)
    with app.app_context():
        with db.engine.connect() as connection:
            assert schema.current_revision(connection) == schema.scripts().get_current_head()
        atelier = db.session.get(Atelier, 1)
        assert (atelier.name, atelier.audience, atelier.held_on, atelier.settings, atelier.seq) == (
            "Atelier des élus", "Élus", "2026-11-03", {"dots": 3}, 12)
        assert [p.pseudonym for p in atelier.participants] == ["Léa"]
        piste = db.session.get(Piste, 1)
        assert (piste.text, piste.hashtags, piste.status) == (PISTE, ["Mobilité"], "visible")
        assert db.session.scalar(select(ValueVote.points)) == 6
        assert db.session.scalar(select(func.count()).select_from(Support)) == 1
        assert db.session.scalar(select(AppliedAction.result)) == {"piste_id": 1}
        client = app.test_client()
        page = client.get("/synthese/review-token-1")
        assert page.status_code == 200 and "Des navettes" in page.get_data(as_text=True)
        # …and the upgraded atelier takes new participants.
        assert client.post("/j/ABCDEF", data={"pseudonym": "Karim"}).status_code == 200
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_the_migrations_build_exactly_the_tables_of_the_models(make_app, database_url):
    """Fails when a model changes without its migration: run `flask db-revision "…"` and commit it."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), "head")
    app = make_app(database_url)  # a database at the newest revision: the app only checks it
    with app.app_context(), engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    engine.dispose()
    assert differences == []


def test_a_new_database_is_stamped_at_the_newest_revision(app):
    with db.engine.connect() as connection:
        assert schema.current_revision(connection) == schema.scripts().get_current_head()


def test_the_revision_a_new_database_is_stamped_at_is_alembics_newest():
    """Fails when a migration is added without moving `schema.NEWEST_REVISION` on."""
    assert schema.NEWEST_REVISION == schema.scripts().get_current_head()


def test_the_version_table_made_without_alembic_is_the_one_alembic_makes(make_app, database_url, tmp_path):
    make_app(database_url)  # an empty database: tables and version made by the app itself
    by_alembic = create_engine(f"sqlite:///{tmp_path / 'by-alembic.sqlite3'}" if database_url.startswith("sqlite")
                               else database_url.rsplit("/", 1)[0] + "/postgres")
    engine = create_engine(database_url_with_driver(database_url))
    try:
        with by_alembic.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            MigrationContext.configure(connection).stamp(schema.scripts(), "head")
        described = []
        for each in (engine, by_alembic):
            with each.connect() as connection:
                inspector = inspect(connection)
                described.append((
                    [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns("alembic_version")],
                    inspector.get_pk_constraint("alembic_version"),
                    connection.scalars(text("SELECT version_num FROM alembic_version")).all()))
        assert described[0] == described[1]
        assert described[0][2] == [schema.NEWEST_REVISION]
    finally:
        with by_alembic.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        engine.dispose()
        by_alembic.dispose()


def test_a_start_imports_alembic_only_when_there_is_a_migration_to_run(tmp_path):
    """Alembic weighs ≈11 MiB in the server's memory: a new database and one already at the newest
    revision start without it; a database of the first release is migrated with it."""
    start = ("import sys; from fabrique import create_app; create_app(); "
             "print('alembic' in sys.modules)")
    env = {**os.environ, "FABRIQUE_INSTANCE": str(tmp_path / "instance")}
    env.pop("DATABASE_URL", None)

    def imports_alembic(url: str) -> bool:
        out = subprocess.run([sys.executable, "-c", start], cwd=ROOT, env={**env, "DATABASE_URL": url},
                             capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1] == "True"

    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert not imports_alembic(fresh)  # created and stamped
    assert not imports_alembic(fresh)  # already at the newest revision
    old = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    first_release_database(old)
    assert imports_alembic(old)
    with create_engine(old).connect() as connection:
        assert schema.current_revision(connection) == schema.NEWEST_REVISION
