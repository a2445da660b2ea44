"""What a hostile site or a curious browser meets: CSRF tokens on every form, security headers on
every page, no inline script, redirects that stay on this site."""

import html
import re

import pytest
from flask import g
from sqlalchemy import func, select

from fabrique.actions.ateliers import new_demarche
from fabrique.extensions import db
from fabrique.models import Atelier, Demarche, Participant, ReviewComment
from tests.factories import new_atelier


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def token_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_every_form_is_refused_without_its_token_and_accepted_with_it(csrf_app):
    atelier = new_atelier()
    victim, attacker = csrf_app.test_client(), csrf_app.test_client()
    # The attacker joins, then a page on another site posts their rejoin code from the victim's browser.
    attacker.post(f"/j/{atelier.join_code}", data={"pseudonym": "Mallory", "csrf_token": token_of(fresh(attacker, f"/j/{atelier.join_code}"))})
    mallory = db.session.scalar(select(Participant).where(Participant.pseudonym == "Mallory"))
    assert mallory is not None
    forged = {
        f"/j/{atelier.join_code}/retour": {"rejoin_code": mallory.rejoin_code},
        f"/j/{atelier.join_code}": {"pseudonym": "Forcé"},
        "/ateliers": {"name": "Atelier forcé", "template": "la-fabrique-amp-2017"},
        "/j": {"code": atelier.join_code},
        f"/synthese/{atelier.review_token}/avis": {"op_id": "x", "reviewer": "Forcé", "opinion": "favorable"},
    }
    for url, data in forged.items():
        response = victim.post(url, data=data, headers={"Origin": "https://evil.test"})
        assert response.status_code == 400, url
        assert "vient d'un autre site" in html.unescape(response.get_data(as_text=True))
        # A token from another browser's session does not pass either.
        assert victim.post(url, data={**data, "csrf_token": token_of(fresh(attacker, "/"))}).status_code == 400, url
    assert victim.get_cookie(f"fabrique_{atelier.id}") is None  # the victim's phone did not become Mallory
    assert db.session.scalar(select(func.count()).select_from(Participant)) == 1
    assert db.session.scalar(select(func.count()).select_from(Atelier)) == 1
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0

    # The same forms, sent from their own pages, work.
    assert victim.post("/j", data={"code": atelier.join_code, "csrf_token": token_of(fresh(victim, "/j"))}).status_code == 302
    joined = victim.post(f"/j/{atelier.join_code}", data={"pseudonym": "Victime", "csrf_token": token_of(fresh(victim, f"/j/{atelier.join_code}"))})
    assert joined.status_code == 200 and victim.get_cookie(f"fabrique_{atelier.id}") is not None
    created = victim.post("/ateliers", data={"name": "Le mien", "template": "la-fabrique-amp-2017", "csrf_token": token_of(fresh(victim, "/"))})
    assert created.status_code == 302 and "/facilitate/" in created.location
    review_page = fresh(victim, f"/synthese/{atelier.review_token}")
    op_id = re.search(r'name="op_id" value="([^"]+)"', review_page.get_data(as_text=True)).group(1)
    review = victim.post(f"/synthese/{atelier.review_token}/avis", data={
        "op_id": op_id, "reviewer": "Relectrice", "opinion": "favorable", "csrf_token": token_of(review_page)})
    assert review.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 1


def fresh(client, url):
    """GET `url` as a browser arriving on the page (with no token left from another request).

    The tests hold one app context for their whole run, and Flask-WTF keeps the token it made for
    a request in that context's `g`: forgotten here, so each browser gets its own session's.
    """
    g.pop("csrf_token", None)
    return client.get(url)


def _pages(app, client):
    """Return every page as (url, whether its address is a secret, a client that may see it)."""
    atelier = new_atelier()
    newcomer = app.test_client()
    client.post(f"/j/{atelier.join_code}", data={"pseudonym": "Léa"})
    demarche = new_demarche("Démarche secrète", atelier.template_id)
    return [
        ("/", False, newcomer), ("/j", False, newcomer), (f"/j/{atelier.join_code}", False, newcomer),
        (f"/?demarche={db.session.get(Demarche, demarche).token}", True, newcomer),
        (f"/participant/{atelier.join_code}", True, client), (f"/screen/{atelier.screen_token}", True, client),
        (f"/facilitate/{atelier.facilitator_token}", True, client), (f"/synthese/{atelier.review_token}", True, client),
    ]


def test_every_page_sends_the_security_headers(app, client):
    for url, secret, browser in _pages(app, client):
        response = browser.get(url)
        assert response.status_code == 200, url
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, url
        script_src = re.search(r"script-src ([^;]*)", policy)
        assert script_src is None or "unsafe-inline" not in script_src.group(1), url  # none: default-src applies
        assert "unsafe-inline" not in re.search(r"default-src ([^;]*)", policy).group(1), url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "no-referrer", url
        if secret:
            assert "no-store" in headers["Cache-Control"], url


