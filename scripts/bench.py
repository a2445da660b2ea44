"""Measure the product against a bare python-socketio floor, side by side in one run (127.0.0.1 only).

    .venv/bin/python scripts/bench.py                       # quick: 250 phones, the default server, ~3 min
    .venv/bin/python scripts/bench.py --full                # 250, 1,000 and 2,000 phones, gevent and eventlet
    .venv/bin/python scripts/bench.py --phones 250 1000 --modes gevent eventlet threading --kinds pistes dots

For each server mode and room size, the floor (`bench_floor.py`: same WSGI server, no database)
and then the product (`serve.py`) are started pinned to core 0, and a swarm of phones on core 1
(`bench_swarm.py`) joins them like real phones: a stampede of up to 1,000 at once, the rest after.
Then, for each kind of action (values, pistes, dots, engagement supports, each in its phase): a
10-s burst (each phone acts once at a random moment) and a closed loop (each phone acts again as
soon as it is answered). Printed for both servers and as product/floor ratios: throughput, ack
p50/p95/p99, action→projector p95 (until the projector receives an aggregate whose `seq` covers
the action), acks later than 2 s and 8 s (a phone shows "Hors ligne" after 8 s), errors, server
CPU per action (from /proc/<pid>/stat), server RSS, and the swarm's own CPU share (near 100 %,
the swarm and not the server would be the limit). The swarm's own garbage collector is held
off during every measured span, so that its pauses never count as the server's. Bounded: every
wait has a timeout, every loop a deadline. Needs the `bench` extra: `.venv/bin/pip install -e '.[bench]'`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from bisect import bisect_left
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_swarm import Phone, Socket, burst, closed_loop, http_session, join_all, kinds, quantile  # noqa: E402

from fabrique import local_server  # noqa: E402
from fabrique.catalog import load_catalog  # noqa: E402
from fabrique.config import DEFAULT_ASYNC_MODE  # noqa: E402

TEMPLATE, FORMAT = "la-fabrique-amp-2017", "atelier-complet"
PHASE_OF = {"values": "valeurs", "pistes": "pistes", "dots": "vote", "engagements": "convergence"}
KINDS = tuple(PHASE_OF)
# The product's fair-share limits are per phone and per address: one address here holds every
# phone, and the closed loop asks more of each phone than a person would.
PRODUCT_SETTINGS = {"FABRIQUE_RATE_LIMITS": ",".join(f"{name}=1000000:1000000" for name in (
    "participant_actions", "participant_syncs", "ip_joins", "connection_events", "console_actions", "console_syncs")),
    "MAX_CONNECTIONS_PER_ADDRESS": "100000", "FABRIQUE_DEFAULT_TEMPLATE": TEMPLATE}
CLOCK = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system, all threads) `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


class Meter:
    """Server and swarm CPU over one span of the run."""

    def __init__(self, pid: int):
        self.pid = pid
        self.wall, self.server, self.swarm = time.perf_counter(), server_cpu(pid), own_cpu()

    def read(self) -> dict:
        wall = time.perf_counter() - self.wall
        return {"wall": wall, "server_cpu": server_cpu(self.pid) - self.server, "swarm_cpu": own_cpu() - self.swarm}


def summarise(samples, meter: dict, projector: list[tuple[float, int]], span: float | None = None) -> dict:
    """Figures of one burst or closed loop."""
    ok = [s for s in samples if s.ok]
    acks = [(s.acked - s.sent) * 1000 for s in ok]
    errors: dict[str, int] = {}
    for s in samples:
        if not s.ok:
            errors[s.code or "?"] = errors.get(s.code or "?", 0) + 1
    times, seqs = [t for t, _ in projector], [q for _, q in projector]
    to_projector, unseen = [], 0
    for s in ok:
        if s.seq is None:
            continue
        at = bisect_left(times, s.acked)  # the aggregate must also arrive after the ack was built
        k = next((j for j in range(at, len(seqs)) if seqs[j] is None or seqs[j] >= s.seq), None)
        if k is None:
            unseen += 1
        else:
            to_projector.append((times[k] - s.sent) * 1000)
    late = lambda limit: sum(1 for s in samples if s.acked is None or (s.acked - s.sent) > limit)  # noqa: E731
    span = span or meter["wall"]
    return {"actions": len(samples), "ok": len(ok), "errors": errors, "per_second": len(ok) / span if span else 0,
            "p50": quantile(acks, 0.5), "p95": quantile(acks, 0.95), "p99": quantile(acks, 0.99), "max": max(acks, default=None),
            "late_2s": late(2), "late_8s": late(8), "projector_p95": quantile(to_projector, 0.95), "projector_unseen": unseen,
            "cpu_ms": meter["server_cpu"] * 1000 / len(ok) if ok else None, "server_cpu_pct": 100 * meter["server_cpu"] / meter["wall"],
            "swarm_cpu_pct": 100 * meter["swarm_cpu"] / meter["wall"], "seconds": meter["wall"]}


def profile(pid: int, args, name: str, seconds: float | None = None):
    """Sample the server with py-spy during a burst, a closed loop or the join stampede (--profile DIR, product only); return the sampler."""
    if args.profile is None or not name.startswith("product"):
        return None
    args.profile.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--nonblocking", "--rate", "250",
                             "--duration", str(int(seconds or args.loop)), "--format", "raw", "--output", str(args.profile / f"{name}.txt")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@contextlib.contextmanager
def phones_never_pause():
    """Keep the swarm's own garbage collector out of a measured span (its full collections of
    2,000 phones' objects took up to 300 ms, which would count as the server's latency)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def links(log: str) -> tuple[str, str, str]:
    """Return the join code, the facilitator token and the projector token the server printed."""
    return (re.search(r"/j/([A-Za-z0-9]+)", log).group(1), re.search(r"/facilitate/(\S+)", log).group(1),
            re.search(r"/screen/(\S+)", log).group(1))


