"""French by default, English available, and no interface text without its translation."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_interface_text_has_an_english_translation():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_pages_are_french_by_default_and_english_on_request(client):
    from flask_babel import refresh

    assert "Préparer un atelier" in client.get("/").get_data(as_text=True)
    refresh()  # the test's app context spans requests; Flask-Babel caches the locale in it
    client.get("/langue/en")
    english = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in english and "Préparer un atelier" not in english


def test_browser_scripts_receive_their_texts_in_the_chosen_language(client):
    from tests.factories import new_atelier

    atelier = new_atelier()
    client.get("/langue/en")
    page = client.get(f"/screen/{atelier.screen_token}").get_data(as_text=True)
    assert "Connexion perdue" in page  # the msgid, as a key…
    assert "Connection lost" in page or "connection lost" in page.lower()  # …with its English text


def test_a_participant_keeps_the_language_they_joined_in(app, client):
    from tests.factories import new_atelier

    atelier = new_atelier()
    client.get("/langue/en")
    client.post(f"/j/{atelier.join_code}", data={"pseudonym": "Sam", "language": "en"})
    client.set_cookie("fabrique_langue", "fr")
    assert '<html lang="en">' in client.get(f"/participant/{atelier.join_code}").get_data(as_text=True)


def test_a_participant_gets_refusals_in_the_language_they_joined_in(app):
    from tests.factories import Console, Phone, new_atelier

    atelier = new_atelier()
    sam = Phone(app, atelier, "Sam", language="en")
    lea = Phone(app, atelier, "Léa")
    Console(app, atelier).goto("cloture")
    piste = {"theme_id": "vivre-monde", "horizon": "2040", "text": "Un festival des cultures méditerranéennes", "hashtags": ["Culture"]}

    english = "This is not possible during the “Closing” phase."
    assert sam.act("piste_add", **piste) == {"ok": False, "error": english, "code": "phase"}
    assert lea.act("piste_add", **piste)["error"] == "Ce n'est pas possible pendant la phase « Clôture »."
    assert sam.act("piste_add", **piste)["error"] == english  # one event's language does not stay for the next
