"""Fair share: rate limits per participant (all their connections together) and per IP address,
and the coalescing of snapshot requests, so that no phone can stall the room.

Socket.IO has no rate limiting of its own. A refused request costs a dictionary look-up: the
snapshot or the write it asked for is never built. The limits live in this process; with several
processes each applies them to the connections it serves.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter, OrderedDict

from flask import current_app, has_app_context, request


class TokenBucket:
    """Bursts of `capacity`, then `rate` requests a second."""

    __slots__ = ("capacity", "rate", "tokens", "updated")

    def __init__(self, capacity: float, rate: float):
        self.capacity, self.rate = capacity, rate
        self.tokens, self.updated = capacity, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Limiter:
    """One token bucket per key (a participant, an IP address…), the least recently used forgotten first."""

    def __init__(self, name: str, capacity: float, rate: float, keep: int = 100_000):
        self.name, self.capacity, self.rate, self.keep = name, capacity, rate, keep
        self._buckets: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key) -> bool:
        """Take one request from `key`'s bucket; False when it is empty."""
        capacity, rate = self._setting()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = TokenBucket(capacity, rate)
                if len(self._buckets) > self.keep:
                    self._buckets.popitem(last=False)
            else:
                self._buckets.move_to_end(key)
            return bucket.take()

    def _setting(self) -> tuple[float, float]:
        """Return (capacity, rate), overridable per app as RATE_LIMITS[name] (tests, big venues)."""
        # The connection gate counts every message before any app context exists: asked, not
        # caught, since raising and catching cost eight times the rest of this.
        overrides = (current_app.config.get("RATE_LIMITS") or {}) if has_app_context() else {}
        return overrides.get(self.name) or _FROM_ENVIRONMENT.get(self.name) or (self.capacity, self.rate)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()


# Every action a phone sends, all its connections together: bursts of 20, then 8 a second.
participant_actions = Limiter("participant_actions", 20, 8)
# Snapshots a phone asks for (each reconnect asks one): bursts of 10, then one every 2 s.
participant_syncs = Limiter("participant_syncs", 10, 0.5)
# The facilitator's console and the projector, per atelier and role.
console_actions = Limiter("console_actions", 60, 20)
console_syncs = Limiter("console_syncs", 20, 2)
# Joins from one IP address. A venue's Wi-Fi puts hundreds of phones behind one address, so the
# burst is large; the cap per atelier (the `max_participants` setting) bounds the total.
ip_joins = Limiter("ip_joins", 1000, 10)
# Rejoin attempts (right or wrong) from one IP address: 10, then one every 6 s.
ip_rejoins = Limiter("ip_rejoins", 10, 1 / 6)
# Opinions sent through the review links from one IP address: a CODEV meeting reviews from one
# room, so bursts of 30, then one every 2 s.
ip_reviews = Limiter("ip_reviews", 30, 0.5)
# Wrong rejoin codes in one atelier, whatever the addresses: 10 a second at most (see README).
atelier_rejoin_failures = Limiter("atelier_rejoin_failures", 100, 10)

def parse_overrides(text: str) -> dict[str, tuple[float, float]]:
    """Read "ip_joins=2000:20,participant_actions=40:10" (name=burst:per second) into overrides."""
    overrides = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        capacity, _, rate = value.partition(":")
        overrides[name.strip()] = (float(capacity), float(rate))
    return overrides


# FABRIQUE_RATE_LIMITS in the environment adjusts these for a venue (README, "Fair share").
_FROM_ENVIRONMENT = parse_overrides(os.environ.get("FABRIQUE_RATE_LIMITS", ""))

# Every message of one connection, whatever it is: a phone sends a few a second at most, and a
# burst when it comes back online with its outbox. Past this, the connection is closed.
connection_events = Limiter("connection_events", 100, 25)

ALL = (connection_events, participant_actions, participant_syncs, console_actions, console_syncs, ip_joins, ip_rejoins,
       atelier_rejoin_failures, ip_reviews)


def client_ip() -> str:
    """Return the address of the client of this request (behind a proxy, the one it passes on when PROXY_HOPS says so)."""
    return request.remote_addr or "?"


