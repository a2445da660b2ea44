"""« Et après » as the facilitator writes it at clôture: typed in the console, saved (the console
says so, and keeps it after a reload), refused with its reason when too long, shown on the
projector's closing screen and in the synthesis; the démarche's review link beside it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PROJECTOR, page_errors, shoot
from tests.e2e.test_atelier import boot, phase_titles

pytestmark = pytest.mark.e2e

NEXT = ("Le Conseil de développement porte les engagements jusqu'au vote du projet, en juin.\n"
        "Prochain atelier : la convergence, le 14 mars, à la Maison de la Métropole ; chacun recevra la synthèse par courriel.")


def test_the_facilitator_writes_what_happens_next_at_cloture(contexts, live_server):
    facilitator = contexts(**LAPTOP).new_page()
    errors = page_errors(facilitator)
    facilitator.goto(live_server + "/")
    facilitator.get_by_label("Nom de l'atelier").fill("Atelier des suites")
    facilitator.get_by_label("Nouvelle démarche (facultatif)").fill("Projet de territoire")
    facilitator.get_by_role("button", name="Créer l'atelier").click()
    expect(facilitator).to_have_url(re.compile(r"/facilitate/"))
    state = boot(facilitator)["state"]
    projector = contexts(**PROJECTOR).new_page()
    errors += page_errors(projector)
    projector.goto(live_server + state["links"]["screen"])

    facilitator.get_by_role("button", name=re.compile(phase_titles(facilitator)[-1])).click()
    panel = facilitator.locator("#fc-follow")
    expect(panel).to_have_attribute("open", "")  # « Synthèse et suites » opens at clôture
    box = facilitator.get_by_label("Et après… (ce qui suit l'atelier)")
    status = facilitator.locator("#fc-after-state")
    box.fill(NEXT)
    expect(status).to_contain_text("Modifié, non enregistré")
    facilitator.get_by_role("button", name="Enregistrer « Et après »").click()
    expect(status).to_contain_text("Enregistré ✓")
    expect(projector.get_by_role("heading", name="Et après…")).to_be_visible()
    expect(projector.get_by_text("Prochain atelier : la convergence", exact=False)).to_be_visible()
    # The démarche's review link sits beside the démarche's synthesis.
    demarche_review = panel.get_by_role("link", name="Relecture de toute la démarche")
    expect(demarche_review).to_be_visible()
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(_shot("console-after-panel")))
    shoot(projector, "projector-cloture-after")

    # A text past the limit (typed around the box's own limit) is refused, with the reason, and nothing changes.
    box.evaluate("(el, n) => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(n); el.dispatchEvent(new Event('input')); }", 601)
    facilitator.get_by_role("button", name="Enregistrer « Et après »").click()
    expect(panel.get_by_role("alert")).to_contain_text("« Et après » est trop long : 601 caractères pour 600 au plus.")
    expect(status).to_contain_text("Modifié, non enregistré")

    # Saved means stored: a reload shows it again.
    facilitator.reload()
    expect(facilitator.get_by_label("Et après… (ce qui suit l'atelier)")).to_have_value(NEXT)
    expect(facilitator.locator("#fc-after-state")).to_contain_text("Enregistré ✓")

    reader = contexts(**LAPTOP).new_page()
    errors += page_errors(reader)
    reader.goto(live_server + state["links"]["review"])
    section = reader.locator("section", has=reader.get_by_role("heading", name=re.compile("La fabrique des suites")))
    expect(section).to_contain_text("Le Conseil de développement porte les engagements jusqu'au vote du projet, en juin.")
    expect(section).to_contain_text("Prochain atelier : la convergence")
    section.scroll_into_view_if_needed()
    shoot(reader, "synthesis-after")
    # The démarche's review page: the démarche's synthesis, the same text under the atelier's date and name.
    reader.goto(live_server + demarche_review.get_attribute("href"))
    expect(reader.get_by_role("heading", name=re.compile("La fabrique des suites"))).to_be_visible()
    expect(reader.locator("#et-apres").locator("xpath=ancestor::section[1]")).to_contain_text("Atelier des suites")
    shoot(reader, "demarche-review")
    assert errors == []


def _shot(name: str):
    from tests.e2e.conftest import SHOTS
    import os

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}-{os.environ.get('ASYNC_MODE', 'threading')}.png"
