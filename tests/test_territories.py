"""Every territory runs as data: its own residents, its own words, its own creation form."""

import lxml.html
import pytest
from sqlalchemy import select

from fabrique import catalog
from fabrique.actions.ateliers import create_atelier
from fabrique.extensions import db
from fabrique.models import Atelier, Participant
from fabrique.state import template_payload

TERRITORIES = ["metz-socle-metropolitain", "petr-coeur-de-lorraine", "pole-metropolitain-loire-bretagne"]
AMP_PERSONAS = {"agricultrice", "cheffe-entreprise", "etudiante", "retraite", "touriste-affaires", "touriste-famille",
                "jeune-actif-quartier", "navetteur-periurbain"}


@pytest.mark.parametrize("template_id", TERRITORIES)
def test_each_territory_runs_an_atelier_with_its_own_personas(app, client, template_id):
    template = catalog().templates[template_id]
    atelier = create_atelier(template_id, "Atelier de territoire")
    own = {p.id for p in catalog().personas_for(template)}
    for i in range(len(own) + 1):
        phone = app.test_client()
        college = {"college": template.colleges[0]} if template.colleges else {}
        assert phone.post(f"/j/{atelier.join_code}", data={"pseudonym": f"Habitant {i}", **college}).status_code == 200
        page = phone.get(f"/participant/{atelier.join_code}").get_data(as_text=True)
        assert "Pertuis" not in page and "Mireille" not in page
    given = set(db.session.scalars(select(Participant.persona_id).where(Participant.atelier_id == atelier.id)))
    assert given == own and not given & AMP_PERSONAS
    # The projector and the phone learn the territory's words, ready for French agreement.
    words = template_payload(template)["vocabulary"]
    assert words["theme"]["sg"] != "Vivre" and words["theme"]["les"].startswith(("les ", "l'", "la ", "le "))


def test_the_words_agree_in_gender_number_and_elision(app):
    words = template_payload(catalog().templates["pole-metropolitain-loire-bretagne"])["vocabulary"]
    assert (words["theme"]["le"], words["theme"]["ce"], words["theme"]["les"], words["theme"]["du"]) == (
        "l'axe", "cet axe", "les axes", "de l'axe")
    assert (words["engagement"]["de"], words["piste"]["ce"]) == ("d'engagement", "cette piste de coopération")
    amp = template_payload(catalog().templates["la-fabrique-amp-2017"])["vocabulary"]
    assert (amp["theme"]["pl"], amp["theme"]["ce"], amp["review_body"]["au"]) == ("Vivre", "ce Vivre", "au CODEV")


def test_a_message_speaks_the_template_words(app):
    from fabrique.vocabulary import fill, words

    text = fill("{Piste.ce} n'est pas {piste|le vôtre|la vôtre} ; {engagement|Nouveau|Nouvelle|Nouvel} {engagement.sg}",
                words(catalog().templates["metz-socle-metropolitain"]))
    assert text == "Cette piste d'action n'est pas la vôtre ; Nouvel engagement"


def test_the_creation_form_is_the_chosen_templates(client):
    page = lxml.html.fromstring(client.get("/").data)
    metz = page.xpath('//fieldset[@data-template="metz-socle-metropolitain"]')[0]
    names = {e.get("name") for e in metz.xpath(".//input | .//select")}
    # Metz has neither values nor paradoxes: no field for them; its own defaults are the values shown.
    assert names == {"metz-socle-metropolitain:persona_assignment", "metz-socle-metropolitain:dots"}
    essai = catalog().templates["la-fabrique-amp-2017"]
    amp = page.xpath('//fieldset[@data-template="la-fabrique-amp-2017"]')[0]
    assert amp.xpath('.//input[@name="la-fabrique-amp-2017:paradox_choices"]')[0].get("max") == str(len(essai.paradoxes))
    assert amp.xpath('.//input[@name="la-fabrique-amp-2017:dots"]')[0].get("value") == str(essai.settings.dots)
    about = page.xpath('//div[@data-template="petr-coeur-de-lorraine"]')[0].text_content()
    assert catalog().templates["petr-coeur-de-lorraine"].source in about


def test_the_template_settings_apply_when_the_form_does_not_override_them(client):
    client.post("/ateliers", data={"name": "Atelier PMLB", "template": "pole-metropolitain-loire-bretagne"})
    atelier = db.session.scalar(select(Atelier).where(Atelier.name == "Atelier PMLB"))
    template = catalog().templates["pole-metropolitain-loire-bretagne"]
    assert atelier.settings["dots"] == template.settings.dots
    # Another template's fields are ignored: they are not this template's settings.
    client.post("/ateliers", data={"name": "Atelier Metz", "template": "metz-socle-metropolitain",
                                   "la-fabrique-amp-2017:dots": "9"})
    metz = db.session.scalar(select(Atelier).where(Atelier.name == "Atelier Metz"))
    assert metz.settings["dots"] == catalog().templates["metz-socle-metropolitain"].settings.dots
