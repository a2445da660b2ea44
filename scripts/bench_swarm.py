"""A swarm of phones on one asyncio loop, cheap enough for 2,000 of them on one core (scripts/bench.py).

Each phone joins as a phone does (the join form and its CSRF token, the cookie, the participant
page, then the WebSocket with its `auth`, then `sync`) and sends what the phone's screens send
(`static/js/phone/*.js`), each action with its own op_id. The Socket.IO protocol is spoken
directly over aiohttp's WebSocket (text packets: `40` connect, `42` event, `43` ack, `2`/`3`
ping): python-socketio's own client costs several times more CPU per message, and the swarm must
stay far from its core's limit to measure the server rather than itself. Only 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urljoin

import aiohttp

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGE_SEQ = re.compile(r'"seq": (\d+), "stage"')  # the phone's state in its page: keys sorted, `stage` after `seq`


class Refused(Exception):
    """The server refused the connection (a `44` packet) or the join."""


class Socket:
    """One Socket.IO connection over a WebSocket."""

    def __init__(self, ws, on_event=None):
        self.ws, self.on_event = ws, on_event
        self.acks: dict[int, asyncio.Future] = {}
        self.next_id = 0
        self.received = 0  # events the server pushed to this connection (not acks)
        self.reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(cls, http: aiohttp.ClientSession, base: str, auth: dict, cookie: str | None = None,
                      on_event=None, timeout: float = 20) -> Socket:
        headers = {"Origin": base, **({"Cookie": cookie} if cookie else {})}
        ws = await http.ws_connect(base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket",
                                   headers=headers, timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=5),
                                   max_msg_size=0, autoping=True, compress=0)
        try:
            opened = await ws.receive(timeout=timeout)
            if opened.type != aiohttp.WSMsgType.TEXT or not opened.data.startswith("0"):
                raise Refused(f"no Engine.IO open packet: {opened.data!r}")
            await ws.send_str("40" + json.dumps(auth))
            answer = await ws.receive(timeout=timeout)
            if answer.type != aiohttp.WSMsgType.TEXT or not answer.data.startswith("40"):
                raise Refused(f"connection refused: {str(answer.data)[:200]}")
        except BaseException:
            await ws.close()
            raise
        return cls(ws, on_event)

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data = message.data
                if data == "2":
                    await self.ws.send_str("3")
                elif data.startswith("43"):
                    start = data.index("[")
                    future = self.acks.pop(int(data[2:start]), None)
                    if future is not None and not future.done():
                        future.set_result(json.loads(data[start:])[0])
                elif data.startswith("42"):
                    self.received += 1
                    if self.on_event is not None:
                        name, *args = json.loads(data[2:])
                        self.on_event(name, args[0] if args else None)
        finally:
            for future in self.acks.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))
            self.acks.clear()

    async def call(self, event: str, data, timeout: float = 30):
        """Send `event` and return its ack (raises TimeoutError after `timeout` seconds)."""
        ack_id, self.next_id = self.next_id, self.next_id + 1
        future = asyncio.get_running_loop().create_future()
        self.acks[ack_id] = future
        await self.ws.send_str(f"42{ack_id}" + json.dumps([event, data]))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.acks.pop(ack_id, None)

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()


def _cookies(response, jar: dict) -> None:
    for header in response.headers.getall("Set-Cookie", []):
        for name, morsel in SimpleCookie(header).items():
            jar[name] = morsel.value


@dataclass
class Phone:
    """One participant: their cookie, their connection, what they did."""

    name: str
    socket: Socket | None = None
    join_seconds: float | None = None
    error: str | None = None
    toggled: dict = field(default_factory=dict)  # dots and engagement supports placed, for the closed loop

    async def join(self, http: aiohttp.ClientSession, base: str, code: str) -> None:
        started = time.perf_counter()
        jar: dict[str, str] = {}
        cookie = lambda: "; ".join(f"{k}={v}" for k, v in jar.items())  # noqa: E731
        async with http.get(f"{base}/j/{code}") as response:
            _cookies(response, jar)
            token = CSRF.search(await response.text())
        if token is None:
            raise Refused(f"no join form ({response.status})")
        form = {"pseudonym": self.name, "csrf_token": token.group(1)}
        async with http.post(f"{base}/j/{code}", data=form, headers={"Cookie": cookie()}, allow_redirects=False) as response:
            _cookies(response, jar)
            body = await response.text()
            if response.status not in (200, 302, 303) or not jar:
                raise Refused(f"join refused ({response.status})")
            page = urljoin(base, response.headers["Location"]) if response.status != 200 else None
        if page is not None:  # the app answered with a redirect to the phone's page, not with the page itself
            async with http.get(page, headers={"Cookie": cookie()}) as response:
                body = await response.text()
        self.socket = await Socket.connect(http, base, {"role": "participant", "code": code}, cookie())
        brought = PAGE_SEQ.search(body)  # as live.js: the first sync names the seq of the state the page brought
        answer = await self.socket.call("sync", {"seq": int(brought.group(1))} if brought else {})
        if not answer.get("ok"):
            raise Refused(f"sync refused: {answer}")
        self.join_seconds = time.perf_counter() - started


def http_session() -> aiohttp.ClientSession:
    """One HTTP client for the whole swarm: no pool limit, a new TCP connection per phone request (as phones have)."""
    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def join_all(http, base: str, code: str, phones: list[Phone], at_once: int) -> dict:
    """Join the first `at_once` phones all at the same moment (a stampede), then the rest 100 at a time.

    Return the stampede's figures; a phone that failed is tried again, one by one, afterwards.
    """

    async def one(phone: Phone) -> None:
        try:
            await phone.join(http, base, code)
        except Exception as error:  # noqa: BLE001 (counted and reported)
            phone.error = f"{type(error).__name__}: {error}"[:200]

    stampede = phones[:at_once]
    started = time.perf_counter()
    await asyncio.gather(*(one(p) for p in stampede))
    took = time.perf_counter() - started
    failed = [p for p in stampede if p.socket is None]
    times = sorted(p.join_seconds for p in stampede if p.join_seconds is not None)
    errors: dict[str, int] = {}
    for phone in failed:
        errors[phone.error or "?"] = errors.get(phone.error or "?", 0) + 1
    for i in range(at_once, len(phones), 100):
        await asyncio.gather(*(one(p) for p in phones[i:i + 100]))
    for phone in [p for p in phones if p.socket is None]:
        phone.error, phone.name = None, phone.name + "b"  # the first try may have taken the pseudonym
        await one(phone)
    return {"phones": len(stampede), "seconds": took, "failed": len(failed), "errors": errors,
            "p50": quantile(times, 0.5), "p95": quantile(times, 0.95), "joined": sum(p.socket is not None for p in phones)}


def quantile(values: list[float], q: float) -> float | None:
    """Return the `q` quantile of `values` (nearest rank), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(len(ordered) * q + 0.5) - 1))]


