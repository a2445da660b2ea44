"""How a live screen's page is rendered: the shell, and the boot data its script starts from."""

from __future__ import annotations

from flask import current_app, render_template, request, session
from flask_babel import get_locale
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .. import catalog
from ..i18n import speaking
from ..state import participant_state, template_payload
from .spliced import Piece, kept_pieces, spliced_page


def phone_page(atelier, me):
    """Render the phone app of participant `me` (their `id`, `atelier_id` and `language`)."""
    with speaking(me.language):
        return live_page("participant", atelier, {"code": atelier.join_code}, participant_state(me))


# Where the boot data goes in a live screen's shell, rendered once and kept.
_BOOT_SLOT = "\x00boot\x00"


def live_page(page: str, atelier, auth: dict, state: dict):
    """Render a live screen with what its script starts from: who to connect as, the template, a snapshot.

    Every phone of a room loads this page at once, and all of it but the snapshot is the same for
    a screen, an atelier name, a language and an address: that shell is rendered once and kept,
    and for a browser that takes gzip it and the template's data are compressed once (`spliced`).
    """
    template_piece = _template_piece(catalog().templates[atelier.template_id])
    # What `tojson` would write (keys sorted), the template's part serialised once per template.
    boot = f'{{"auth": {_json({"role": page, **auth})}, "role": {_json(page)}, "state": {_json(state)}, "template": '
    if session.get("_flashes"):  # a message for this browser alone: rendered for it, never kept
        return render_template("live.html", page=page, atelier=atelier, boot=Markup(boot + template_piece.text + "}"))
    key = (page, atelier.id, atelier.name, str(get_locale()), request.full_path)
    shell = kept_pieces("fabrique.live_shells", key, slot=_BOOT_SLOT, render=lambda: render_template(
        "live.html", page=page, atelier=atelier, boot=Markup(_BOOT_SLOT + "}")))  # the `}` that ends the boot data
    return spliced_page(shell, (boot, template_piece))


def _template_piece(template) -> Piece:
    """Return the template's part of the boot data (most of it: personas, themes, paradoxes, the
    same for every screen of the catalog), serialised and deflated once per template."""
    cache = current_app.extensions.setdefault("fabrique.template_json", {})
    found = cache.get(template.id)
    if found is None:
        found = cache[template.id] = Piece(str(_json(template_payload(template))))
    return found


def _json(value) -> Markup:
    return htmlsafe_json_dumps(value, dumps=current_app.json.dumps)
