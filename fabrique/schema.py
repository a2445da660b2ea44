"""The database schema, brought to the current revision at start (Alembic, `migrations/`).

Three cases when the app starts:
- an empty database: the tables are created from the models and stamped at the newest revision
  (a test checks that the migrations build exactly the same schema);
- a database made before migrations existed (tables, no `alembic_version`): it has the schema of
  the first revision, so it is stamped there, then upgraded;
- otherwise: upgraded to the newest revision, if it is not there yet.

With several processes on PostgreSQL, an advisory lock makes one of them migrate while the
others wait. The first two cases and a database already at the newest revision need no Alembic:
it is imported (≈11 MiB that would stay in the server's memory) only when there is a migration to run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from .config import PROJECT_ROOT
from .extensions import db

MIGRATIONS = PROJECT_ROOT / "migrations"
FIRST_REVISION = "0001"  # the schema every database made by `create_all` before migrations has
NEWEST_REVISION = "0004"  # the last file of migrations/versions (a test checks it is Alembic's head)
_LOCK_KEY = 7_412_305  # any constant: the advisory lock is Fabrique's own
# Alembic's own version table, as its `stamp` creates it.
_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                 PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


def alembic_config(connection: Connection | None = None) -> Config:
    """Return an Alembic configuration that migrates `connection`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` (the newest by default), whatever state it is in."""
    from . import models  # noqa: F401  (the tables)

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        tables = set(inspect(connection).get_table_names())
        if revision == "head" and not tables:
            db.metadata.create_all(connection)
            _VERSION.create(connection)
            connection.execute(_VERSION.insert().values(version_num=NEWEST_REVISION))
            return
        if revision == "head" and "alembic_version" in tables and \
                connection.scalars(select(_VERSION.c.version_num)).all() == [NEWEST_REVISION]:
            return
        _migrate(connection, tables, revision)


def _migrate(connection: Connection, tables: set[str], revision: str) -> None:
    """Run Alembic's migrations up to `revision`, stamping a database made before migrations first."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    if tables and "alembic_version" not in tables:
        MigrationContext.configure(connection).stamp(scripts(), FIRST_REVISION)
    target = scripts().get_current_head() if revision == "head" else revision
    if current_revision(connection) != target:
        command.upgrade(alembic_config(connection), revision)
