"""A phone's first request for its state: answered in a word while its page is current, in full
once the atelier moved on between the page and its connection."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, page_errors
from tests.e2e.test_atelier import boot, create_atelier, phase_titles

# The Socket.IO client made to wait before it connects, until the test lets it.
HOLD_CONNECTIONS = """(() => {
  let io;
  window.heldSockets = [];
  Object.defineProperty(window, "io", { configurable: true, set(value) { io = value; }, get() {
    return io && function (options) {
      const socket = io(Object.assign({}, options, { autoConnect: false }));
      window.heldSockets.push(socket);
      return socket;
    };
  } });
})();"""


def test_a_phone_keeps_the_state_its_page_brought_unless_the_atelier_moved_on_before_it_connected(contexts, live_server):
    facilitator = create_atelier(contexts, live_server, name="Atelier de la première demande")
    state, titles = boot(facilitator)["state"], phase_titles(facilitator)
    phone = contexts(**PHONE).new_page()
    errors = page_errors(phone)
    answers = []
    phone.on("websocket", lambda ws: ws.on("framereceived", lambda frame: answers.append(frame)))
    phone.goto(state["links"]["join"])
    phone.get_by_label("Pseudonyme").fill("Ana")
    phone.get_by_role("button", name="Entrer dans l'atelier").click()
    expect(phone.locator("#connection")).to_have_text("Connecté")
    expect(phone.locator("#phase-title")).to_have_text(titles[0])
    expect(phone.locator(".persona-card h2").first).not_to_be_empty()
    # The page brought the state; the first answer only says it is still the atelier's.
    assert any('"current":true' in str(frame) for frame in answers), answers
    assert not any('"state":' in str(frame) for frame in answers), answers

    # The page is loaded again but its connection waits, while the facilitator moves on.
    phone.add_init_script(HOLD_CONNECTIONS)
    phone.reload()
    expect(phone.locator("#phase-title")).to_have_text(titles[0])
    facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()
    expect(facilitator.get_by_role("heading", name="Résultats : " + titles[1])).to_be_visible()
    expect(phone.locator("#phase-title")).to_have_text(titles[0])
    answers.clear()
    phone.evaluate("() => window.heldSockets.forEach((socket) => socket.connect())")
    # Connected at last, the phone is told the whole state: the phase it missed.
    expect(phone.locator("#connection")).to_have_text("Connecté", timeout=15_000)
    expect(phone.locator("#phase-title")).to_have_text(titles[1])
    assert any('"state":' in str(frame) for frame in answers), answers
    assert errors == []
