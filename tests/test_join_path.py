"""What a phone gets along its way in (join page, phone page, connection, snapshot), as cheap
as a room joining at once needs and exactly what it was: the same data, the same checks."""

import re

import brotli
from flask import g, json
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


def test_a_first_sync_naming_the_seq_its_page_brought_is_told_it_is_current_while_nothing_changed(app):
    from tests.factories import Console

    atelier = new_atelier()
    phone = Phone(app, atelier, "Léa")
    brought = json.loads(BOOT.search(phone.http.get(f"/participant/{atelier.join_code}").get_data(as_text=True)).group(1))["state"]
    untimed_stage = lambda state: {**state, "stage": {**state["stage"], "server_time": 0}}  # noqa: E731
    # What the page brought is the snapshot itself: that is what makes "current" true.
    assert untimed_stage(brought) == untimed_stage(phone.sync())
    answer = phone.sio.emit("sync", {"seq": brought["seq"]}, callback=True)
    assert answer["ok"] and answer["current"] and "state" not in answer and answer["server_time"] > 0
    # Once anything was committed (here another phone joining), the same question gets the whole state.
    Phone(app, atelier, "Sam")
    answer = phone.sio.emit("sync", {"seq": brought["seq"]}, callback=True)
    assert answer["ok"] and "current" not in answer and answer["state"]["seq"] > brought["seq"]
    assert answer["state"]["me"]["pseudonym"] == "Léa"
    # Anything but a whole number, and any other screen, gets the whole state as before.
    for asked in ({"seq": str(answer["state"]["seq"])}, {"seq": True}, {"seq": None}, [answer["state"]["seq"]], "x", {}):
        refused_or_full = phone.sio.emit("sync", asked, callback=True)
        assert refused_or_full["ok"] and refused_or_full["state"]["seq"] == answer["state"]["seq"], (asked, refused_or_full)
    projector = Console(app, atelier, role="screen")
    seq = projector.sync()["seq"]
    assert "themes" in projector.sio.emit("sync", {"seq": seq}, callback=True)["state"]


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


def test_the_phone_page_in_gzip_is_the_page_itself_and_its_constant_parts_are_compressed_once(app):
    import gzip

    from fabrique.views import spliced

    atelier = new_atelier()
    phone = Phone(app, atelier, "Léa")
    page = f"/participant/{atelier.join_code}"
    plain = phone.http.get(page)
    assert "Content-Encoding" not in plain.headers
    calls = []
    original = spliced.Piece.__init__
    spliced.Piece.__init__ = lambda self, text: (calls.append(len(text)), original(self, text))[1]
    try:
        app.extensions.pop("fabrique.template_json", None)  # as in a fresh process
        app.extensions.pop("fabrique.live_shells", None)
        answers = [phone.http.get(page, headers={"Accept-Encoding": "gzip, deflate, br"}) for _ in range(3)]
    finally:
        spliced.Piece.__init__ = original
    for answer in answers:
        assert answer.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in answer.headers["Vary"]
        # One valid member, the page byte for byte (but the clock it tells the phone).
        assert untimed(gzip.decompress(answer.get_data())) == untimed(plain.get_data())
        assert answer.headers["Cache-Control"] == "no-store"
    # The template's data, and the page before and after the boot data, each rendered and deflated once for the three.
    assert len(calls) == 3 and calls[0] > 20_000
    # Compressed apart, the pieces take no more than a tenth more than the whole page compressed at once.
    assert len(answers[0].get_data()) <= 1.1 * len(gzip.compress(plain.get_data()))
    # A browser that takes only brotli still gets it, compressed as any page.
    only_br = phone.http.get(page, headers={"Accept-Encoding": "br"})
    assert only_br.headers["Content-Encoding"] == "br" and untimed(brotli.decompress(only_br.get_data())) == untimed(plain.get_data())


def untimed(page: bytes) -> bytes:
    return re.sub(rb'"server_time": \d+', b'"server_time": 0', page)


