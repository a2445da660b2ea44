"""Thin Socket.IO handlers: who is this, call an action, answer with an ack.

Every client identifies itself on connect (`auth`): a phone by the participant cookie of the
atelier, the projector and the facilitator by the secret token of their link. python-socketio
has no connection-state recovery, so a client does this on every (re)connect and then asks
for its snapshot (`sync`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_socketio import ConnectionRefusedError, join_room
from sqlalchemy import select

from . import limits, payloads, readmodel
from .actions import Refused
from .actions.contributions import PARTICIPANT_ACTIONS
from .actions.carry_over import carry_over
from .actions.convergence import CONVERGENCE_ACTIONS, engagement_support
from .actions.facilitation import FACILITATOR_ACTIONS
from .events import broadcaster, facilitate_state, participant_room, presence, room, screen_state
from .extensions import db, socketio
from .i18n import speaking
from .lookups import atelier_of_code, participant_of_token
from .models import Atelier
from .state import phone_state, utc_ms
from .vocabulary import in_words_of

PARTICIPANT_COOKIE = "fabrique_{}"  # one cookie per atelier id, holding the participant's secret token


@dataclass(frozen=True)
class Identity:
    role: str  # "participant", "screen" or "facilitate"
    atelier_id: int
    participant_id: int | None = None
    language: str | None = None  # a participant's, chosen when joining; others follow their cookie



_lock = threading.Lock()
_identities: dict[str, Identity] = {}
_snapshots: dict[str, limits.SnapshotSlot] = {}


def identify(auth) -> Identity:
    """Return who is connecting, from the `auth` payload and the cookies; refuse strangers."""
    if not isinstance(auth, dict):
        raise ConnectionRefusedError(_("Identification manquante."))
    role = auth.get("role")
    if role == "participant":
        atelier = atelier_of_code(str(auth.get("code", "")))
        token = request.cookies.get(PARTICIPANT_COOKIE.format(atelier.id)) if atelier is not None else None
        participant = participant_of_token(token) if token else None
        if participant is None or participant.atelier_id != atelier.id:
            raise ConnectionRefusedError(_("Vous n'avez pas encore rejoint cet atelier."))
        return Identity("participant", atelier.id, participant.id, participant.language)
    if role in ("screen", "facilitate"):
        column = Atelier.screen_token if role == "screen" else Atelier.facilitator_token
        token = auth.get("token")
        atelier = db.session.scalar(select(Atelier).where(column == token)) if isinstance(token, str) else None
        if atelier is None:
            raise ConnectionRefusedError(_("Lien inconnu ou expiré."))
        return Identity(role, atelier.id)
    raise ConnectionRefusedError(_("Rôle inconnu."))


@socketio.on("connect")
def on_connect(auth=None):
    with speaking(None):
        identity = identify(auth)
    with _lock:
        _identities[request.sid] = identity
        _snapshots[request.sid] = limits.SnapshotSlot()
    join_room(room(identity.atelier_id))
    if identity.role == "participant":
        join_room(participant_room(identity.participant_id))
        join_room(room(identity.atelier_id, "participant"))
        presence.add(request.sid, identity.atelier_id, identity.participant_id)
        broadcaster.mark_dirty(identity.atelier_id)
    else:
        join_room(room(identity.atelier_id, identity.role))


@socketio.on("disconnect")
def on_disconnect(*_reason):
    with _lock:
        _identities.pop(request.sid, None)
        _snapshots.pop(request.sid, None)
    left = presence.remove(request.sid)
    if left is not None:
        broadcaster.mark_dirty(left[0])


def _identity() -> Identity | None:
    with _lock:
        return _identities.get(request.sid)


def snapshot(identity: Identity) -> dict:
    """Return the snapshot for this connection's role (its read model checked against the database first)."""
    if identity.role == "participant":
        return phone_state(identity.atelier_id, identity.participant_id)
    atelier = db.session.get(Atelier, identity.atelier_id)
    return screen_state(atelier) if identity.role == "screen" else facilitate_state(atelier)


def still_current(identity: Identity, data, model) -> bool:
    """Tell whether the phone's state, as its page carried it (`{"seq": n}`), is the atelier's now (`model`).

    A room that joins at once opens as many sockets as pages, each asking for the state its page
    has just brought: every committed change moves the atelier's `seq`, so an equal one means an
    equal state, and the answer need not carry it again.
    """
    if identity.role != "participant" or not isinstance(data, dict) or type(data.get("seq")) is not int:
        return False
    return model is not None and model.seq == data["seq"]