async def room(server, phones_n: int, wanted: list[str], args, template) -> dict:
    """Join `phones_n` phones, then burst and closed loop for each wanted kind; return the figures."""
    code, facilitate, screen_token = links(server.log())
    phase_index = {kind: i for i, kind in enumerate(p.kind for p in template.format(FORMAT).phases)}
    table = kinds([t.id for t in template.themes], [h.id for h in template.horizons], [v.id for v in template.values])
    projector: list[tuple[float, int]] = []

    def on_screen(name, payload) -> None:
        # A full aggregate carries the atelier's seq (the floor's, the product's snapshots); a delta
        # carries its own stream's seq, so it counts for every action acked before it arrived.
        if name == "delta":
            projector.append((time.perf_counter(), None))
        elif isinstance(payload, dict) and isinstance(payload.get("seq"), int):
            projector.append((time.perf_counter(), payload["seq"]))

    async def watch(role: str, token: str, on_event=None) -> Socket:
        """Connect the projector or the console and take its snapshot, as live.js does."""
        sock = await Socket.connect(http, server.base, {"role": role, "token": token}, on_event=on_event)
        await sock.call("sync", None, timeout=60)
        return sock

    rng = random.Random(7)
    out: dict = {"kinds": {}}
    async with http_session() as http:
        screen = [await watch("screen", screen_token, on_screen)]
        console = [await watch("facilitate", facilitate)]
        out["console_reconnects"] = 0

        async def facilitator(event: str, **data) -> dict:
            payload = {"op_id": str(uuid.uuid4()), **data}
            try:
                return await console[0].call(event, payload, timeout=60)
            except (ConnectionError, aiohttp.ClientError):  # closed by a server too busy to see its pongs
                out["console_reconnects"] += 1
                console[0] = await watch("facilitate", facilitate)
                return await console[0].call(event, payload, timeout=60)

        await facilitator("settings_update", settings={"dots": 3, "max_pistes_per_participant": 200, "value_method": "points",
                                                       "value_budget": 10, "max_participants": 0})
        phones = [Phone(f"Banc{i:04d}") for i in range(phones_n)]
        meter = Meter(server.pid)
        profiler = profile(server.pid, args, f"{server.label}-{phones_n}-join", seconds=15)
        with phones_never_pause():
            out["join"] = await join_all(http, server.base, code, phones, min(phones_n, args.stampede))
        if profiler is not None:
            profiler.wait(timeout=30)
        out["join"].update(meter.read())
        live = [p for p in phones if p.socket is not None]
        out["rss_joined"] = rss_mib(server.pid)
        for kind_name in wanted:
            kind = table[kind_name]
            if kind_name == "dots" and "pistes" not in wanted[:wanted.index(kind_name)]:
                # Nothing to vote on yet: phones propose pistes first (one each, at most 500), as in an atelier.
                await facilitator("phase_goto", to=phase_index[PHASE_OF["pistes"]])
                proposed = await burst(live[:500], table["pistes"], 0, args.timeout, rng)
                if not all(sample.ok for sample in proposed):
                    raise SystemExit(f"the pistes the dot vote needs were refused: {[s.code for s in proposed if not s.ok][:3]}")
            await facilitator("phase_goto", to=phase_index[PHASE_OF[kind_name]])
            if kind_name == "engagements":
                for i, theme in enumerate(template.themes * 2):
                    await facilitator("engagement_create", theme_id=theme.id, title=f"Engagement {i + 1} : des gares aux villages")
            if kind_name in ("dots", "engagements"):
                state = (await live[0].socket.call("sync", None, timeout=60)).get("state", {})
                ids = [entry["id"] for entry in state.get("board", []) if isinstance(entry, dict) and "id" in entry]
                if not ids and server.label.startswith("product"):
                    raise SystemExit(f"{kind_name}: the phones' board is empty")
                # The floor keeps no board and acks any id.
                table["_board"]["piste_id" if kind_name == "dots" else "engagement_id"][:] = ids or list(range(1, 101))
            if screen[0].reader.done():  # closed by a server too busy to see its pongs
                out["console_reconnects"] += 1
                screen[0] = await watch("screen", screen_token, on_screen)
            await asyncio.sleep(1.0)
            received = sum(p.socket.received for p in live)
            projector.clear()
            profiler = profile(server.pid, args, f"{server.label}-{phones_n}-{kind_name}-burst", seconds=args.burst)
            meter = Meter(server.pid)
            with phones_never_pause():
                samples = await burst(live, kind, args.burst, args.timeout, rng)
                await asyncio.sleep(1.0)  # the last coalesced aggregates
            if profiler is not None:
                profiler.wait(timeout=30)
            figures = {"burst": summarise(samples, meter.read(), list(projector))}
            projector.clear()
            profiler = profile(server.pid, args, f"{server.label}-{phones_n}-{kind_name}")
            meter = Meter(server.pid)
            with phones_never_pause():
                samples, span = await closed_loop(live, kind, args.loop, args.timeout)
            if profiler is not None:
                profiler.wait(timeout=30)
            await asyncio.sleep(1.0)
            figures["loop"] = summarise(samples, meter.read(), list(projector), span)
            actions = figures["burst"]["actions"] + figures["loop"]["actions"]
            figures["to_phones_per_action"] = (sum(p.socket.received for p in live) - received) / max(1, actions)
            figures["rss"] = rss_mib(server.pid)
            out["kinds"][kind_name] = figures
            print(f"    {kind_name}: burst p95 {fmt(figures['burst']['p95'])} ms, loop {figures['loop']['per_second']:.0f}/s "
                  f"(server {figures['loop']['server_cpu_pct']:.0f} %, swarm {figures['loop']['swarm_cpu_pct']:.0f} % CPU)", flush=True)
        out["rss"] = rss_mib(server.pid)
        for phone in live:
            await phone.socket.close()
        await screen[0].close()
        await console[0].close()
    return out


