"""A whole atelier of the La Fabrique template in a real browser: a facilitator on a laptop, the
projector, and three phones, each in its own browser context."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, PROJECTOR, page_errors, shoot

pytestmark = pytest.mark.e2e

HOSTILE = "<script>window.pwned=1</script><img src=x onerror=window.pwned=1> 🚲"
THEMES = ["vivre-mieux", "vivre-monde", "vivre-ensemble", "art-de-vivre"]


def boot(page) -> dict:
    return json.loads(page.locator("#boot").text_content())


def create_atelier(contexts, live_server, name="Atelier de bout en bout"):
    """Create an atelier through the home page's form; return the facilitator's page."""
    page = contexts(**LAPTOP).new_page()
    page.goto(live_server + "/")
    page.get_by_label("Nom de l'atelier").fill(name)
    expect(page.get_by_label("Déroulé")).to_have_value("atelier-complet")  # the template's default format
    page.get_by_label("Gommettes par personne (vote sur les pistes de projet)").fill("3")
    page.get_by_role("button", name="Créer l'atelier").click()
    expect(page).to_have_url(re.compile(r"/facilitate/"))
    return page


def join(contexts, join_url: str, pseudonym: str):
    """Scan the QR code (open its link) on a new phone and join under a pseudonym."""
    phone = contexts(**PHONE).new_page()
    phone.goto(join_url)
    phone.get_by_label("Pseudonyme").fill(pseudonym)
    phone.get_by_role("button", name="Entrer dans l'atelier").click()
    expect(phone.locator("#connection")).to_have_text("Connecté")
    return phone


def next_phase(facilitator, phones, title: str) -> None:
    facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()
    for phone in phones:
        expect(phone.locator("#phase-title")).to_have_text(title)


def phase_titles(facilitator) -> list[str]:
    return [p["title"] for p in boot(facilitator)["state"]["stage"]["phases"]]


def saved(phone) -> None:
    expect(phone.get_by_text("Enregistré ✓").first).to_be_visible()


def test_a_whole_atelier_with_a_projector_and_three_phones(contexts, live_server):
    facilitator = create_atelier(contexts, live_server)
    errors = page_errors(facilitator)
    state = boot(facilitator)["state"]
    titles = phase_titles(facilitator)
    projector = contexts(**PROJECTOR).new_page()
    errors += page_errors(projector)
    projector.goto(live_server + state["links"]["screen"])
    code = state["atelier"]["join_code"]
    expect(projector.get_by_text(code).first).to_be_visible()
    expect(projector.get_by_role("img", name="QR code pour rejoindre l'atelier")).to_be_visible()
    shoot(projector, "projector-0-join-empty")

    phones = [join(contexts, state["links"]["join"], name) for name in ("Ana", "Bob", "Chloé")]
    for phone in phones:
        errors += page_errors(phone)
    expect(projector.locator(".join-count")).to_contain_text("3")
    personas = {phone.locator(".persona-card h2").first.text_content() for phone in phones}
    assert len(personas) == 3, "balanced assignment gives three different personas"
    shoot(projector, "projector-0-join")
    shoot(phones[0], "phone-0-accueil")

    # Personas, then paradoxes: each phone marks the first paradox.
    next_phase(facilitator, phones, titles[1])
    next_phase(facilitator, phones, titles[2])
    for phone in phones:
        phone.get_by_role("button", name="Compte pour mon habitant").first.click()
        saved(phone)
    expect(projector.locator("h1")).to_have_text(titles[2])
    expect(projector.locator("main")).to_contain_text("3")
    shoot(projector, "projector-2-paradoxes")
    shoot(phones[0], "phone-2-paradoxes")

    # Valeurs: everyone gives 3 points to Innovation; the projector's bar shows 9 points.
    next_phase(facilitator, phones, titles[3])
    for phone in phones:
        for _ in range(3):
            phone.get_by_role("button", name="Ajouter un point à Innovation").click()
        saved(phone)  # placed points save themselves
    expect(projector.get_by_label(re.compile(r"Innovation.*9 points"))).to_be_visible()
    shoot(projector, "projector-3-valeurs")
    shoot(phones[0], "phone-3-valeurs")

    # Rêves.
    next_phase(facilitator, phones, titles[4])
    phones[1].get_by_label("Mon rêve").fill("En 2040, la Métropole respire : on va à la mer en tram.")
    phones[1].get_by_role("button", name="Partager ce rêve").click()
    saved(phones[1])
    expect(projector.get_by_text("on va à la mer en tram")).to_be_visible()

    # Pistes: one per Vivre across the room.
    next_phase(facilitator, phones, titles[5])
    texts = {}
    for i, (theme, label) in enumerate([("vivre-mieux", "Vivre Mieux"), ("vivre-monde", "Vivre Monde"),
                                        ("vivre-ensemble", "Vivre Ensemble"), ("art-de-vivre", "Art de Vivre")]):
        phone = phones[i % 3]
        texts[theme] = f"Piste {label} proposée par le téléphone {i % 3 + 1}"
        phone.locator("label.theme-option", has_text=label).click()
        phone.get_by_label("Ma piste de projet").fill(texts[theme])
        phone.get_by_role("button", name="Proposer cette piste").click()
        saved(phone)
        expect(phone.get_by_text(texts[theme])).to_be_visible()
    for theme, text in texts.items():
        expect(projector.get_by_text(text)).to_be_visible()
    shoot(projector, "projector-5-pistes")
    shoot(phones[0], "phone-5-pistes")

    # Dot vote: everyone supports the Vivre Monde piste; Ana and Bob also the Vivre Mieux one.
    next_phase(facilitator, phones, titles[6])
    for i, phone in enumerate(phones):
        card = phone.locator("li.piste", has_text=texts["vivre-monde"])
        card.get_by_role("button", name=re.compile("Placer une gommette")).click()
        saved(phone)
        if i < 2:
            phone.locator("li.piste", has_text=texts["vivre-mieux"]).get_by_role("button", name=re.compile("Placer une gommette")).click()
            saved(phone)
    expect(phones[0].locator("#counter")).to_have_text("Il vous reste 1 gommette sur 3")
    top = projector.locator("main")
    expect(top).to_contain_text(texts["vivre-monde"])
    expect(projector.locator("li", has_text=texts["vivre-monde"]).first).to_contain_text("3")
    expect(projector.locator("li", has_text=texts["vivre-mieux"]).first).to_contain_text("2")
    shoot(projector, "projector-6-vote")
    shoot(phones[0], "phone-6-vote")
    shoot(facilitator, "facilitator-6-vote")

    next_phase(facilitator, phones, titles[7])
    next_phase(facilitator, phones, titles[8])
    expect(phones[2].get_by_text("Merci pour votre participation !")).to_be_visible()
    shoot(projector, "projector-8-cloture")
    assert [e for e in errors if "favicon" not in e] == []


def test_a_phone_offline_while_writing_delivers_its_piste_once(contexts, live_server):
    facilitator = create_atelier(contexts, live_server, name="Atelier hors ligne")
    state = boot(facilitator)["state"]
    facilitator.get_by_role("button", name=re.compile(phase_titles(facilitator)[5])).click()
    phone = join(contexts, state["links"]["join"], "Nomade")
    expect(phone.locator("#phase-title")).to_have_text(phase_titles(facilitator)[5])

    phone.context.set_offline(True)
    expect(phone.locator("#connection")).to_have_text("Hors ligne")
    text = "Une piste écrite dans le tunnel, sans réseau"
    phone.get_by_label("Ma piste de projet").fill(text)
    phone.get_by_role("button", name="Proposer cette piste").click()
    expect(phone.get_by_text("Hors ligne : ce sera envoyé dès le retour de la connexion.").first).to_be_visible()
    expect(phone.get_by_label("Ma piste de projet")).to_have_value(text)  # what was typed is kept
    shoot(phone, "phone-offline")

    phone.context.set_offline(False)
    expect(phone.locator("#connection")).to_have_text("Connecté")
    saved(phone)
    expect(phone.get_by_text("Mes pistes de projet (1)")).to_be_visible()
    # The join was answered with the app itself; the history holds the app's own address, so a
    # reload opens it again rather than posting the join form a second time.
    assert re.search(r"/participant/[A-Z0-9]+$", phone.url), phone.url
    loads = []
    phone.on("request", lambda request: loads.append(request.method) if request.is_navigation_request() else None)
    phone.reload()
    expect(phone.get_by_text("Mes pistes de projet (1)")).to_be_visible()
    assert loads == ["GET"], loads
    expect(facilitator.locator("main")).to_contain_text(text)
    fresh = facilitator.context.new_page()
    fresh.goto(facilitator.url)
    assert [p["text"] for p in boot(fresh)["state"]["moderation"]] == [text]


def test_hostile_text_is_shown_escaped_or_refused(contexts, live_server):
    facilitator = create_atelier(contexts, live_server, name="Atelier <b>piégé</b>")
    state = boot(facilitator)["state"]
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(live_server + state["links"]["screen"])
    facilitator.get_by_role("button", name=re.compile(phase_titles(facilitator)[5])).click()
    phone = join(contexts, state["links"]["join"], "<i>Mallory</i>")

    phone.get_by_label("Ma piste de projet").fill("x" * 5000)
    phone.get_by_role("button", name="Proposer cette piste").click()
    expect(phone.locator("#piste-form").get_by_text("La piste de projet est trop longue : 500 caractères au plus.")).to_be_visible()

    phone.get_by_label("Ma piste de projet").fill(HOSTILE)
    phone.get_by_role("button", name="Proposer cette piste").click()
    saved(phone)
    for page in (projector, facilitator, phone):
        expect(page.get_by_text(HOSTILE).first).to_be_visible()
        assert page.evaluate("window.pwned") is None
        assert page.locator("main img[src='x']").count() == 0
    expect(projector.get_by_text("Atelier <b>piégé</b>").first).to_be_visible()
    shoot(projector, "projector-hostile")


def test_convergence_on_the_projector_then_a_codev_review_reaches_the_next_export(contexts, live_server):
    facilitator = create_atelier(contexts, live_server, name="Atelier convergence")
    state = boot(facilitator)["state"]
    titles = phase_titles(facilitator)
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(live_server + state["links"]["screen"])
    facilitator.get_by_role("button", name=re.compile(titles[5])).click()
    phone = join(contexts, state["links"]["join"], "Camille")
    expect(phone.locator("#phase-title")).to_have_text(titles[5])
    piste = "Des parkings relais aux portes de chaque ville"
    phone.get_by_label("Ma piste de projet").fill(piste)
    phone.get_by_role("button", name="Proposer cette piste").click()
    saved(phone)

    facilitator.get_by_role("button", name=re.compile(titles[7])).click()
    expect(phone.locator("#phase-title")).to_have_text(titles[7])
    column = facilitator.locator(".fc-conv-col", has_text="Vivre Mieux").first
    column.get_by_label(piste).check()
    column.get_by_label("Titre").fill("Démultiplions les alternatives à la voiture en solo")
    column.get_by_label("Pour … (le bénéfice pour l'habitant)").fill("Pour réduire les embouteillages")
    column.get_by_role("button", name=re.compile("Créer l'engagement")).click()
    expect(projector.get_by_text("Démultiplions les alternatives à la voiture en solo")).to_be_visible()
    expect(projector.get_by_text("Pour réduire les embouteillages")).to_be_visible()
    phone.get_by_role("button", name="Soutenir cet engagement").click()
    saved(phone)
    shoot(projector, "projector-7-convergence")
    shoot(facilitator, "facilitator-7-convergence")
    shoot(phone, "phone-7-convergence")

    reviewer = contexts(**LAPTOP).new_page()
    reviewer.goto(live_server + state["links"]["review"])
    article = reviewer.locator("article.engagement", has_text="Démultiplions les alternatives")
    article.get_by_label("À amender").check()
    article.get_by_label("Commentaire (facultatif)").fill("Préciser le calendrier des parkings relais.")
    article.get_by_label("Votre nom ou pseudonyme").fill("Gérard, CODEV")
    article.get_by_role("button", name="Envoyer mon avis").click()
    expect(reviewer.get_by_text("Merci : votre avis est enregistré.")).to_be_visible()
    shoot(reviewer, "review-page")
    export = reviewer.request.get(live_server + state["links"]["review"] + ".json").json()
    assert "Préciser le calendrier des parkings relais." in json.dumps(export, ensure_ascii=False)
    expect(facilitator.locator("main")).to_contain_text("Gérard, CODEV")