@socketio.on("sync")
def on_sync(data=None, *_args):
    identity = _identity()
    if identity is None:
        with speaking(None):
            return {"ok": False, "error": _("Connexion non identifiée : rechargez la page."), "code": "unknown"}
    allowed = limits.allow_sync(identity)
    # One cheap query, for the answer and the snapshot alike: a change this process did not see
    # (another process, `flask purge`) is rebuilt from the database rather than served from memory.
    model = readmodel.check_seq(identity.atelier_id) if allowed else None
    if still_current(identity, data, model):
        return {"ok": True, "current": True, "server_time": utc_ms()}
    with _lock:
        slot = _snapshots.get(request.sid)
    # Coalesced: one snapshot built at a time per connection, requests meanwhile share the next one.
    state = slot.get(lambda: snapshot(identity)) if slot is not None and allowed else None
    if state is None:
        with speaking(identity.language):
            return _refusal(_("Trop de demandes d'un coup : patientez un instant."), "rate")
    return {"ok": True, "state": state}


def gate_refusal(app, sid: str) -> dict:
    """Return the answer to an event refused before it is handled (too many at once from one connection)."""
    with app.app_context(), _lock:
        identity = _identities.get(sid)
    with app.app_context(), speaking(identity.language if identity else None):
        return _refusal(_("Trop de demandes d'un coup : patientez un instant."), "rate")


def _refusal(reason: str, code: str) -> dict:
    return {"ok": False, "error": reason, "code": code}


def _apply(name, identity, call, data) -> dict:
    """Check the payload against the event's schema, then run `call(op_id, data)`; a refusal becomes the answer."""
    try:
        try:
            data = payloads.event(name, data)
        except Refused as refused:  # said in the template's words, as the actions' refusals are
            raise Refused(in_words_of(db.session.get(Atelier, identity.atelier_id), refused.reason), refused.code) from None
        return {**call(data["op_id"], data), "ok": True}
    except Refused as refused:
        db.session.rollback()
        return _refusal(refused.reason, refused.code)


def _participant_handler(name, action):
    def handler(data=None):
        identity = _identity()
        with speaking(identity.language if identity else None):  # refusals in the participant's language
            if identity is None or identity.role != "participant":
                return _refusal(_("Cette action est réservée aux participants."), "forbidden")
            if not limits.allow_action(identity):
                return _refusal(_("Trop d'actions d'un coup : patientez un instant."), "rate")
            answer = _apply(name, identity, lambda op_id, payload: action(identity.participant_id, op_id, payload, identity.atelier_id), data)
            if answer["ok"]:
                # The ack carries the parts of the phone's own state this action changed (all of
                # them for a retried action, whose first answer was lost).
                parts, pistes = answer.pop("changed_mine", None), answer.pop("changed_pistes", None)
                model = readmodel.model_for(identity.atelier_id)
                answer.update(seq=model.seq, mine=model.mine(identity.participant_id, parts, pistes))
            return answer

    handler.__name__ = f"on_{name}"
    return handler


def _facilitator_handler(name, action):
    def handler(data=None):
        identity = _identity()
        with speaking(None):  # the facilitator's language: their browser's cookie
            if identity is None or identity.role != "facilitate":
                return _refusal(_("Cette action est réservée à l'animation."), "forbidden")
            if not limits.allow_action(identity):
                return _refusal(_("Trop d'actions d'un coup : patientez un instant."), "rate")
            return _apply(name, identity, lambda op_id, payload: action(identity.atelier_id, op_id, payload), data)

    handler.__name__ = f"on_{name}"
    return handler


for _name, _action in {**PARTICIPANT_ACTIONS, "engagement_support": engagement_support}.items():
    socketio.on_event(_name, _participant_handler(_name, _action))
for _name, _action in {**FACILITATOR_ACTIONS, **CONVERGENCE_ACTIONS, "carry_over": carry_over}.items():
    socketio.on_event(_name, _facilitator_handler(_name, _action))


def forget_all() -> None:
    """Forget every connection (tests start from a clean slate)."""
    with _lock:
        _identities.clear()
        _snapshots.clear()
    limits.forget_all()