def fmt(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}".replace(",", " ")


def ratio(product, floor) -> str:
    if product is None or floor is None or floor == 0:
        return ""
    return f"{product / floor:.2f}×"


def report(mode: str, phones: int, floor: dict, product: dict) -> None:
    """Print one room size of one mode: floor, product, ratio."""
    print(f"\n### {mode}, {phones} phones")
    print("| | floor | product | product/floor |\n|---|---|---|---|")
    f, p = floor["join"], product["join"]
    print(f"| join stampede ({p['phones']} at once): all joined in | {fmt(f['seconds'], 1)} s | {fmt(p['seconds'], 1)} s | "
          f"{ratio(p['seconds'], f['seconds'])} |")
    print(f"| join p50 / p95, failures | {fmt(f['p50'], 2)} / {fmt(f['p95'], 2)} s, {f['failed']} | "
          f"{fmt(p['p50'], 2)} / {fmt(p['p95'], 2)} s, {p['failed']} {p['errors'] or ''} | |")
    for kind in product["kinds"]:
        fb, pb = floor["kinds"][kind]["burst"], product["kinds"][kind]["burst"]
        fl, pl = floor["kinds"][kind]["loop"], product["kinds"][kind]["loop"]
        print(f"| **{kind}** closed loop, actions/s | {fmt(fl['per_second'])} | {fmt(pl['per_second'])} | "
              f"{ratio(pl['per_second'], fl['per_second'])} |")
        print(f"| {kind} burst ack p50 / p95 / p99, ms | {fmt(fb['p50'], 1)} / {fmt(fb['p95'], 1)} / {fmt(fb['p99'], 1)} | "
              f"{fmt(pb['p50'], 1)} / {fmt(pb['p95'], 1)} / {fmt(pb['p99'], 1)} | {ratio(pb['p95'], fb['p95'])} (p95) |")
        print(f"| {kind} burst action→projector p95, ms | {fmt(fb['projector_p95'])} | {fmt(pb['projector_p95'])} "
              f"({pb['projector_unseen']} unseen) | {ratio(pb['projector_p95'], fb['projector_p95'])} |")
        print(f"| {kind} burst acks > 2 s / > 8 s, errors | {fb['late_2s']} / {fb['late_8s']}, {sum(fb['errors'].values())} | "
              f"{pb['late_2s']} / {pb['late_8s']}, {sum(pb['errors'].values())} {pb['errors'] or ''} | |")
        print(f"| {kind} server CPU per action, ms (burst / loop) | {fmt(fb['cpu_ms'], 2)} / {fmt(fl['cpu_ms'], 2)} | "
              f"{fmt(pb['cpu_ms'], 2)} / {fmt(pl['cpu_ms'], 2)} | {ratio(pl['cpu_ms'], fl['cpu_ms'])} (loop) |")
        print(f"| {kind} loop: server / swarm CPU %, loop errors | {fmt(fl['server_cpu_pct'])} / {fmt(fl['swarm_cpu_pct'])}, "
              f"{sum(fl['errors'].values())} | {fmt(pl['server_cpu_pct'])} / {fmt(pl['swarm_cpu_pct'])}, "
              f"{sum(pl['errors'].values())} {pl['errors'] or ''} | |")
        print(f"| {kind} messages pushed to phones per action | {fmt(floor['kinds'][kind]['to_phones_per_action'], 2)} | "
              f"{fmt(product['kinds'][kind]['to_phones_per_action'], 2)} | |")
    if floor.get("console_reconnects") or product.get("console_reconnects"):
        print(f"| console and projector connections closed by the server (reconnected) | {floor.get('console_reconnects', 0)} | "
              f"{product.get('console_reconnects', 0)} | |")
    print(f"| server RSS, MiB (phones joined → end) | {fmt(floor['rss_joined'])} → {fmt(floor['rss'])} | "
          f"{fmt(product['rss_joined'])} → {fmt(product['rss'])} | {ratio(product['rss'], floor['rss'])} |")


