"""How a live screen's page is rendered: the shell, and the boot data its script starts from."""

from __future__ import annotations

from flask import current_app, make_response, render_template, request
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .. import catalog
from ..i18n import speaking
from ..state import participant_state, template_payload
from .spliced import Piece, gzip_around


def phone_page(atelier, me):
    """Render the phone app of participant `me` (their `id`, `atelier_id` and `language`)."""
    with speaking(me.language):
        return live_page("participant", atelier, {"code": atelier.join_code}, participant_state(me))


def live_page(page: str, atelier, auth: dict, state: dict):
    """Render a live screen with what its script starts from: who to connect as, the template, a snapshot.

    Gzip-compressed around the template's data, which is compressed once (`spliced`), for a
    browser that takes gzip: every phone of a room loads this page at once.
    """
    template = catalog().templates[atelier.template_id]
    html = render_template("live.html", page=page, atelier=atelier, boot=boot_json(page, {"role": page, **auth}, template, state))
    body = gzip_around(html, _template_json(template)[1]) if request.accept_encodings.quality("gzip") else None
    if body is None:
        return html  # compressed as any page, if the browser takes it
    response = make_response(body)
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def boot_json(page: str, auth: dict, template, state: dict) -> Markup:
    """Return what a live screen's script starts from as HTML-safe JSON, as `tojson` writes it (keys sorted).

    The template's part is most of it (personas, themes, paradoxes) and the same for every
    screen of the app's catalog: it is serialised once, not again for each phone that joins.
    """
    template_json = _template_json(template)[0]
    return Markup(f'{{"auth": {_json(auth)}, "role": {_json(page)}, "state": {_json(state)}, "template": {template_json}}}')


def _template_json(template) -> tuple[Markup, Piece]:
    """Return the template's part of the boot data, serialised and deflated once per template."""
    cache = current_app.extensions.setdefault("fabrique.template_json", {})
    found = cache.get(template.id)
    if found is None:
        text = _json(template_payload(template))
        found = cache[template.id] = (text, Piece(str(text)))
    return found


def _json(value) -> Markup:
    return htmlsafe_json_dumps(value, dumps=current_app.json.dumps)
