"""Choosing one's persona on the phone, when the facilitator lets participants choose: the card,
the header and the pressed button follow, on this device after a reload and on a second device."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, page_errors
from tests.e2e.test_atelier import boot, join


def test_a_participant_picks_another_persona_and_every_device_shows_it(contexts, live_server):
    home = contexts(**LAPTOP).new_page()
    home.goto(live_server + "/")
    home.get_by_label("Nom de l'atelier").fill("Atelier au choix des habitants")
    home.get_by_label("Habitants fictifs").first.select_option("choice")
    home.get_by_role("button", name="Créer l'atelier").click()
    expect(home).to_have_url(re.compile(r"/facilitate/"))
    state = boot(home)["state"]

    phone = join(contexts, state["links"]["join"], "Inès")
    errors = page_errors(phone)
    personas = boot(phone)["template"]["personas"]
    first = phone.locator(".persona-card h2").first.text_content()
    other = next(p for p in personas if p["name"] != first)
    phone.locator(f"#pick-{other['id']}").click()
    expect(phone.locator(".persona-card h2").first).to_have_text(other["name"])
    expect(phone.locator(f"#pick-{other['id']}")).to_have_attribute("aria-pressed", "true")
    expect(phone.locator(".phone-head .persona-chip")).to_contain_text("vous êtes " + other["name"])

    phone.reload()
    expect(phone.locator(".persona-card h2").first).to_have_text(other["name"])
    code = phone.locator(".rejoin .code").text_content().strip()
    second = contexts(**PHONE).new_page()
    second.goto(state["links"]["join"])
    second.get_by_label("Code de retour").fill(code)
    second.get_by_role("button", name="Reprendre ma place").click()
    expect(second.locator(".persona-card h2").first).to_have_text(other["name"])
    assert errors == []