class Kind:
    """What phones send for one kind of action, first (the burst) and again and again (the closed loop)."""

    def __init__(self, name: str, event: str, payload, again=None):
        self.name, self.event, self.payload, self.again = name, event, payload, again or payload

    def first(self, phone: Phone, i: int) -> tuple[str, dict]:
        return self.event, {"op_id": str(uuid.uuid4()), **self.payload(phone, i)}

    def next(self, phone: Phone, i: int, n: int) -> tuple[str, dict]:
        event, payload = self.again(phone, i, n)
        return event, {"op_id": str(uuid.uuid4()), **payload}


def kinds(themes: list[str], horizons: list[str], values: list[str]) -> dict[str, Kind]:
    """The four kinds the benchmark measures, shaped as the phone's screens send them."""

    def piste(phone, i, n=0):
        return {"theme_id": themes[(i + n) % len(themes)], "horizon": horizons[(i + n) % len(horizons)],
                "text": f"Des navettes entre les gares et les villages ({phone.name}, {n})", "hashtags": []}

    def points(phone, i, n=0):
        a, b = values[(i + n) % len(values)], values[(i + n + 1) % len(values)]
        return {"points": {a: 6, b: 4}}

    def toggle(event_on, event_off, key, ids, flag=None):
        def again(phone, i, n):
            target = phone.toggled.get(key, ids()[i % len(ids())])
            placed = phone.toggled.get(f"{key}:on", True)
            phone.toggled[key], phone.toggled[f"{key}:on"] = target, not placed
            if flag is not None:
                return event_on, {key: target, flag: not placed}
            return (event_off if placed else event_on), {key: target}
        return again

    board: dict[str, list[int]] = {"piste_id": [], "engagement_id": []}
    dots = Kind("dots", "support_add", lambda phone, i: {"piste_id": board["piste_id"][i % len(board["piste_id"])]},
                toggle("support_add", "support_remove", "piste_id", lambda: board["piste_id"]))
    supports = Kind("engagement supports", "engagement_support",
                    lambda phone, i: {"engagement_id": board["engagement_id"][i % len(board["engagement_id"])], "supported": True},
                    toggle("engagement_support", None, "engagement_id", lambda: board["engagement_id"], flag="supported"))
    table = {
        "values": Kind("values", "values_set", lambda phone, i: points(phone, i), lambda phone, i, n: ("values_set", points(phone, i, n + 1))),
        "pistes": Kind("pistes", "piste_add", lambda phone, i: piste(phone, i), lambda phone, i, n: ("piste_add", piste(phone, i, n + 1))),
        "dots": dots,
        "engagements": supports,
    }
    table["_board"] = board  # type: ignore[assignment]  (filled once the board is known)
    return table


