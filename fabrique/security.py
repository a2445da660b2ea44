"""CSRF tokens on every form (Flask-WTF) and security headers on every page (Flask-Talisman).

Pages carry no inline script: what a page's script starts from travels in JSON script tags
(`boot`, `messages`), so the policy allows scripts from this site only. Styles may be inline
(the synthesis colours its themes with `style` attributes; a style cannot run code).

The Socket.IO handshake is not a Flask response: its cross-origin refusal is Flask-SocketIO's
`cors_allowed_origins` (same origin only), set in the app factory.
"""

from __future__ import annotations

import hashlib
import os
from types import SimpleNamespace

from flask import current_app, g, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFError, CSRFProtect
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.serializer import Serializer
from werkzeug.datastructures import Headers


class UncompressedSigner(URLSafeTimedSerializer):
    """itsdangerous' URL-safe timed serializer that never tries zlib on what it signs.

    What is signed here is a few dozen bytes (a session holding a CSRF token, the token itself):
    zlib never makes that shorter, and setting up a compressor to find out cost ~25 µs a
    signature, twice per page a phone loads. It still reads payloads that were compressed (their
    leading `.` says so), and what it writes any URLSafeTimedSerializer reads."""

    def dump_payload(self, obj) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, which checks the tokens signed here


def signed_csrf_token() -> str:
    """Flask-WTF's `generate_csrf`, with its signer kept per secret rather than made per call.

    The same token as Flask-WTF's (the raw one in the session, signed with its salt), so its
    `validate_csrf` checks every form; one signature per request, like `generate_csrf`."""
    if "csrf_token" not in g:
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        kept = current_app.extensions.setdefault("fabrique.csrf_signer", {})
        if secret not in kept:
            kept.clear()
            kept[secret] = UncompressedSigner(secret, salt=CSRF_SALT)
        if not isinstance(session.get("csrf_token"), str):
            session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()
        g.csrf_token = kept[secret].dumps(session["csrf_token"])
    return g.csrf_token


class KeptHeadersTalisman(Talisman):
    """Flask-Talisman, its headers written out once per app, view and scheme rather than for every
    response: they depend on nothing else here (no nonce), and parsing the policies again took
    ~40 µs a response — a whole room's phones load the join form and their page at once."""

    def _set_response_headers(self, response):
        # Strict-Transport-Security is sent over HTTPS only (directly, or through the proxy).
        secure = request.is_secure or request.headers.get("X-Forwarded-Proto", "http") == "https"
        kept = current_app.extensions.setdefault("fabrique.security_headers", {})
        key = (request.endpoint, secure)
        headers = kept.get(key)
        if headers is None:
            written = SimpleNamespace(headers=Headers())
            super()._set_response_headers(written)
            headers = kept[key] = list(written.headers.items())
        for name, value in headers:
            response.headers[name] = value
        return response


csrf = CSRFProtect()
talisman = KeptHeadersTalisman()

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self'",  # the Socket.IO connection (same origin, ws: and wss: included)
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Pages whose address is a secret (a console, a projector, a review link): never cached, never
# named to another site. Every page already sends no Referer (the policy below); these add no-store.
SECRET_ENDPOINTS = {"live.facilitate", "live.screen", "live.participant", "synthesis.page", "synthesis.download"}


def screen_policy(frame_ancestors: str) -> dict:
    """Return the projector page's policy: the venue may embed it where SCREEN_FRAME_ANCESTORS says."""
    return {**POLICY, "frame-ancestors": frame_ancestors}


def configure_screen(app) -> None:
    """Give the projector and the synthesis pages their own policies (read by Talisman per view)."""
    from .views.synthesis import PAGE_POLICY

    # A venue that shows the projector inside another page (a streaming overlay, a room display
    # system) names that page's origin in SCREEN_FRAME_ANCESTORS; by default no page may frame it.
    ancestors = app.config.get("SCREEN_FRAME_ANCESTORS") or "'none'"
    app.extensions.pop("fabrique.security_headers", None)  # written out again with the new policies
    for endpoint, options in {
        "live.screen": {"content_security_policy": screen_policy(ancestors),
                        "frame_options": "DENY" if ancestors == "'none'" else None},
        "synthesis.page": {"content_security_policy": PAGE_POLICY},  # stricter still: the page runs no script
    }.items():
        app.view_functions[endpoint].talisman_view_options = options


SOCKETIO_PATH = "/socket.io/"


class KeptSigningSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, their signing serializer made once per key rather than twice
    per request (opened, then saved): a room's phones all load their pages at once. Socket.IO
    events get an empty session."""

    def __init__(self):
        self._kept = (None, None)

    def open_session(self, app, request):
        # A Socket.IO event runs in a request context made from its connection's first request,
        # cookies included, and opening the session verified and decoded the signed cookie for
        # every event. No event reads the session (a connection knows who it is by its own
        # cookie): each gets an empty one.
        if request.path.rstrip("/") == SOCKETIO_PATH.rstrip("/"):
            return self.session_class()
        return super().open_session(app, request)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._kept[0] != keys:
            flasks = super().get_signing_serializer(app)
            self._kept = (keys, flasks and UncompressedSigner(
                flasks.secret_keys, salt=flasks.salt, serializer=flasks.serializer, signer_kwargs=flasks.signer_kwargs))
        return self._kept[1]


def init_app(app) -> None:
    """Protect every form against cross-site posts and give every response the security headers."""
    app.session_interface = KeptSigningSessions()
    # The token is the check; Flask-WTF's HTTPS Referer check would refuse every form, since pages
    # send no Referer at all (Referrer-Policy: no-referrer keeps secret links out of other sites' logs).
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("SCREEN_FRAME_ANCESTORS", os.environ.get("SCREEN_FRAME_ANCESTORS"))  # a form left open through a long atelier stays valid
    csrf.init_app(app)
    app.jinja_env.globals["csrf_token"] = signed_csrf_token
    # Socket.IO events are not forms: they are checked by the handshake's origin and identity.
    talisman.init_app(
        app,
        force_https=False,  # TLS ends at the reverse proxy when there is one (deploy/)
        strict_transport_security=True,  # sent only over HTTPS
        frame_options="DENY",
        content_security_policy=POLICY,
        referrer_policy="no-referrer",
        session_cookie_secure=app.config.get("SESSION_COOKIE_SECURE", False),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        x_xss_protection=False,  # obsolete, and harmful in old browsers
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )

    configure_screen(app)

    @app.after_request
    def _no_store_on_secret_pages(response):
        if request.endpoint in SECRET_ENDPOINTS or (request.endpoint == "join.home" and request.args.get("demarche")):
            if "no-store" not in response.headers.get("Cache-Control", ""):
                response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def _refuse_cross_site_post(error):
        return render_template("refused.html", reason=_(
            "Ce formulaire a expiré ou vient d'un autre site : rechargez la page et envoyez-le à nouveau.")), 400
