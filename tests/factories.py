"""Helpers that build ateliers and connected clients. Texts are hostile by default, so that an
escaping or length bug surfaces in every test that shows them."""

from __future__ import annotations

import uuid

from fabrique.actions.ateliers import create_atelier
from fabrique.extensions import socketio
from fabrique.models import Atelier

HOSTILE = "<script>alert('x')</script> & \"guillemets\" 🚲 مرحبا"
PHASES = {kind: i for i, kind in enumerate(
    ["accueil", "personas", "paradoxes", "valeurs", "reves", "pistes", "vote", "convergence", "cloture"])}


def new_atelier(**settings) -> Atelier:
    return create_atelier("la-fabrique-amp-2017", "Atelier " + HOSTILE, settings=settings or None)


def op() -> str:
    return str(uuid.uuid4())


class Phone:
    """A participant's phone: an HTTP client that joined, and its Socket.IO connection."""

    def __init__(self, app, atelier: Atelier, pseudonym: str, **form):
        self.http = app.test_client()
        response = self.http.post(f"/j/{atelier.join_code}", data={"pseudonym": pseudonym, **form})
        assert response.status_code == 200 and '"role": "participant"' in response.get_data(as_text=True), response.get_data(as_text=True)
        self.sio = socketio.test_client(app, flask_test_client=self.http, auth={"role": "participant", "code": atelier.join_code})
        assert self.sio.is_connected()
        self.state = self.sync()

    def sync(self) -> dict:
        answer = self.sio.emit("sync", callback=True)
        assert answer["ok"], answer
        return answer["state"]

    def act(self, event: str, op_id: str | None = None, **data) -> dict:
        return self.sio.emit(event, {"op_id": op_id or op(), **data}, callback=True)

    @property
    def id(self) -> int:
        return self.state["me"]["id"]


class Console:
    """The facilitator's (or the projector's) connection."""

    def __init__(self, app, atelier: Atelier, role: str = "facilitate"):
        token = atelier.facilitator_token if role == "facilitate" else atelier.screen_token
        self.sio = socketio.test_client(app, auth={"role": role, "token": token})
        assert self.sio.is_connected()

    def sync(self) -> dict:
        return self.sio.emit("sync", callback=True)["state"]

    def act(self, event: str, op_id: str | None = None, **data) -> dict:
        return self.sio.emit(event, {"op_id": op_id or op(), **data}, callback=True)

    def goto(self, kind: str) -> dict:
        answer = self.act("phase_goto", to=PHASES[kind])
        assert answer["ok"], answer
        return answer


def merge_mine(mine: dict, parts: dict) -> dict:
    """Fold the parts of `mine` an event or an ack carries into a phone's own state, as live.js does."""
    parts = dict(parts)
    changed = parts.pop("pistes_changed", None)
    mine = {**mine, **parts}
    if changed is not None:
        gone = set(changed["remove"]) | {piste["id"] for piste in changed["upsert"]}
        mine["pistes"] = sorted([p for p in mine["pistes"] if p["id"] not in gone] + changed["upsert"], key=lambda p: p["id"])
    return mine