def test_no_page_carries_inline_script(app, client):
    for url, _secret, browser in _pages(app, client):
        page = browser.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert 'src="' in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"<[^>]+\son[a-z]+=", page), url  # no inline event handlers either


def test_https_responses_alone_ask_browsers_to_keep_to_https(app, client):
    """The headers are written out once per view and scheme: the same page over HTTP, then HTTPS, then HTTP."""
    for base, hsts in (("http://localhost", False), ("https://localhost", True), ("http://localhost", False)):
        headers = client.get("/", base_url=base).headers
        assert ("Strict-Transport-Security" in headers) is hsts, base
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_projector_may_be_framed_only_where_the_venue_says(app, client):
    atelier = new_atelier()
    app.config["SCREEN_FRAME_ANCESTORS"] = "https://regie.example"
    from fabrique import security

    assert "frame-ancestors 'none'" in client.get(f"/screen/{atelier.screen_token}").headers["Content-Security-Policy"]
    security.configure_screen(app)
    try:
        policy = client.get(f"/screen/{atelier.screen_token}").headers["Content-Security-Policy"]
        assert "frame-ancestors https://regie.example" in policy
        assert "frame-ancestors 'none'" in client.get(f"/facilitate/{atelier.facilitator_token}").headers["Content-Security-Policy"]
    finally:
        app.config["SCREEN_FRAME_ANCESTORS"] = None
        security.configure_screen(app)


@pytest.mark.parametrize("target", [
    "/%09/evil.test/x", "//evil.test", "/\\evil.test", "https://evil.test", "/%0a/evil.test", "/\t/evil.test", "javascript:alert(1)",
])
def test_the_language_switch_redirects_only_to_this_site(client, target):
    from urllib.parse import quote

    for next_value in (target, quote(target, safe="")):
        response = client.get(f"/langue/en?next={next_value}")
        assert response.status_code == 302
        assert response.location in ("/", "http://localhost/"), response.location


def test_the_language_switch_goes_back_to_the_page(client):
    assert client.get("/langue/en?next=/j%3Fx%3D1").location.endswith("/j?x=1")


def test_a_review_without_action_id_is_not_said_to_be_recorded(client):
    atelier = new_atelier()
    response = client.post(f"/synthese/{atelier.review_token}/avis", data={"reviewer": "Ana", "opinion": "favorable"},
                           follow_redirects=True)
    text = html.unescape(response.get_data(as_text=True))
    assert "vient déjà d'être enregistrée" not in text and "Merci" not in text
    assert "Identifiant d'action manquant." in text
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0


def test_the_session_signer_is_made_once_per_key_and_a_new_key_is_followed(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    signed = first.dumps({"csrf_token": "abc"})
    old_key = app.secret_key
    app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = "une autre clé", [old_key]
    try:
        rotated = interface.get_signing_serializer(app)
        assert rotated is not first
        assert rotated.loads(signed) == {"csrf_token": "abc"}  # a cookie signed with the old key still opens
        app.secret_key = ""
        assert interface.get_signing_serializer(app) is None  # as Flask: no key, no session
    finally:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = old_key, []


def test_cookies_and_tokens_are_signed_without_zlib_and_old_compressed_cookies_still_open(csrf_app):
    from flask.sessions import SecureCookieSessionInterface
    from flask_wtf.csrf import validate_csrf

    atelier = new_atelier()
    phone = csrf_app.test_client()
    token = token_of(fresh(phone, f"/j/{atelier.join_code}"))
    cookie = phone.get_cookie("session").value
    assert not cookie.startswith(".") and not token.startswith(".")  # a leading dot says zlib
    # A cookie Flask's own signer wrote, compressed (as before this signer), still opens the session.
    stock = SecureCookieSessionInterface().get_signing_serializer(csrf_app)
    ours = csrf_app.session_interface.get_signing_serializer(csrf_app)
    opened = ours.loads(cookie)
    bulky = dict(opened, padding="a" * 400)
    compressed = stock.dumps(bulky)
    assert compressed.startswith(".")
    assert ours.loads(compressed) == bulky
    assert not ours.dumps(bulky).startswith(".") and stock.loads(ours.dumps(bulky)) == bulky
    # The token checks against the session with Flask-WTF's own validation, and the join goes through.
    with csrf_app.test_request_context():
        from flask import session
        session["csrf_token"] = opened["csrf_token"]
        validate_csrf(token)
    g.pop("csrf_token", None)
    joined = phone.post(f"/j/{atelier.join_code}", data={"pseudonym": "Zoé", "csrf_token": token})
    assert joined.status_code == 200 and '"role": "participant"' in joined.get_data(as_text=True)
    assert db.session.scalar(select(Participant).where(Participant.pseudonym == "Zoé")) is not None
