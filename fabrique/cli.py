"""Flask commands: `flask --app fabrique check | create-atelier | ateliers | export`."""

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
@click.option("--demarche", "demarche", default=None, help="Nom de la démarche à laquelle rattacher l'atelier (créée au besoin).")
@click.option("--audience", default=None, help="Public de l'atelier (élus, CODEV…).")
def create_atelier_command(template_id, name, format_id, demarche, audience) -> None:
    """Create an atelier and print its links."""
    from .actions import Refused
    from .actions.ateliers import create_atelier, demarche_named
    from .serving import print_welcome

    try:
        demarche_id = demarche_named(demarche, template_id)
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


def init_app(app) -> None:
    """Register the commands."""
    for command in (check_command, create_atelier_command, list_ateliers_command, export_command):
        app.cli.add_command(command)
