"""Flask commands: `flask --app fabrique check | create-atelier | ateliers`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from .catalog import load_catalog
from .extensions import db


@click.command("check")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check_command(folders: tuple[Path, ...]) -> None:
    """Check every template and persona file; print one line per problem."""
    sessions_dir = folders[0] if folders else Path(current_app.config["SESSIONS_DIR"])
    personas_dir = folders[1] if len(folders) > 1 else Path(current_app.config["PERSONAS_DIR"])
    result = load_catalog(sessions_dir, personas_dir)
    for error in result.errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(result.templates)} modèle(s), {len(result.personas)} persona(s), {len(result.replays)} rejeu(x) valides ; "
               f"{len(result.errors)} problème(s).")
    if result.errors:
        raise SystemExit(1)


@click.command("create-atelier")
@click.option("--template", "template_id", default="la-fabrique-amp-2017", show_default=True, help="Identifiant du modèle (nom du fichier dans sessions/).")
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


def init_app(app) -> None:
    """Register the commands."""
    for command in (check_command, create_atelier_command, list_ateliers_command):
        app.cli.add_command(command)
