"""Measure a phone's first visit: compressed bytes, and the time from « Entrer » to the persona card
on a throttled network (Chrome's Slow 3G figures: 400 ms round trip, 400 kbit/s each way).

    .venv/bin/python scripts/phone_weight.py            # starts its own server on a free port

Prints the compressed bytes of the bodies the browser received for the participant page and
everything it loaded — what the budget of `fabrique/weight.py` counts, as `tests/test_weight.py`
does — then the headers apart, the throttled timing, and the same for a second visit
(fingerprinted files come from cache). Exits 1 when the first visit's bodies exceed the budget.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fabrique.weight import BUDGET  # noqa: E402
from fabrique.local_server import free_port  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8, "uploadThroughput": 400 * 1024 / 8}


def serve() -> tuple[subprocess.Popen, str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "PUBLIC_URL": base,
           "FABRIQUE_INSTANCE": tempfile.mkdtemp(prefix="fabrique-weight-"), "ASYNC_MODE": os.environ.get("ASYNC_MODE", "threading")}
    server = subprocess.Popen([sys.executable, str(ROOT / "serve.py")], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=1).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("le serveur n'a pas démarré")


def visit(browser, url: str, context=None) -> tuple[tuple[int, int], float, object]:
    """Join (or reload) on a throttled phone; return ((body bytes, header bytes) received, seconds to the persona card, context)."""
    context = context or browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = []  # (compressed body, headers) of each response, as the browser counted them

    def count(request) -> None:
        sizes = request.sizes()  # one round trip to the browser per response
        received.append((max(0, sizes["responseBodySize"]), max(0, sizes["responseHeadersSize"])))

    page.on("requestfinished", count)
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    if "/j/" in url:
        page.goto(url)
        received.clear()  # the join form is not the first visit of the phone app
        page.get_by_label("Pseudonyme").fill("Léa")
        start = time.monotonic()
        page.get_by_role("button", name="Entrer dans l'atelier").click()
    else:
        start = time.monotonic()
        page.goto(url)
    page.locator(".persona-card").wait_for(timeout=60_000)
    elapsed = time.monotonic() - start
    page.wait_for_load_state("networkidle")
    return (sum(body for body, _ in received), sum(headers for _, headers in received)), elapsed, context


def main() -> int:
    server, base = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            facilitator = browser.new_page()
            facilitator.goto(base + "/")
            facilitator.get_by_label("Nom de l'atelier").fill("Mesure du poids")
            facilitator.get_by_role("button", name="Créer l'atelier").click()
            facilitator.wait_for_url("**/facilitate/**")
            code = facilitator.locator(".fc-code-value").inner_text().strip()
            first, seconds, context = visit(browser, f"{base}/j/{code}")
            again, seconds_again, _ = visit(browser, f"{base}/participant/{code}", context)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"première visite : {first[0] / 1024:.1f} Ko de contenus compressés (budget {BUDGET / 1024:.0f} Ko) "
          f"+ {first[1] / 1024:.1f} Ko d'en-têtes, « Entrer » → fiche de l'habitant en {seconds:.1f} s "
          f"(Slow 3G : 400 ms, 400 kbit/s)")
    print(f"visite suivante : {again[0] / 1024:.1f} Ko de contenus + {again[1] / 1024:.1f} Ko d'en-têtes, "
          f"fiche en {seconds_again:.1f} s")
    return 0 if first[0] <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
