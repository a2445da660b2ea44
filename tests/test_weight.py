"""The phone's first visit, measured as the compressed bytes the server sends."""

import gzip

from sqlalchemy import select

from fabrique.extensions import db
from fabrique.models import Participant

from fabrique.weight import BUDGET, first_visit
from tests.factories import new_atelier

TEXT = ("text/", "application/javascript", "application/json")


def fetch_with(client):
    def fetch(url):
        response = client.get(url.replace("http://localhost", ""), headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200, url
        sent = response.get_data()
        response.close()
        body = None
        if response.mimetype.startswith(TEXT):
            encoding = response.headers.get("Content-Encoding")
            if encoding == "br":
                import brotli

                body = brotli.decompress(sent).decode()
            elif encoding == "gzip":
                body = gzip.decompress(sent).decode()
            else:
                body = sent.decode()
        return len(sent), body
    return fetch


def test_the_phone_first_visit_is_compressed_and_under_budget(client):
    atelier = new_atelier()
    client.post(f"/j/{atelier.join_code}", data={"pseudonym": "Léa"})
    persona = db.session.scalar(select(Participant.persona_id).where(Participant.atelier_id == atelier.id))
    sizes = first_visit(fetch_with(client), f"http://localhost/participant/{atelier.join_code}",
                        extra=[f"http://localhost/personas/{persona}.svg"])  # the persona card's portrait
    assert any("/js/participant.js" in url for url in sizes)
    assert any("/js/phone/vote.js" in url for url in sizes)  # the phase modules are counted too
    assert sum(sizes.values()) <= BUDGET, sizes


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    atelier = new_atelier()
    client.post(f"/j/{atelier.join_code}", data={"pseudonym": "Léa"})
    page = client.get(f"/participant/{atelier.join_code}", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.get_data()).decode()
    script = next(part.split('"')[0] for part in html.split('src="')[1:] if "participant.js" in part)
    assert script.startswith("/s/")
    response = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
    assert response.headers["Content-Encoding"] == "gzip"
