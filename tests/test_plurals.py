"""Refusals that give a count say it in the singular or the plural, in French and in English."""

from __future__ import annotations

import io

import docx
import pytest

from fabrique import catalog
from fabrique.extensions import db
from fabrique.synthesis import exports
from fabrique.synthesis.editable import _review_counts
from tests.factories import Console, Phone, new_atelier
from tests.test_sockets import a_piste


@pytest.mark.parametrize(("dots", "language", "refusal"), [
    (1, "fr", "Vous avez placé votre gommette : retirez-la pour la déplacer."),
    (3, "fr", "Vous avez placé vos 3 gommettes : retirez-en une pour la déplacer."),
    (1, "en", "You have placed your dot: remove it to move it."),
    (3, "en", "You have placed your 3 dots: remove one to move it."),
])
def test_the_dots_refusal_agrees_with_the_number_of_dots(app, dots, language, refusal):
    atelier = new_atelier()
    atelier.settings = {**atelier.settings, "dots": dots}
    db.session.commit()
    console, phone = Console(app, atelier), Phone(app, atelier, "Léa", language=language)
    pistes = [a_piste(phone, console, text=f"Une navette électrique numéro {n} entre les villages") for n in range(dots + 1)]
    console.goto("vote")
    for piste_id in pistes[:dots]:
        assert phone.act("support_add", piste_id=piste_id)["ok"]
    assert phone.act("support_add", piste_id=pistes[dots]) == {"ok": False, "error": refusal, "code": "budget"}


def test_a_one_paradox_budget_speaks_of_one_paradox(app):
    atelier = new_atelier()
    atelier.settings = {**atelier.settings, "paradox_choices": 1}
    db.session.commit()
    console, phone = Console(app, atelier), Phone(app, atelier, "Léa")
    console.goto("paradoxes")
    paradoxes = [p.id for p in catalog().templates[atelier.template_id].paradoxes][:2]
    assert phone.act("paradox_toggle", paradox_id=paradoxes[0], chosen=True)["ok"]
    answer = phone.act("paradox_toggle", paradox_id=paradoxes[1], chosen=True)
    assert answer["error"] == "Vous avez déjà marqué 1 paradoxe : retirez-le pour en choisir un autre."


def test_the_synthesis_counts_one_hidden_piste_in_the_singular(app):
    atelier = new_atelier()
    console, phone = Console(app, atelier), Phone(app, atelier, "Léa")
    hidden = a_piste(phone, console)
    a_piste(phone, console, text="Une navette électrique entre les villages et les gares")
    assert console.act("piste_hide", piste_id=hidden, hidden=True)["ok"]
    page = app.test_client().get(f"/synthese/{atelier.review_token}").get_data(as_text=True)
    _, body = exports.produce_here(atelier.id, False, "docx")
    editable = " ".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    for text in (page, editable):
        assert "Non publiées : 1 masquée par l'animation, 0 retirée par leur auteur." in text


def test_the_editable_synthesis_counts_opinions_in_the_singular_up_to_one():
    assert _review_counts({"favorable": 0, "reserve": 2, "a_amender": 1}) == "0 favorable, 2 réservés, 1 à amender"
    assert _review_counts({"favorable": 3, "reserve": 1, "a_amender": 0}) == "3 favorables, 1 réservé, 0 à amender"