def test_pieces_compressed_apart_make_one_gzip_member_for_any_text():
    import gzip

    from fabrique.views.spliced import Piece, gzip_pieces

    piece = Piece('{"template": "Vivre ensemble — « ici »"}' * 500)
    for parts in ((piece,), ("", piece, ""), ("<p>é</p>", piece), (piece, Piece("</html>")), ("x" * 70_000, piece, "ü" * 3),
                  (Piece("avant"), "jeton", piece, "jeton", Piece("")), (),
                  ("a" * 255, piece, "b" * 256, "é" * 128)):  # either side of where a short text goes stored
        page = "".join(part.text if isinstance(part, Piece) else part for part in parts)
        assert gzip.decompress(gzip_pieces(*parts)) == page.encode()


def test_a_live_page_kept_for_one_screen_is_what_a_fresh_render_shows(app):
    atelier = new_atelier()
    phones = [Phone(app, atelier, "Léa"), Phone(app, atelier, "Sam", language="en")]

    def kept_and_fresh(http, path):
        g.pop("language", None)
        kept = untimed(http.get(path).get_data())
        app.extensions.pop("fabrique.live_shells", None)
        return kept, untimed(http.get(path).get_data())

    page = f"/participant/{atelier.join_code}"
    for phone, written, language in zip(phones, (b'"L\\u00e9a"', b'"Sam"'), (b"fr", b"en")):  # each its own snapshot and language
        kept, fresh = kept_and_fresh(phone.http, page)
        assert kept == fresh and b'"pseudonym": ' + written in kept and b'<html lang="' + language + b'">' in kept
    screen = f"/screen/{atelier.screen_token}"
    kept, fresh = kept_and_fresh(app.test_client(), screen)
    assert kept == fresh and b'"role": "screen"' in kept
    # What changes the shell changes what is kept: the name, the address.
    db.session.execute(text("UPDATE atelier SET name = 'Atelier des gares', seq = seq + 1 WHERE id = :id"), {"id": atelier.id})
    db.session.commit()
    assert b"Atelier des gares" in phones[0].http.get(page).get_data()
    assert b"source%3Daffiche" in phones[0].http.get(page + "?source=affiche").get_data()
    # A message flashed to one browser is shown to it once, and kept for nobody else.
    with phones[0].http.session_transaction() as browser_session:
        browser_session["_flashes"] = [("error", "Un message pour ce seul navigateur")]
    assert b"Un message pour ce seul navigateur" in phones[0].http.get(page).get_data()
    assert b"Un message pour ce seul navigateur" not in phones[0].http.get(page).get_data() + phones[1].http.get(page).get_data()