def targets(results: dict) -> None:
    """Print the issue's targets against what was measured (the largest room of each mode)."""
    for mode, rooms in results.items():
        sizes = sorted(int(n) for n in rooms)
        big, small = str(sizes[-1]), str(sizes[0])
        product, floor = rooms[big]["product"], rooms[big]["floor"]
        print(f"\n### targets, {mode} ({big} phones{'' if big == '2000' else ' — the targets speak of 2,000'})")
        for kind, fig in product["kinds"].items():
            b, loop = fig["burst"], fig["loop"]
            share = loop["per_second"] / floor["kinds"][kind]["loop"]["per_second"] if floor["kinds"][kind]["loop"]["per_second"] else 0
            growth = (loop["cpu_ms"] / rooms[small]["product"]["kinds"][kind]["loop"]["cpu_ms"]
                      if len(sizes) > 1 and loop["cpu_ms"] and rooms[small]["product"]["kinds"][kind]["loop"]["cpu_ms"] else None)
            checks = [
                ("0 errors, 0 acks > 2 s in the burst", not b["errors"] and b["late_2s"] == 0, f"{sum(b['errors'].values())} errors, {b['late_2s']} late"),
                ("burst ack p95 ≤ 100 ms", (b["p95"] or 1e9) <= 100, f"{fmt(b['p95'])} ms"),
                ("closed loop ≥ 0.25× the floor", share >= 0.25, f"{share:.2f}×"),
                ("action→projector p95 ≤ 400 ms", (b["projector_p95"] or 1e9) <= 400, f"{fmt(b['projector_p95'])} ms"),
            ]
            if growth is not None:
                # The floor's own growth, measured minutes apart as the product's: this machine's speed
                # drifts by a third between runs, and the floor shows how much of the growth is that.
                floors = [rooms[size]["floor"]["kinds"][kind]["loop"]["cpu_ms"] for size in (big, small)]
                drift = f"; the floor's own: {floors[0] / floors[1]:.2f}×" if all(floors) else ""
                checks.append((f"CPU per action ≤ 1.2× that at {small}", growth <= 1.2, f"{growth:.2f}×{drift}"))
            print(f"- {kind}: " + "; ".join(f"{'✓' if good else '✗'} {name} ({value})" for name, good, value in checks))
        # Every room of 1,000 phones or more started with a stampede of 1,000: each one counts.
        stampedes = [(size, rooms[str(size)]["product"]["join"]) for size in sizes
                     if rooms[str(size)]["product"]["join"]["phones"] >= 1000]
        if stampedes:
            good = all(join["seconds"] <= 5 and join["failed"] == 0 for _size, join in stampedes)
            runs = "; ".join(f"{fmt(join['seconds'], 1)} s, {join['failed']} failed, in the room of {size}" for size, join in stampedes)
            print(f"- join stampede of 1000: {'✓' if good else '✗'} all joined in ≤ 5 s, 0 failures ({runs})")
        megabytes = product["rss"] * 2**20 / 1e6  # the target is in MB (10⁶ bytes), RSS is printed in MiB
        print(f"- RSS: {'✓' if megabytes <= 300 else '✗'} ≤ 300 MB ({fmt(megabytes)} MB, {fmt(product['rss'])} MiB)")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    return (f"{os.cpu_count()} cores ({model}), Python {sys.version.split()[0]}, somaxconn "
            f"{Path('/proc/sys/net/core/somaxconn').read_text().strip()}, load average {os.getloadavg()[0]:.2f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="250, 1,000 and 2,000 phones in gevent and eventlet")
    parser.add_argument("--phones", type=int, nargs="+", help="room sizes (default 250)")
    parser.add_argument("--modes", nargs="+", choices=("gevent", "eventlet", "threading"), help="servers (default: the product's default)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--burst", type=float, default=10, help="seconds over which each phone acts once")
    parser.add_argument("--loop", type=float, default=5, help="seconds of closed loop per kind")
    parser.add_argument("--stampede", type=int, default=1000, help="phones that join at the same moment")
    parser.add_argument("--timeout", type=float, default=30, help="seconds an ack may take before it counts as lost")
    parser.add_argument("--only", choices=("floor", "product"), help="run one side only (no ratios)")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--profile", type=Path, help="sample the product with py-spy during the stampede, each burst and each closed loop into this folder")
    args = parser.parse_args(argv)
    sizes = args.phones or ([250, 1000, 2000] if args.full else [250])
    modes = args.modes or (["gevent", "eventlet"] if args.full else [DEFAULT_ASYNC_MODE])
    cores = sorted(os.sched_getaffinity(0))
    server_cores, swarm_cores = ({cores[0]}, set(cores[1:])) if len(cores) > 1 else (None, None)
    if swarm_cores:
        os.sched_setaffinity(0, swarm_cores)
    template = load_catalog(ROOT / "sessions", ROOT / "personas").templates[TEMPLATE]
    print(f"machine: {machine()}; server on core {server_cores or 'any'}, phones on core {swarm_cores or 'any'}")
    results: dict = {}
    for mode in modes:
        for n in sizes:
            print(f"\n== {mode}, {n} phones (load average {os.getloadavg()[0]:.2f})", flush=True)
            pair = {}
            for side in ("floor", "product"):
                if args.only and side != args.only:
                    continue
                script = ROOT / "scripts" / "bench_floor.py" if side == "floor" else local_server.ENTRY_POINT
                instance = Path(tempfile.mkdtemp(prefix=f"fabrique-bench-{side}-"))
                print(f"  {side}", flush=True)
                with local_server.start(instance, PRODUCT_SETTINGS if side == "product" else {}, mode=mode, script=script,
                                        cpus=server_cores) as server:
                    server.label = f"{side}-{mode}"
                    pair[side] = asyncio.run(room(server, n, args.kinds, args, template))
                pair[side]["load"] = os.getloadavg()[0]
            results.setdefault(mode, {})[str(n)] = pair
            if len(pair) == 2:
                report(mode, n, pair["floor"], pair["product"])
    if not args.only:
        targets(results)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
