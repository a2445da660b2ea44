"""The projector and the console follow the atelier by deltas, applied by the real live.js: after a
sequence of actions in every phase, what each shows (its state and its text) is what a reload
shows; a delta that reveals a gap makes the page take a snapshot."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import requests
import socketio
from playwright.sync_api import expect

from tests.e2e.conftest import PROJECTOR, page_errors, shoot
from tests.e2e.test_screens import create
from tests.factories import PHASES

pytestmark = pytest.mark.e2e

# What legitimately differs between two reads of the same state: the server's clock.
STATE = """() => { const s = window.Fabrique.live.state();
  return JSON.stringify(s, (k, v) => k === "server_time" ? undefined : v); }"""
FRESH = """() => new Promise((resolve) => window.Fabrique.live.socket.emit("sync", (answer) =>
  resolve(JSON.stringify(answer.state, (k, v) => k === "server_time" ? undefined : v))))"""


class Client:
    """A Socket.IO client holding a participant's cookie (a phone) or a console's token."""

    def __init__(self, base: str, auth: dict, cookies: dict | None = None):
        self.sio = socketio.Client()
        header = "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())
        self.sio.connect(base, auth=auth, transports=["websocket"], headers={"Cookie": header} if header else {}, wait_timeout=10)

    def act(self, event: str, **data) -> dict:
        answer = self.sio.call(event, {"op_id": str(uuid.uuid4()), **data}, timeout=10)
        assert answer["ok"], (event, answer)
        return answer


def phone(base: str, code: str, pseudonym: str) -> Client:
    """Join as a browser does (the form's CSRF token if there is one), then connect."""
    http = requests.Session()
    page = http.get(f"{base}/j/{code}", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = http.post(f"{base}/j/{code}", data={"pseudonym": pseudonym, **({"csrf_token": token.group(1)} if token else {})},
                         allow_redirects=False, timeout=10)
    assert response.status_code == 200, response.text
    return Client(base, {"role": "participant", "code": code}, http.cookies.get_dict())


def settled(page) -> str:
    """Wait until no delta has come for 0.6 s (they come within ~0.2 s of an action), then assert
    the page's state equals a fresh snapshot of the server; return it."""
    last, still = None, 0
    for _ in range(60):
        seq = page.evaluate("() => window.Fabrique.live.state().seq")
        still, last = (still + 1 if seq == last else 0), seq
        if still >= 4:
            break
        page.wait_for_timeout(150)
    state, fresh = page.evaluate(STATE), page.evaluate(FRESH)
    assert fresh is not None, "the snapshot was refused"
    assert json.loads(state) == json.loads(fresh)
    return state


def same_after_reload(page, screen: str, name: str) -> None:
    """Assert the page shows, from its deltas, the state and the text a reload shows; keep both pictures."""
    state = settled(page)
    text = page.locator(screen).inner_text()
    shoot(page, f"deltas-{name}")
    page.reload()
    expect(page.locator(screen)).to_be_visible()
    page.wait_for_function("() => window.Fabrique.live && window.Fabrique.live.socket.connected")
    reloaded = settled(page)
    assert json.loads(reloaded) == json.loads(state)
    assert page.locator(screen).inner_text() == text
    shoot(page, f"deltas-{name}-reloaded")


def test_projector_and_console_show_after_deltas_what_a_reload_shows(contexts, live_server):
    console, boot = create(contexts, live_server, "Atelier des deltas")
    template = json.loads(console.locator("#boot").text_content())["template"]
    paradoxes, values = [p["id"] for p in template["paradoxes"]], [v["id"] for v in template["values"]]
    themes = [t["id"] for t in template["themes"]]
    horizon = template["horizons"][-1]["id"]
    code, token = boot["atelier"]["join_code"], console.url.rsplit("/", 1)[-1]
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(live_server + boot["links"]["screen"])
    errors = page_errors(console) + page_errors(projector)
    facilitator = Client(live_server, {"role": "facilitate", "token": token})
    phones = [phone(live_server, code, name) for name in ("Ana", "Bob", "Chloé")]
    try:
        facilitator.act("phase_goto", to=PHASES["paradoxes"])
        for i, p in enumerate(phones):
            p.act("paradox_toggle", paradox_id=paradoxes[0], chosen=True)
            if i:
                p.act("paradox_toggle", paradox_id=paradoxes[1], chosen=True)
        facilitator.act("phase_goto", to=PHASES["valeurs"])
        for i, p in enumerate(phones):
            p.act("values_set", points={values[0]: 4 + i, values[1]: 6 - i})
            p.act("value_word_add", value_id=values[0], word=["audace", "élan", "audace"][i])
        facilitator.act("phase_goto", to=PHASES["reves"])
        reves = [p.act("reve_add", theme_id=themes[0], text=f"En 2040, le rêve de {i} <b>gras</b>")["reve_id"]
                 for i, p in enumerate(phones)]
        facilitator.act("reve_hide", reve_id=reves[1], hidden=True)
        facilitator.act("phase_goto", to=PHASES["pistes"])
        texts = ["Des navettes entre les gares", "Des bus entre les gares", "Un festival des cultures", "Des jardins partagés"]
        pistes = [phones[i % 3].act("piste_add", theme_id=theme, horizon=horizon, text=text, hashtags=[])["piste_id"]
                  for i, (text, theme) in enumerate(zip(texts, [themes[0], themes[0], themes[1], themes[2 % len(themes)]]))]
        same_after_reload(console, "#app", "console-pistes")
        facilitator.act("phase_goto", to=PHASES["vote"])
        for p in phones:
            p.act("support_add", piste_id=pistes[0])
        phones[2].act("support_add", piste_id=pistes[1])
        phones[1].act("support_add", piste_id=pistes[2])
        facilitator.act("piste_merge", piste_id=pistes[1], into_id=pistes[0])
        facilitator.act("piste_update", piste_id=pistes[2], text="Un festival des cultures méditerranéennes")
        facilitator.act("piste_hide", piste_id=pistes[3], hidden=True)
        same_after_reload(projector, "#app", "projector-vote")
        facilitator.act("phase_goto", to=PHASES["convergence"])
        engagement = facilitator.act("engagement_create", theme_id=themes[0], title="Mieux relier les gares",
                                     piste_ids=[pistes[0]])["engagement_id"]
        facilitator.act("engagement_create", theme_id=themes[1], title="Ouvrir le territoire", piste_ids=[pistes[2]])
        for p in phones[:2]:
            p.act("engagement_support", engagement_id=engagement, supported=True)
        same_after_reload(projector, "#app", "projector-convergence")
        same_after_reload(console, "#app", "console-convergence")

        # A delta that does not follow the page's seq (one was missed): the page takes a snapshot.
        syncs = console.evaluate("""() => { const live = window.Fabrique.live, s = live.state();
            window.syncs = 0; const emit = live.socket.emit.bind(live.socket);
            live.socket.emit = (name, ...rest) => { if (name === "sync") window.syncs += 1; return emit(name, ...rest); };
            live.socket.listeners("delta")[0]({seq: s.seq + 2, base: s.seq + 1, src: s.src, set: {participation: {total: 99}}});
            return window.syncs; }""")
        assert syncs == 1
        facilitator.act("engagement_update", engagement_id=engagement, title="Relier les gares, les villages")
        expect(console.locator("#app")).to_contain_text("Relier les gares, les villages")
        assert json.loads(settled(console))["participation"]["total"] == 3
    finally:
        for client in (facilitator, *phones):
            client.sio.disconnect()
    assert [e for e in errors if "favicon" not in e] == []
