"""What a phone gets along its way in (join page, phone page, connection, snapshot), as cheap
as a room joining at once needs and exactly what it was: the same data, the same checks."""

import re

import brotli
from flask import json
from jinja2.utils import htmlsafe_json_dumps
from sqlalchemy import text

from fabrique import catalog
from fabrique.extensions import db, socketio
from fabrique.sockets import PARTICIPANT_COOKIE
from fabrique.state import participant_state, template_payload
from tests.factories import Phone, new_atelier

BOOT = re.compile(r'<script type="application/json" id="boot">(.*?)</script>', re.S)


def test_the_phone_page_boots_from_the_template_and_the_snapshot_written_as_tojson_writes_them(app):
    atelier = new_atelier()
    phone = Phone(app, atelier, "Léa")
    html = phone.http.get(f"/participant/{atelier.join_code}").get_data(as_text=True)
    written = BOOT.search(html).group(1)
    boot = json.loads(written)
    template = catalog().templates[atelier.template_id]
    assert boot["role"] == "participant" and boot["auth"] == {"role": "participant", "code": atelier.join_code}
    assert boot["template"] == template_payload(template)
    assert boot["state"]["me"]["pseudonym"] == "Léa" and boot["state"]["atelier"]["name"] == atelier.name
    # Byte for byte what `tojson` would have written, so the hostile atelier name stays escaped in the page.
    expected = {**boot, "template": template_payload(template)}
    assert written == htmlsafe_json_dumps(expected, dumps=app.json.dumps)
    assert "<script>alert" not in written and "\\u003cscript\\u003e" in written


def test_the_snapshot_on_connect_is_the_participant_state(app):
    from fabrique.models import Participant

    atelier = new_atelier()
    phone = Phone(app, atelier, "Léa")
    state = phone.sync()
    assert state == {**participant_state(db.session.get(Participant, phone.id)), "stage": state["stage"]}
    assert state["me"]["pseudonym"] == "Léa" and state["me"]["rejoin_code"]


def test_a_phone_connects_only_with_the_cookie_of_that_atelier(app):
    first, second = new_atelier(), new_atelier()
    phone = Phone(app, first, "Léa")
    token = phone.http.get_cookie(PARTICIPANT_COOKIE.format(first.id)).value
    # The same token under the other atelier's cookie name names nobody there.
    other = app.test_client()
    other.set_cookie(PARTICIPANT_COOKIE.format(second.id), token)
    assert not socketio.test_client(app, flask_test_client=other, auth={"role": "participant", "code": second.join_code}).is_connected()
    assert not socketio.test_client(app, flask_test_client=other, auth={"role": "participant", "code": "NOPE"}).is_connected()
    stranger = app.test_client()
    stranger.set_cookie(PARTICIPANT_COOKIE.format(first.id), "x" * 40)
    assert not socketio.test_client(app, flask_test_client=stranger, auth={"role": "participant", "code": first.join_code}).is_connected()


def test_the_join_page_shows_what_the_database_says_even_when_another_process_changed_it(app, client):
    atelier = new_atelier()
    code, atelier_id = atelier.join_code, atelier.id
    assert "Atelier " in client.get(f"/j/{code}").get_data(as_text=True)
    # Another process (or `flask purge`) writes behind this one's back: the seq tells.
    db.session.execute(text("UPDATE atelier SET name = 'Renommé ailleurs', seq = seq + 1 WHERE id = :id"), {"id": atelier_id})
    db.session.commit()
    assert "Renommé ailleurs" in client.get(f"/j/{code}").get_data(as_text=True)
    db.session.execute(text("DELETE FROM atelier WHERE id = :id"), {"id": atelier_id})
    db.session.commit()
    gone = client.get(f"/j/{code}")
    assert gone.status_code == 302 and gone.location.endswith("/j")


def test_static_files_are_sent_compressed_once_and_revalidate(app, client):
    from fabrique.views.assets import asset

    with app.test_request_context():
        url = asset("js/live.js")
    raw = (app.static_folder + "/js/live.js")
    with open(raw, "rb") as f:
        body = f.read()
    first = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert first.headers["Content-Encoding"] == "br" and "Accept-Encoding" in first.headers["Vary"]
    assert brotli.decompress(first.get_data()) == body
    assert len(first.get_data()) <= len(brotli.compress(body, quality=4))
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get(url)
    assert "Content-Encoding" not in plain.headers and plain.get_data() == body
    assert client.get(url, headers={"Accept-Encoding": "gzip"}).headers["Content-Encoding"] == "gzip"
