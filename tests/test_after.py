"""« Et après » : the facilitator writes what happens next; it is stored once, refused with a clear
reason when it cannot be, shown to the console and the projector, and survives a restart."""

from sqlalchemy import select

from fabrique.extensions import db
from fabrique.models import AppliedAction, Atelier
from tests.factories import HOSTILE, Console, new_atelier, op

NEXT = ("Le Conseil de développement porte les 12 engagements jusqu'au vote du projet, au printemps.\n\n"
        "Prochain atelier : le 14 mars, à la Maison de la Métropole. " + HOSTILE)


def stored(atelier_id: int) -> tuple[str, int]:
    db.session.expire_all()
    atelier = db.session.get(Atelier, atelier_id)
    return atelier.after_text, atelier.seq


def test_the_facilitator_writes_what_happens_next_and_every_screen_shows_it(app):
    atelier = new_atelier()
    console, screen = Console(app, atelier), Console(app, atelier, role="screen")
    console.goto("cloture")
    answer = console.act("after_set", text="  " + NEXT.replace("Prochain", "Prochain   ") + "\n\n\n")
    assert answer["ok"] and answer["text"] == NEXT  # tidied as stored: spaces, blank lines
    assert stored(atelier.id)[0] == NEXT
    assert console.sync()["after"] == NEXT
    assert screen.sync()["after"] == NEXT


def test_a_retried_action_is_applied_once_and_answered_the_same(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    op_id = op()
    first = console.act("after_set", op_id=op_id, text="Premier texte.")
    _text, seq = stored(atelier.id)
    again = console.act("after_set", op_id=op_id, text="Un autre texte, envoyé sous le même identifiant.")
    assert again == {**first, "replayed": True}
    assert stored(atelier.id) == ("Premier texte.", seq)
    assert db.session.scalar(select(AppliedAction).where(AppliedAction.op_id == op_id)) is not None


def test_writing_the_same_text_again_changes_nothing(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    assert console.act("after_set", text="Même texte.")["ok"]
    _text, seq = stored(atelier.id)
    assert console.act("after_set", text="Même texte.")["ok"]
    assert stored(atelier.id)[1] == seq  # no new version of the synthesis for nothing


def test_too_long_or_not_text_is_refused_with_its_reason_and_nothing_changes(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    assert console.act("after_set", text="Gardé.")["ok"]
    before = stored(atelier.id)
    too_long = console.act("after_set", text="x" * 601)
    assert not too_long["ok"] and too_long["error"] == "« Et après » est trop long : 601 caractères pour 600 au plus."
    for bad in (12, None, ["liste"], {"text": "x"}):
        refused = console.act("after_set", text=bad)
        assert not refused["ok"] and refused["error"] == "« Et après » doit être un texte.", bad
    missing = console.act("after_set")
    assert not missing["ok"] and "texte" in missing["error"]
    assert stored(atelier.id) == before


def test_more_paragraphs_than_the_closing_screen_holds_are_refused(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    five = console.act("after_set", text="Un.\nDeux.\n\nTrois.\nQuatre.\nCinq.")
    assert not five["ok"] and five["error"] == "« Et après » : 4 paragraphes au plus (il doit tenir sur l'écran de clôture)."
    assert stored(atelier.id)[0] == ""
    assert console.act("after_set", text="Un.\n\nDeux.\n\nTrois.\n\nQuatre.")["ok"]  # blank lines do not count


def test_only_the_facilitator_writes_it(app):
    atelier = new_atelier()
    screen = Console(app, atelier, role="screen")
    refused = screen.act("after_set", text="Pas le projecteur.")
    assert not refused["ok"] and refused["code"] == "forbidden"
    assert stored(atelier.id)[0] == ""


def test_an_empty_text_clears_it(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    assert console.act("after_set", text=NEXT)["ok"]
    assert console.act("after_set", text="   \n ")["ok"]
    assert stored(atelier.id)[0] == "" and console.sync()["after"] == ""


def test_an_acknowledged_text_survives_a_restart(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'after.sqlite3'}"
    app = make_app(url)
    with app.app_context():
        atelier = new_atelier()
        atelier_id = atelier.id
        assert Console(app, atelier).act("after_set", text=NEXT)["ok"]
        db.session.remove()
        db.engine.dispose()
    restarted = make_app(url)
    with restarted.app_context():
        assert db.session.get(Atelier, atelier_id).after_text == NEXT
        assert Console(restarted, db.session.get(Atelier, atelier_id)).sync()["after"] == NEXT