class SnapshotSlot:
    """One connection's snapshot requests: one built at a time; those asked meanwhile share the next.

    A request that arrives while a snapshot is being built is answered by the next build, which
    starts after it arrived, so it never gets a state older than its request; however many
    arrive meanwhile, that next build is made once. A slot holds a snapshot only while someone
    waits for it, and every slot shares one condition: a room holds 2,000 of them.
    """

    MAX_WAITING = 16
    _changed = threading.Condition()  # a build ended, in some slot (waiters check their own)

    __slots__ = ("_building", "_started", "_done", "_waiting", "_latest")

    def __init__(self):
        self._building = False
        self._started = 0
        self._done = 0
        self._waiting = 0
        self._latest = None

    def get(self, build):
        """Return a snapshot built after this call started, sharing builds; None when too many wait."""
        with self._changed:
            wanted = self._started + 1
            while self._done < wanted and self._building:
                if self._waiting >= self.MAX_WAITING:
                    return None
                self._waiting += 1
                try:
                    self._changed.wait(timeout=30)
                finally:
                    self._waiting -= 1
            if self._done >= wanted:
                latest = self._latest
                if not self._waiting:  # the last of those who waited for it
                    self._latest = None
                return latest
            self._building = True
            self._started += 1
            ticket = self._started
        value = None
        try:
            value = build()
            return value
        finally:
            with self._changed:
                self._building = False
                if value is not None:
                    self._done = ticket
                    self._latest = value if self._waiting else None
                self._changed.notify_all()


def forget_all() -> None:
    """Forget every bucket (tests start from a clean slate)."""
    for limiter in ALL:
        limiter.clear()


def allow_action(identity) -> bool:
    """Take one action from this connection's budget: the participant's, or the atelier console's."""
    if identity.participant_id is not None:
        return participant_actions.allow(identity.participant_id)
    return console_actions.allow((identity.atelier_id, identity.role))


def allow_sync(identity) -> bool:
    """Take one snapshot request from this connection's budget."""
    if identity.participant_id is not None:
        return participant_syncs.allow(identity.participant_id)
    return console_syncs.allow((identity.atelier_id, identity.role))


class ConnectionGate:
    """At most `in_flight` events of one connection handled at a time; the others refused at once.

    python-socketio starts a task for every event it reads, and Flask-SocketIO gives each a request
    context: a phone that sends thousands of events without waiting would put thousands of tasks
    ahead of every other phone's, even if each is then refused by its rate limit. Refused here,
    before any task or context exists, an event costs one short answer.
    """

    def __init__(self, in_flight: int = 8):
        self.in_flight = in_flight
        self._busy: Counter = Counter()
        self._lock = threading.Lock()

    def enter(self, eio_sid: str) -> bool:
        with self._lock:
            if self._busy[eio_sid] >= self.in_flight:
                return False
            self._busy[eio_sid] += 1
            return True

    @staticmethod
    def flooding(eio_sid: str) -> bool:
        """Tell whether this connection sends far more than any phone does (then it is closed)."""
        return not connection_events.allow(eio_sid)

    def leave(self, eio_sid: str) -> None:
        with self._lock:
            self._busy[eio_sid] -= 1
            if self._busy[eio_sid] <= 0:
                del self._busy[eio_sid]

    def install(self, server, refusal) -> None:
        """Wrap `server` (a python-socketio Server) so that its events pass through this gate.

        `refusal(sid)` returns the answer an event refused at the gate gets (an ack, when asked).
        """
        from socketio import packet

        handle_event, handle_internal = server._handle_event, server._handle_event_internal

        def gated_event(eio_sid, namespace, id, data):
            sid = server.manager.sid_from_eio_sid(eio_sid, namespace or "/")
            if not server.manager.is_connected(sid, namespace or "/"):
                return handle_event(eio_sid, namespace, id, data)  # ignored there, and never reaches `released`
            if self.flooding(eio_sid):
                # Answering each of thousands of messages would still cost the room: the connection
                # goes, and with it whatever it had queued. A real phone reconnects and resyncs.
                server.start_background_task(server.disconnect, sid, namespace or "/")
                return None
            if self.enter(eio_sid):
                return handle_event(eio_sid, namespace, id, data)
            if id is not None:
                server._send_packet(eio_sid, server.packet_class(packet.ACK, namespace=namespace, data=[refusal(sid)], id=id))

        def released(srv, sid, eio_sid, data, namespace, id):
            try:
                return handle_internal(srv, sid, eio_sid, data, namespace, id)
            finally:
                self.leave(eio_sid)

        server._handle_event = gated_event
        server._handle_event_internal = released


gate = ConnectionGate()