def test_the_join_form_kept_between_phones_is_what_a_fresh_render_shows(app):
    from flask_babel import refresh

    from tests.factories import Console

    app.config["WTF_CSRF_ENABLED"] = True
    atelier = new_atelier()
    code = atelier.join_code
    token = re.compile(r'name="csrf_token" value="([^"]+)"')

    def get(client, path=f"/j/{code}", **headers):
        # The tests' one app context would hand every browser the same token and language (tests/test_security.py).
        g.pop("csrf_token", None)
        refresh()
        return client.get(path, headers=headers).get_data(as_text=True)

    def kept_and_fresh(client, path=f"/j/{code}", **headers):
        kept = get(client, path, **headers)
        app.extensions.pop("fabrique.join_pages", None)
        return kept, get(client, path, **headers)

    first, second = app.test_client(), app.test_client()
    get(first)  # rendered for the first phone, kept
    kept, fresh = kept_and_fresh(second)
    assert token.sub("", kept) == token.sub("", fresh)
    # Each browser has its own token, and it is the one its session accepts.
    tokens = [token.search(get(client)).group(1) for client in (first, second)]
    assert tokens[0] != tokens[1]
    assert first.post(f"/j/{code}", data={"pseudonym": "Ana", "csrf_token": tokens[1]}).status_code == 400
    assert second.post(f"/j/{code}", data={"pseudonym": "Léa", "csrf_token": tokens[1]}).status_code == 200

    # What changes the page changes what is kept: the language, the address, the persona choice, the name.
    in_english = app.test_client()
    in_english.set_cookie("fabrique_langue", "en")
    english = kept_and_fresh(in_english)
    assert '<html lang="en">' in english[0] and token.sub("", english[0]) == token.sub("", english[1])
    get(app.test_client())  # the page as most phones see it, kept: the next ones must not be served it
    query = kept_and_fresh(app.test_client(), f"/j/{code}?source=affiche")
    assert "source%3Daffiche" in query[0] and token.sub("", query[0]) == token.sub("", query[1])
    get(app.test_client())
    console = Console(app, atelier)
    assert console.act("settings_update", settings={"persona_assignment": "choice"})["ok"]
    choice = kept_and_fresh(app.test_client())
    assert 'name="persona"' in choice[0] and token.sub("", choice[0]) == token.sub("", choice[1])
    db.session.execute(text("UPDATE atelier SET name = 'Atelier des gares', seq = seq + 1 WHERE id = :id"), {"id": atelier.id})
    db.session.commit()
    assert "Atelier des gares" in get(app.test_client())

    # A message flashed to one browser is shown to it once, and kept for nobody else.
    told = app.test_client()
    with told.session_transaction() as browser_session:
        browser_session["_flashes"] = [("error", "Un message pour ce seul navigateur")]
    assert "Un message pour ce seul navigateur" in get(told)
    assert "Un message pour ce seul navigateur" not in get(told) + get(app.test_client())


def test_the_join_form_in_gzip_is_the_form_itself_its_constant_parts_compressed_once(app):
    import gzip

    from fabrique.views import spliced

    app.config["WTF_CSRF_ENABLED"] = True
    atelier = new_atelier()
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    phone = app.test_client()
    g.pop("csrf_token", None)
    plain = phone.get(f"/j/{atelier.join_code}").get_data(as_text=True)
    calls = []
    original = spliced.Piece.__init__
    spliced.Piece.__init__ = lambda self, text: (calls.append(len(text)), original(self, text))[1]
    try:
        answers = [phone.get(f"/j/{atelier.join_code}", headers={"Accept-Encoding": "gzip, deflate, br"}) for _ in range(3)]
    finally:
        spliced.Piece.__init__ = original
    assert calls == []  # rendered and compressed for the first phone, kept for the next ones
    for answer in answers:
        assert answer.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in answer.headers["Vary"]
        page = gzip.decompress(answer.get_data()).decode()
        # The form byte for byte, its two forms (join, rejoin) carrying this browser's token.
        assert page == plain and len(token.findall(page)) == 2 and len(set(token.findall(page))) == 1
    joined = phone.post(f"/j/{atelier.join_code}", data={"pseudonym": "Léa", "csrf_token": token.search(page).group(1)})
    assert joined.status_code == 200


def test_a_socket_event_does_not_open_the_browser_session_that_a_page_does(app, monkeypatch):
    from fabrique.security import KeptSigningSessions

    atelier = new_atelier()
    phone = Phone(app, atelier, "Léa")
    with phone.http.session_transaction() as browser_session:
        browser_session["csrf_token"] = "jeton"  # as the join form leaves it
    phone.sio.disconnect()
    phone.sio.connect(auth={"role": "participant", "code": atelier.join_code})
    opened = []
    original = KeptSigningSessions.get_signing_serializer
    monkeypatch.setattr(KeptSigningSessions, "get_signing_serializer", lambda self, app_: opened.append(1) or original(self, app_))
    assert phone.sync()["me"]["pseudonym"] == "Léa"
    assert opened == []  # verifying and decoding the signed cookie: not for an event
    phone.http.get(f"/participant/{atelier.join_code}")
    assert opened  # a page still opens it
