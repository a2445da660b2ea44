"""Sending events after commit: rooms, phase changes at once, aggregates coalesced.

Rooms, one name per screen:
- `atelier:<id>` every connected client of the atelier: phase changes (`stage`);
- `atelier:<id>:screen` and `atelier:<id>:facilitate`: the aggregated state (`aggregate`);
- `participant:<id>` the phones of one participant: their own state after moderation (`me`).

The facilitator's moderation during the vote, and the engagements formed during convergence, also
send the refreshed board phones act on (`board`) to the whole atelier: a rare facilitator action,
not a participant's.

A participant's action never fans out to the other phones. It marks the atelier dirty; at most
every `AGGREGATE_INTERVAL` seconds one refreshed aggregate is sent to the projector room and one to
the facilitator room, so the cost of an action does not grow with the number of phones.
"""

from __future__ import annotations

import threading

from flask import current_app

from .extensions import db, socketio
from .presence import presence  # noqa: F401  (sockets and views import it from here)


def room(atelier_id: int, role: str | None = None) -> str:
    """Return the room name of an atelier, or of one role within it."""
    return f"atelier:{atelier_id}" if role is None else f"atelier:{atelier_id}:{role}"


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


class Broadcaster:
    """Send committed changes: stage and personal events at once, aggregates coalesced."""

    def __init__(self):
        self._lock = threading.Lock()
        self._dirty: set[int] = set()
        self._app = None
        self._loop_started = False

    def publish(self, change) -> None:
        """Send what a committed change calls for (called by actions after commit only)."""
        from .models import Atelier, Participant
        from .state import stage

        if change.stage:
            atelier = db.session.get(Atelier, change.atelier_id)
            socketio.emit("stage", {"seq": atelier.seq, "stage": stage(atelier)}, to=room(change.atelier_id))
        if change.board:
            from .state import has_board, phone_board

            atelier = db.session.get(Atelier, change.atelier_id)
            if has_board(atelier):
                socketio.emit("board", {"seq": atelier.seq, "board": phone_board(atelier)}, to=room(change.atelier_id))
        for participant_id in change.participants:
            participant = db.session.get(Participant, participant_id)
            if participant is not None:
                from .state import mine

                socketio.emit("me", {"seq": participant.atelier.seq, "mine": mine(participant)}, to=participant_room(participant_id),
                              skip_sid=change.skip_sid)
        with self._lock:
            self._dirty.add(change.atelier_id)
        interval = current_app.config.get("AGGREGATE_INTERVAL", 0.2)
        if interval is None:
            return  # tests call flush() themselves
        self._ensure_loop(current_app._get_current_object(), interval)

    def mark_dirty(self, atelier_id: int) -> None:
        """Ask for a refreshed aggregate (e.g. when a phone connects or leaves)."""
        with self._lock:
            self._dirty.add(atelier_id)

    def flush(self) -> int:
        """Send one aggregate per dirty atelier to its projector and facilitator rooms; return how many."""
        from .models import Atelier
        from .state import facilitate_state, screen_state

        with self._lock:
            dirty, self._dirty = self._dirty, set()
        public_url = current_app.config["PUBLIC_URL"]
        for atelier_id in sorted(dirty):
            atelier = db.session.get(Atelier, atelier_id)
            if atelier is None:
                continue
            socketio.emit("aggregate", screen_state(atelier, public_url), to=room(atelier_id, "screen"))
            socketio.emit("aggregate", facilitate_state(atelier, public_url, presence.online(atelier_id)),
                          to=room(atelier_id, "facilitate"))
        return len(dirty)

    def flush_pending_without_sending(self) -> None:
        """Drop pending aggregates (tests start from a clean slate)."""
        with self._lock:
            self._dirty.clear()

    def _ensure_loop(self, app, interval: float) -> None:
        with self._lock:
            if self._loop_started:
                return
            self._loop_started = True
        socketio.start_background_task(self._loop, app, interval)

    def _loop(self, app, interval: float) -> None:
        while True:
            socketio.sleep(interval)
            try:
                with app.app_context():
                    self.flush()
            except Exception:  # one bad flush must not stop the projector for the rest of the atelier
                app.logger.exception("aggregate flush failed")


broadcaster = Broadcaster()
