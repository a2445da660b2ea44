"""Nothing dropped in silence: a piste written offline, refused on reconnect because the phase
has closed meanwhile, stays on the phone with the reason and the text."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import page_errors, shoot
from tests.e2e.test_atelier import boot, create_atelier, join, phase_titles

pytestmark = pytest.mark.e2e


def test_a_piste_refused_after_an_outage_stays_visible_with_its_reason(contexts, live_server):
    facilitator = create_atelier(contexts, live_server, name="Atelier coupé")
    titles = phase_titles(facilitator)
    facilitator.get_by_role("button", name=re.compile(titles[5])).click()
    phone = join(contexts, boot(facilitator)["state"]["links"]["join"], "Tunnel")
    errors = page_errors(phone)
    expect(phone.locator("#phase-title")).to_have_text(titles[5])

    phone.context.set_offline(True)
    expect(phone.locator("#connection")).to_have_text("Hors ligne")
    text = "Une piste écrite sous le tunnel, pendant que la phase se ferme"
    phone.get_by_label("Ma piste de projet").fill(text)
    phone.get_by_role("button", name="Proposer cette piste").click()
    expect(phone.get_by_text("Hors ligne : ce sera envoyé dès le retour de la connexion.").first).to_be_visible()
    facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()  # the vote starts meanwhile

    phone.context.set_offline(False)
    expect(phone.locator("#connection")).to_have_text("Connecté")
    refused = phone.locator("#refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Non enregistré")
    expect(refused.locator(".refused-text")).to_have_text(text)
    expect(refused.locator(".refused-reason")).not_to_be_empty()
    shoot(phone, "phone-refused-after-outage")
    phone.reload()  # still there after a reload: the person may copy it later
    expect(phone.locator("#refused .refused-text")).to_have_text(text)
    phone.get_by_role("button", name="J'ai noté, retirer ce message").click()
    expect(phone.locator("#refused")).to_have_count(0)
    fresh = facilitator.context.new_page()
    fresh.goto(facilitator.url)
    assert text not in [p["text"] for p in boot(fresh)["state"]["moderation"]]  # refused means not stored
    assert [e for e in errors if "favicon" not in e] == []
