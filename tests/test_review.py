"""The CODEV's opinions on engagements, recorded once and seen by the facilitator."""

import pytest
from sqlalchemy import func, select

from fabrique.actions import Refused
from fabrique.actions.review import add_review
from fabrique.extensions import db
from fabrique.models import ReviewComment
from tests.factories import Console, new_atelier


@pytest.fixture
def engagement(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    engagement_id = console.act("engagement_create", theme_id="vivre-mieux", title="Démultiplions les alternatives")["engagement_id"]
    return atelier, console, engagement_id


def test_an_opinion_on_an_engagement_reaches_the_facilitator(engagement):
    atelier, console, engagement_id = engagement
    add_review(atelier.id, "form-1", "Gérard <b>G.</b>", engagement_id=str(engagement_id), opinion="a_amender",
               text="Préciser le calendrier.\nEt le budget.")
    (review,) = console.sync()["reviews"]
    assert (review["engagement_id"], review["reviewer"], review["opinion"]) == (engagement_id, "Gérard <b>G.</b>", "a_amender")
    assert review["text"] == "Préciser le calendrier.\nEt le budget."


def test_a_resubmitted_form_is_recorded_once(engagement):
    atelier, _console, engagement_id = engagement
    for _ in range(2):
        add_review(atelier.id, "form-2", "Michel", engagement_id=engagement_id, opinion="favorable")
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 1


@pytest.mark.parametrize("kwargs,message", [
    ({"reviewer": "", "opinion": "favorable"}, "Indiquez votre nom ou un pseudonyme"),
    ({"reviewer": "Ana", "opinion": "bof"}, "Choisissez un avis"),
    ({"reviewer": "Ana"}, "Donnez un avis ou écrivez un commentaire."),
    ({"reviewer": "Ana", "opinion": "reserve", "engagement_id": "999"}, "Engagement introuvable"),
    ({"reviewer": "Ana", "text": "x" * 2001}, "Le commentaire est trop long"),
])
def test_bad_reviews_are_explained_and_change_nothing(engagement, kwargs, message):
    atelier = engagement[0]
    with pytest.raises(Refused, match=message):
        add_review(atelier.id, "form-3", **kwargs)
    assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 0


def test_a_reviewer_comments_through_the_review_link_and_the_next_export_includes_it(engagement, client):
    atelier, console, engagement_id = engagement
    page = client.get(f"/synthese/{atelier.review_token}").get_data(as_text=True)
    assert f'name="engagement_id" value="{engagement_id}"' in page
    op_id = page.split('name="op_id" value="', 1)[1].split('"', 1)[0]
    response = client.post(f"/synthese/{atelier.review_token}/avis", data={
        "op_id": op_id, "engagement_id": str(engagement_id), "opinion": "reserve",
        "text": "Il manque le calendrier <script>x</script>", "reviewer": "Membre du CODEV"})
    assert response.status_code == 302 and response.location.endswith(f"#engagement-{engagement_id}")
    after = client.get(response.location.split("#")[0]).get_data(as_text=True)
    assert "Merci : votre avis est enregistré." in after
    assert "Il manque le calendrier &lt;script&gt;x&lt;/script&gt;" in after
    exported = client.get(f"/synthese/{atelier.review_token}.json").get_json()
    assert "Il manque le calendrier <script>x</script>" in str(exported)
    assert console.sync()["reviews"][0]["reviewer"] == "Membre du CODEV"


def test_a_bad_review_form_is_explained(engagement, client):
    atelier = engagement[0]
    response = client.post(f"/synthese/{atelier.review_token}/avis", data={"op_id": "x", "opinion": "favorable", "reviewer": ""},
                           follow_redirects=True)
    assert "Indiquez votre nom ou un pseudonyme" in response.get_data(as_text=True)
    assert client.post("/synthese/nope/avis", data={}).status_code == 404
