"""One log line per refused action and per error, naming the atelier and never what was typed."""

import logging

import pytest

from tests.factories import HOSTILE, Console, Phone, new_atelier


@pytest.fixture
def room(app):
    atelier = new_atelier()
    return atelier, Console(app, atelier), Phone(app, atelier, "Léa Secrète")


def lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "fabrique"]


def test_a_refused_action_is_one_line_with_the_atelier_and_no_text(room, caplog):
    atelier, _console, phone = room
    caplog.set_level(logging.INFO, logger="fabrique")
    answer = phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=HOSTILE + " Piste secrète", hashtags=[])
    assert not answer["ok"]  # the atelier is still at its welcome: no piste yet
    assert lines(caplog) == [f"refused atelier={atelier.id} action=piste_add actor=participant code=phase"]


def test_a_socket_error_answers_the_phone_and_logs_one_line_without_the_message(room, caplog, monkeypatch):
    atelier, console, phone = room
    console.goto("pistes")
    import fabrique.actions.contributions as contributions

    def broken(*_args, **_kwargs):
        raise RuntimeError("Léa Secrète a écrit ceci")

    monkeypatch.setattr(contributions, "clean", broken)
    caplog.set_level(logging.INFO, logger="fabrique")
    answer = phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Une piste", hashtags=[])
    assert answer == {"ok": False, "error": "Erreur du serveur : réessayez dans un instant.", "code": "error"}
    [line] = lines(caplog)
    assert line.startswith(f"error atelier={atelier.id} type=RuntimeError where=") and "action=piste_add" in line
    assert "Léa" not in caplog.text and "écrit" not in caplog.text


def test_a_page_error_is_one_line_with_the_atelier_and_no_secret(app, client, caplog, monkeypatch):
    atelier = new_atelier()
    import fabrique.views.synthesis as synthesis

    monkeypatch.setattr(synthesis, "_made", lambda *_: (_ for _ in ()).throw(ValueError("texte privé")))
    caplog.set_level(logging.INFO, logger="fabrique")
    response = client.get(f"/synthese/{atelier.review_token}")
    assert response.status_code == 500
    [line] = lines(caplog)
    assert line.startswith(f"error atelier={atelier.id} type=ValueError") and "action=synthesis.page" in line
    assert "privé" not in caplog.text and atelier.review_token not in caplog.text
