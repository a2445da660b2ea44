"""Sending events after commit: rooms, phase changes at once, aggregates coalesced.

Rooms, one name per screen:
- `atelier:<id>` every connected client of the atelier: phase changes (`stage`);
- `atelier:<id>:screen` and `atelier:<id>:facilitate`: what changed in the aggregated state
  (`delta`, see `fabrique.aggregates`; a client takes a snapshot on connect and after a gap);
- `atelier:<id>:participant` every phone: changes to the board they act on (`board`);
- `participant:<id>` the devices of one participant: the parts of their own state an action
  changed (`me`) — their own action on another device, or the facilitator's moderation.

The board phones act on (the pistes of the vote, the engagements of convergence) changes only by
the facilitator's hand; those changes are coalesced like the aggregates and sent as one `board`
message per interval listing the entries to add or replace and the ids to remove.

A participant's action never fans out to the other phones. It marks the atelier dirty; at most
every `AGGREGATE_INTERVAL` seconds one delta is sent to the projector room and one to the
facilitator room, holding only the entries the actions since the last one changed: the cost of
an action grows neither with the number of phones nor with the size of the atelier.
"""

from __future__ import annotations

import threading

from flask import current_app, has_request_context, request

from . import aggregates, readmodel
from .extensions import db, socketio
from .presence import presence  # noqa: F401  (sockets and views import it from here)


def room(atelier_id: int, role: str | None = None) -> str:
    """Return the room name of an atelier, or of one role within it."""
    return f"atelier:{atelier_id}" if role is None else f"atelier:{atelier_id}:{role}"


def participant_room(participant_id: int) -> str:
    return f"participant:{participant_id}"


class Broadcaster:
    """Send committed changes: stage and personal events at once, aggregates and boards coalesced."""

    def __init__(self):
        self._lock = threading.Lock()
        self._dirty: set[int] = set()
        self._board: dict[int, set[tuple[str, int]]] = {}
        self._app = None
        self._loop_started = False

    def publish(self, change) -> None:
        """Send what a committed change calls for (called by actions after commit only)."""
        from .state import stage

        model = readmodel.model_for(change.atelier_id)
        if model is None:
            return
        if change.stage:
            socketio.emit("stage", {"seq": model.seq, "stage": stage(model.atelier)}, to=room(change.atelier_id))
        # The participant's own state: to their phones only, only the parts that changed. The
        # phone that acted has it in its ack already; their other devices get the same change.
        sender = getattr(request, "sid", None) if has_request_context() else None
        for participant_id, (parts, pistes) in change.own_changes(model).items():
            mine = model.mine(participant_id, parts, pistes)
            socketio.emit("me", {"seq": model.seq, "mine": mine}, to=participant_room(participant_id), skip_sid=sender)
        with self._lock:
            self._dirty.add(change.atelier_id)
            touched = change.touched("piste", "engagement")
            if touched:
                self._board.setdefault(change.atelier_id, set()).update(touched)
        interval = current_app.config.get("AGGREGATE_INTERVAL", 0.2)
        if interval is None:
            return  # tests call flush() themselves
        self._ensure_loop(current_app._get_current_object(), interval)

    def mark_dirty(self, atelier_id: int) -> None:
        """Ask for a refreshed aggregate (e.g. when a phone connects or leaves)."""
        with self._lock:
            self._dirty.add(atelier_id)

    def flush(self) -> int:
        """Send, per dirty atelier, one delta to its projector and facilitator rooms and at most one
        board change to its phones; return how many ateliers changed."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            boards, self._board = self._board, {}
        published = set(aggregates.published())
        # An atelier with a projector or a console is checked even when this process wrote nothing
        # to it: another process (or `flask purge`) may have, and its seq says so (one cheap query).
        for atelier_id in sorted(dirty | published):
            model = readmodel.check_seq(atelier_id)
            if model is None:
                aggregates.forget(atelier_id)
                continue
            if atelier_id in boards:
                self._send_board(model, boards[atelier_id])
            if atelier_id not in published:
                model.drain()  # nobody watches: the first snapshot builds everything
            elif atelier_id in dirty or model is not aggregates.publisher_for(atelier_id).model:
                self._send_deltas(atelier_id, model)
        return len(dirty)

    def _send_deltas(self, atelier_id: int, model) -> dict:
        publisher = aggregates.publisher_for(atelier_id)
        with publisher.lock:
            deltas = publisher.refresh(model, presence.online(atelier_id), current_app.config["PUBLIC_URL"])
            for role, delta in deltas.items():
                socketio.emit("delta", delta, to=room(atelier_id, role))
        return deltas

    def snapshot(self, atelier_id: int, role: str) -> dict:
        """Return the projector's or the console's state, as published: what was pending is sent first,
        so that the snapshot's seq is the base of the next delta."""
        model = readmodel.check_seq(atelier_id)
        if model is None:
            raise LookupError(f"no atelier {atelier_id}")
        publisher = aggregates.publisher_for(atelier_id)
        with publisher.lock:
            self._send_deltas(atelier_id, model)
            state = publisher.snapshot(role)
        interval = current_app.config.get("AGGREGATE_INTERVAL", 0.2)
        if interval is not None:  # from now on this atelier is followed, even if nothing is written here
            self._ensure_loop(current_app._get_current_object(), interval)
        return state

    def _send_board(self, model, touched: set[tuple[str, int]]) -> None:
        """Send phones what changed on the board they act on: entries to add or replace, ids to remove."""
        from .state import board_item, board_table

        table = board_table(model.atelier)
        if table is None:
            return
        upsert, remove = [], []
        with model.lock:
            for name, row_id in sorted(touched):
                if name != table:
                    continue
                row = model.tables[table].get(row_id)
                if row is None or (table == "piste" and row["status"] != "visible"):
                    remove.append(row_id)
                else:
                    upsert.append(board_item(model, table, row))
        if upsert or remove:
            socketio.emit("board", {"seq": model.seq, "upsert": upsert, "remove": remove},
                          to=room(model.atelier.id, "participant"))

    def flush_pending_without_sending(self) -> None:
        """Drop pending aggregates (tests start from a clean slate)."""
        with self._lock:
            self._dirty.clear()
            self._board.clear()

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


def screen_state(atelier) -> dict:
    """Return everything the projector shows, aggregated (nothing personal)."""
    return broadcaster.snapshot(atelier.id, aggregates.SCREEN)


def facilitate_state(atelier) -> dict:
    """Return the projector's state plus who is there, every piste (hidden ones too) and the links."""
    return broadcaster.snapshot(atelier.id, aggregates.FACILITATE)