@dataclass
class Sample:
    sent: float
    acked: float | None = None
    ok: bool = False
    seq: int | None = None
    code: str | None = None


async def _act(phone: Phone, event: str, payload: dict, timeout: float) -> Sample:
    sample = Sample(time.perf_counter())
    try:
        answer = await phone.socket.call(event, payload, timeout=timeout)
        sample.acked = time.perf_counter()
        sample.ok = bool(answer.get("ok"))
        sample.seq = answer.get("seq")
        sample.code = None if sample.ok else str(answer.get("code") or answer.get("error"))[:60]
    except (TimeoutError, asyncio.TimeoutError):
        sample.code = "timeout"
    except (ConnectionError, aiohttp.ClientError) as error:
        sample.code = type(error).__name__
    return sample


async def burst(phones: list[Phone], kind: Kind, seconds: float, timeout: float, rng: random.Random) -> list[Sample]:
    """Each phone acts once, at a random moment of `seconds`; return every sample once all are answered."""

    async def one(i: int, phone: Phone, delay: float) -> Sample:
        await asyncio.sleep(delay)
        event, payload = kind.first(phone, i)
        return await _act(phone, event, payload, timeout)

    delays = [rng.uniform(0, seconds) for _ in phones]
    return list(await asyncio.gather(*(one(i, p, d) for i, (p, d) in enumerate(zip(phones, delays)))))


async def closed_loop(phones: list[Phone], kind: Kind, seconds: float, timeout: float) -> tuple[list[Sample], float]:
    """Each phone acts again as soon as it is answered, for `seconds`; return the samples and the measured span."""
    deadline = time.perf_counter() + seconds
    samples: list[Sample] = []

    async def one(i: int, phone: Phone) -> None:
        n = 0
        while time.perf_counter() < deadline:
            event, payload = kind.next(phone, i, n)
            sample = await _act(phone, event, payload, timeout)
            samples.append(sample)
            n += 1
            if sample.code in ("timeout", "ConnectionError", "ClientConnectionError"):
                return

    started = time.perf_counter()
    await asyncio.gather(*(one(i, p) for i, p in enumerate(phones)))
    return samples, time.perf_counter() - started
