"""`flask backup` copies a running database; the copy restores into a fresh instance whose
synthesis opens with everything that was committed."""

import sqlite3

from sqlalchemy import select

from fabrique.extensions import db
from fabrique.models import Piste
from tests.factories import Console, Phone, new_atelier

PISTE = "Une recyclerie dans chaque commune"


def test_a_backup_of_the_running_database_restores_into_a_fresh_instance(app, runner, make_app, tmp_path):
    atelier = new_atelier()
    console, phone = Console(app, atelier), Phone(app, atelier, "Léa")
    console.goto("pistes")
    assert phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=PISTE, hashtags=[])["ok"]
    # Another connection is halfway through a write: the backup holds what was committed only.
    writer = sqlite3.connect(db.engine.url.database)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE piste SET text = 'non validé'")
    destination = tmp_path / "sauvegarde" / "fabrique.sqlite3"
    result = runner.invoke(args=["backup", str(destination)])
    writer.rollback()
    writer.close()
    assert result.exit_code == 0, result.output
    assert destination.exists() and not destination.with_name("fabrique.sqlite3-wal").exists()

    restored = make_app(f"sqlite:///{destination}")
    with restored.app_context():
        assert db.session.scalars(select(Piste.text)).all() == [PISTE]
        page = restored.test_client().get(f"/synthese/{atelier.review_token}")
    assert page.status_code == 200 and PISTE in page.get_data(as_text=True)


def test_backup_names_its_file_in_the_instance_folder_by_default(app, runner):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert "instance/backups/fabrique-" in result.output


def test_on_postgresql_the_backup_is_a_pg_dump_that_pg_restore_brings_back(make_app, postgres_cluster, tmp_path):
    import glob
    import subprocess

    source, target = postgres_cluster(), postgres_cluster()
    app = make_app(source)
    with app.app_context():
        atelier = new_atelier()
        console, phone = Console(app, atelier), Phone(app, atelier, "Léa")
        console.goto("pistes")
        assert phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=PISTE, hashtags=[])["ok"]
        dump = tmp_path / "fabrique.dump"
        result = app.test_cli_runner().invoke(args=["backup", str(dump)])
        assert result.exit_code == 0, result.output
        review_token = atelier.review_token  # read while the session is open
    pg_restore = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_restore"))[-1]
    subprocess.run([pg_restore, "--no-owner", "-d", target, str(dump)], check=True, capture_output=True)

    restored = make_app(target)
    with restored.app_context():
        page = restored.test_client().get(f"/synthese/{review_token}")
    assert page.status_code == 200 and PISTE in page.get_data(as_text=True)
