"""Which participants have a connected phone, across every server process.

One process (the default): a dictionary in memory. Several processes (MESSAGE_QUEUE=redis://…):
Redis holds, per atelier, one hash field per connection ("<process>:<sid>" → participant id),
and each process keeps a key alive with a heartbeat. A process killed with -9 cannot clean up:
its connections stop counting when its key expires, and its phones, reconnecting to another
process, are counted there at once (a participant counts once, however many phones).
"""

from __future__ import annotations

import os
import socket
import threading
import uuid


class LocalPresence:
    """Connected phones of this process only (sid → atelier id, participant id)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_sid: dict[str, tuple[int, int]] = {}

    def add(self, sid: str, atelier_id: int, participant_id: int) -> None:
        with self._lock:
            self._by_sid[sid] = (atelier_id, participant_id)

    def remove(self, sid: str) -> tuple[int, int] | None:
        with self._lock:
            return self._by_sid.pop(sid, None)

    def online(self, atelier_id: int) -> set[int]:
        with self._lock:
            return {pid for aid, pid in self._by_sid.values() if aid == atelier_id}

    def connections(self) -> int:
        """Return how many phones this process holds."""
        with self._lock:
            return len(self._by_sid)


class RedisPresence(LocalPresence):
    """Connected phones of every process sharing one Redis (the message queue's)."""

    HEARTBEAT = 3  # seconds between two renewals of this process's key
    TTL = 10  # seconds after which a silent process's phones stop counting

    def __init__(self, url: str):
        import redis

        super().__init__()
        self._redis = redis.Redis.from_url(url, socket_timeout=2, decode_responses=True)
        self.process = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._started = False

    @staticmethod
    def _atelier_key(atelier_id: int) -> str:
        return f"fabrique:presence:{atelier_id}"

    @staticmethod
    def _process_key(process: str) -> str:
        return f"fabrique:process:{process}"

    def start(self, start_background_task, sleep) -> None:
        """Keep this process's key alive (once per process, with the server's own tasks)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        self._redis.set(self._process_key(self.process), "1", ex=self.TTL)
        start_background_task(self._heartbeat, sleep)

    def _heartbeat(self, sleep) -> None:
        while True:
            sleep(self.HEARTBEAT)
            try:
                self._redis.set(self._process_key(self.process), "1", ex=self.TTL)
            except Exception:  # Redis briefly away: the next beat retries; phones only look offline meanwhile
                pass

    def add(self, sid: str, atelier_id: int, participant_id: int) -> None:
        super().add(sid, atelier_id, participant_id)
        self._redis.hset(self._atelier_key(atelier_id), f"{self.process}:{sid}", participant_id)

    def remove(self, sid: str) -> tuple[int, int] | None:
        left = super().remove(sid)
        if left is not None:
            self._redis.hdel(self._atelier_key(left[0]), f"{self.process}:{sid}")
        return left

    def online(self, atelier_id: int) -> set[int]:
        entries = self._redis.hgetall(self._atelier_key(atelier_id))
        processes = sorted({field.rsplit(":", 1)[0] for field in entries})
        alive = dict(zip(processes, self._redis.mget([self._process_key(p) for p in processes]))) if processes else {}
        dead = [field for field in entries if not alive.get(field.rsplit(":", 1)[0])]
        if dead:  # a process that died without saying goodbye
            self._redis.hdel(self._atelier_key(atelier_id), *dead)
        return {int(pid) for field, pid in entries.items() if field not in dead}


class Presence:
    """The presence of the running app: local, or shared through Redis (see `init_app`)."""

    def __init__(self):
        self._impl: LocalPresence = LocalPresence()

    def init_app(self, app) -> None:
        """Share presence through the message queue when there is one."""
        queue = app.config.get("MESSAGE_QUEUE")
        self._impl = RedisPresence(queue) if queue and queue.startswith("redis") else LocalPresence()

    def add(self, sid: str, atelier_id: int, participant_id: int) -> None:
        if isinstance(self._impl, RedisPresence):
            from .extensions import socketio

            self._impl.start(socketio.start_background_task, socketio.sleep)
        self._impl.add(sid, atelier_id, participant_id)

    def remove(self, sid: str) -> tuple[int, int] | None:
        return self._impl.remove(sid)

    def online(self, atelier_id: int) -> set[int]:
        return self._impl.online(atelier_id)

    def connections(self) -> int:
        return self._impl.connections()


presence = Presence()
