"""Flask commands: `flask --app fabrique check | create-atelier | ateliers | export | db-upgrade | db-revision | purge | backup`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from .catalog import load_catalog
from .extensions import db
from .synthesis.wording import plural


@click.command("check")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_command(folders: tuple[Path, ...]) -> None:
    """Check every template and persona file; print one line per problem."""
    sessions_dir = folders[0] if folders else Path(current_app.config["SESSIONS_DIR"])
    personas_dir = folders[1] if len(folders) > 1 else Path(current_app.config["PERSONAS_DIR"])
    result = load_catalog(sessions_dir, personas_dir)
    for error in result.errors:
        click.echo(str(error), err=True)
    click.echo(f"Valides : {plural(len(result.templates), 'modèle', 'modèles')}, {plural(len(result.personas), 'persona', 'personas')}, "
               f"{plural(len(result.replays), 'rejeu', 'rejeux')} ; {plural(len(result.errors), 'problème', 'problèmes')}.")
    if result.errors:
        raise SystemExit(1)


@click.command("create-atelier")
@click.option("--template", "template_id", default=None, help="Identifiant du modèle (nom du fichier dans sessions/) ; par défaut, FABRIQUE_DEFAULT_TEMPLATE ou le premier modèle valide.")
@click.option("--name", required=True, help="Nom de l'atelier.")
@click.option("--format", "format_id", default=None, help="Format (déroulé) du modèle ; par défaut, celui du modèle.")
@click.option("--demarche", "demarche", default=None, help="Nom d'une nouvelle démarche à laquelle rattacher l'atelier.")
@click.option("--demarche-secret", "demarche_secret", default=None, help="Lien secret d'une démarche existante (console d'un de ses ateliers).")
@click.option("--audience", default=None, help="Public de l'atelier (élus, CODEV…).")
def create_atelier_command(template_id, name, format_id, demarche, demarche_secret, audience) -> None:
    """Create an atelier and print its links."""
    from .actions import Refused
    from .actions.ateliers import create_atelier, demarche_by_secret, new_demarche
    from .serving import print_welcome

    if template_id is None:
        from . import catalog

        default = catalog().default_template(current_app.config.get("DEFAULT_TEMPLATE"))
        template_id = default.id if default else ""
    try:
        existing = demarche_by_secret(demarche_secret)
        demarche_id = existing.id if existing else new_demarche(demarche, template_id)
        atelier = create_atelier(template_id, name, format_id=format_id, demarche_id=demarche_id, audience=audience)
    except Refused as exc:
        raise click.ClickException(exc.reason) from None
    print_welcome(current_app, atelier)


@click.command("ateliers")
def list_ateliers_command() -> None:
    """List the ateliers with their code and facilitator link."""
    from .models import Atelier
    from .serving import links

    for atelier in db.session.scalars(select(Atelier).order_by(Atelier.id)):
        click.echo(f"{atelier.id:>4}  {atelier.join_code}  {atelier.name}  —  {links(current_app, atelier)['facilitate']}")


@click.command("export")
@click.argument("atelier_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "odt", "xlsx", "csv", "json", "html"]), default="pdf",
              show_default=True, help="Format du fichier.")
@click.option("--demarche", "whole", is_flag=True, help="La synthèse de toute la démarche de cet atelier.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier à écrire ; par défaut, le nom que propose le téléchargement, dans le dossier courant.")
def export_command(atelier_id: int, fmt: str, whole: bool, output: Path | None) -> None:
    """Write an atelier's (or its démarche's) synthesis to a file."""
    from .models import Atelier
    from .synthesis import build, build_for_demarche, exports, file_stem, to_html
    from .synthesis.to_pdf import PdfError
    from .synthesis.wording import version_label
    from .synthesis.exports import illustrations

    atelier = db.session.get(Atelier, atelier_id)
    if atelier is None:
        raise click.ClickException(f"Aucun atelier n° {atelier_id} (voir « flask ateliers »).")
    if whole and atelier.demarche is None:
        raise click.ClickException(f"L'atelier n° {atelier_id} ne fait partie d'aucune démarche.")
    doc = build_for_demarche(atelier.demarche) if whole else build(atelier)
    try:
        if fmt == "html":
            body = to_html.render(doc, illustrations=illustrations(doc)).encode("utf-8")
        else:
            body = exports.render(fmt, doc, illustrations(doc) if fmt == "pdf" else None)
    except PdfError as exc:
        raise click.ClickException(f"Le PDF n'a pas pu être produit : {exc}") from None
    extension = "zip" if fmt == "csv" else fmt
    path = output or Path(f"{file_stem(doc)[1]}.{extension}")
    try:
        path.write_bytes(body)
    except OSError as exc:
        raise click.ClickException(f"Impossible d'écrire {path} : {exc.strerror}") from None
    click.echo(f"{path} ({len(body) // 1024 + 1} ko, {doc['cover']['title'].lower()}, {version_label(doc)})")
@click.command("db-upgrade")
@click.argument("revision", default="head")
def db_upgrade_command(revision: str) -> None:
    """Bring the database schema to REVISION (the newest by default; the server does it at start)."""
    from . import schema

    schema.upgrade(db.engine, revision)
    with db.engine.connect() as connection:
        click.echo(f"Schéma à la révision {schema.current_revision(connection)}.")


@click.command("db-revision")
@click.argument("message")
def db_revision_command(message: str) -> None:
    """Write a migration for what the models changed since the newest revision (review it, then commit it)."""
    import tempfile

    from alembic import command
    from sqlalchemy import create_engine

    from . import schema

    with tempfile.TemporaryDirectory() as folder:
        # Compared with a scratch database the migrations alone built (create_all would hide the change).
        engine = create_engine(f"sqlite:///{folder}/scratch.sqlite3")
        with engine.begin() as connection:
            command.upgrade(schema.alembic_config(connection), "head")
            command.revision(schema.alembic_config(connection), message=message, autogenerate=True,
                             rev_id=f"{len(list(schema.scripts().walk_revisions())) + 1:04d}")
        engine.dispose()
    click.echo("Relisez la migration, puis portez son numéro dans fabrique/schema.py (NEWEST_REVISION).")


@click.command("purge")
@click.option("--atelier", "atelier_id", type=int, help="L'atelier (numéro affiché par `flask ateliers`).")
@click.option("--demarche", "demarche_id", type=int, help="Tous les ateliers d'une démarche.")
@click.option("--expired", is_flag=True, help="Tous les ateliers dont la dernière séance date de plus de RETENTION_DAYS jours.")
@click.option("--keep-synthesis", is_flag=True, help="Garder ce que publie la synthèse, sans aucun nom.")
@click.option("--dry-run", is_flag=True, help="Lister ce qui serait supprimé, sans rien supprimer.")
def purge_command(atelier_id, demarche_id, expired, keep_synthesis, dry_run) -> None:
    """Delete the personal data of one atelier, one démarche, or every atelier past retention."""
    from .actions import retention
    from .models import Atelier, Demarche

    if [atelier_id is not None, demarche_id is not None, expired].count(True) != 1:
        raise click.UsageError("Choisissez une cible : --atelier N, --demarche N ou --expired.")
    if expired:
        ateliers = retention.expired(current_app.config["RETENTION_DAYS"])
    elif atelier_id is not None:
        ateliers = [a for a in [db.session.get(Atelier, atelier_id)] if a is not None]
        if not ateliers:
            raise click.ClickException(f"Atelier {atelier_id} introuvable.")
    else:
        demarche = db.session.get(Demarche, demarche_id)
        if demarche is None:
            raise click.ClickException(f"Démarche {demarche_id} introuvable.")
        ateliers = list(demarche.ateliers)
    what = "anonymisé (synthèse gardée)" if keep_synthesis else "supprimé"
    for item in retention.describe(ateliers):
        click.echo(f"{item.atelier_id:>4}  {item.name}  —  dernière séance {item.last_session.isoformat()}, "
                   f"{plural(item.participants, 'participant', 'participants')} : {'serait ' if dry_run else ''}{what}")
    if dry_run:
        click.echo(f"{plural(len(ateliers), 'atelier concerné', 'ateliers concernés')} ; rien n'a été supprimé (--dry-run).")
        return
    done = retention.purge([a.id for a in ateliers], keep_synthesis)
    click.echo(f"{plural(done, 'atelier purgé', 'ateliers purgés')}.")


@click.command("backup")
@click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(destination: Path | None) -> None:
    """Copy the database to DESTINATION (default: instance/backups/), safely while the server runs."""
    from .backup import backup

    url = db.engine.url
    if destination is None:
        from datetime import datetime

        suffix = "sqlite3" if url.get_backend_name() == "sqlite" else "dump"
        destination = Path(current_app.instance_path) / "backups" / f"fabrique-{datetime.now():%Y%m%d-%H%M%S}.{suffix}"
    try:
        backup(db.engine, destination)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Sauvegarde écrite : {destination}")


def init_app(app) -> None:
    """Register the commands."""
    for command in (check_command, create_atelier_command, list_ateliers_command, export_command, db_upgrade_command,
                    db_revision_command, purge_command, backup_command):
        app.cli.add_command(command)
