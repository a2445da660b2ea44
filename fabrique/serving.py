"""Run the server: check the settings and the catalog, make sure an atelier exists, print its links."""

from __future__ import annotations

import io
import sys

import qrcode

from . import catalog, collector, create_app
from .config import ConfigError
from .extensions import socketio


def terminal_qr(url: str) -> str:
    """Return a QR code of `url` drawn with block characters, for a terminal."""
    code = qrcode.QRCode(border=2)
    code.add_data(url)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def links(app, atelier) -> dict[str, str]:
    """Return the public, facilitator and projector links of an atelier."""
    base = app.config["PUBLIC_URL"]
    return {
        "join": f"{base}/j/{atelier.join_code}",
        "facilitate": f"{base}/facilitate/{atelier.facilitator_token}",
        "screen": f"{base}/screen/{atelier.screen_token}",
        "review": f"{base}/synthese/{atelier.review_token}",
    }


def print_welcome(app, atelier, out=sys.stdout) -> None:
    """Print what the facilitator needs to start: the links, the code and the join QR code."""
    urls = links(app, atelier)
    print(f"\nFabrique est prête — atelier « {atelier.name} » (code {atelier.join_code})\n", file=out)
    print(f"  Animation (lien secret, à garder pour vous) : {urls['facilitate']}", file=out)
    print(f"  Écran / projecteur                          : {urls['screen']}", file=out)
    print(f"  Participants (QR ci-dessous)                : {urls['join']}\n", file=out)
    print(terminal_qr(urls["join"]), file=out)


def print_demo(app, atelier, out=sys.stdout) -> None:
    """Print the link to the demonstration synthesis (the published 2017 results)."""
    print(f"  Synthèse de démonstration (résultats 2017) : {app.config['PUBLIC_URL']}/synthese/{atelier.review_token}\n", file=out)


def main(argv: list[str], run=None) -> int:
    """Start the server on HOST:PORT; return an exit code on a configuration error.

    `run(app, host, port)` serves the app in gevent or eventlet mode: the entry point passes it,
    being the one place that imports those libraries. Threading mode runs Werkzeug's server.
    """
    try:
        app = create_app()
    except ConfigError as exc:
        print(f"Configuration invalide : {exc}", file=sys.stderr)
        return 2

    from .actions.ateliers import ensure_default_atelier
    from .actions.replay import ensure_demo_atelier

    with app.app_context():
        for error in catalog().errors:
            print(f"Fichier ignoré — {error}", file=sys.stderr)
        preferred = app.config.get("DEFAULT_TEMPLATE")
        template = catalog().default_template(preferred)
        if template is None:
            print(f"Aucun modèle valide dans {app.config['SESSIONS_DIR']} : voir les erreurs ci-dessus.", file=sys.stderr)
            return 2
        if preferred and template.id != preferred:
            print(f"FABRIQUE_DEFAULT_TEMPLATE : le modèle « {preferred} » est absent ou invalide ; "
                  f"modèle par défaut : « {template.id} ».", file=sys.stderr)
        demo = ensure_demo_atelier()
        if app.config.get("START_ATELIER", True):
            print_welcome(app, ensure_default_atelier(template.id))
        else:
            print(f"\nFabrique est prête : {app.config['PUBLIC_URL']}/ (aucun atelier créé au démarrage)\n")
        if demo is not None:
            print_demo(app, demo)

    collector.install(socketio.start_background_task, socketio.sleep)
    if app.config["ASYNC_MODE"] != "threading":
        if run is None:
            print(f"ASYNC_MODE={app.config['ASYNC_MODE']} : démarrez le serveur par serve.py.", file=sys.stderr)
            return 2
        run(app, app.config["HOST"], app.config["PORT"])
    else:  # threading mode is for small rooms and tests
        socketio.run(app, host=app.config["HOST"], port=app.config["PORT"], allow_unsafe_werkzeug=True)
    return 0
