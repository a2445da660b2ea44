"""`flask purge` runs in its own process while the server keeps each atelier in memory: the server
must stop showing purged names and texts (the purge moves every touched atelier's `seq` on, and a
server that sees a `seq` it did not make rebuilds from the database)."""

from sqlalchemy import select

from fabrique import readmodel
from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.events import broadcaster
from fabrique.extensions import db
from fabrique.models import Atelier, Piste
from tests.factories import Console, Phone, PHASES, op

PSEUDONYM = "Zoé Purgeable"
TEMPLATE = "la-fabrique-amp-2017"


def servers(make_app, tmp_path):
    """Return (the command line's app, the running server's app) on one database file."""
    url = f"sqlite:///{tmp_path / 'purge.sqlite3'}"
    command_line = make_app(url)
    return command_line, make_app(url)  # the server last: the Socket.IO test clients bind to it


def purge(command_line, *args) -> None:
    with command_line.app_context():
        result = command_line.test_cli_runner().invoke(args=["purge", *args])
        assert result.exit_code == 0, result.output
        db.session.remove()


def test_a_running_server_forgets_purged_names_at_the_next_snapshot(make_app, tmp_path):
    command_line, server = servers(make_app, tmp_path)
    with server.app_context():
        atelier = create_atelier(TEMPLATE, "Atelier à purger")
        console, phone = Console(server, atelier), Phone(server, atelier, PSEUDONYM)
        assert console.act("phase_goto", to=PHASES["pistes"])["ok"]
        assert phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Des navettes fluviales", hashtags=[])["ok"]
        assert [p["pseudonym"] for p in console.sync()["participants"]] == [PSEUDONYM]

        purge(command_line, "--atelier", str(atelier.id), "--keep-synthesis")

        shown = console.sync()
        assert [p["pseudonym"] for p in shown["participants"]] == ["Participant 1"]
        assert PSEUDONYM not in str(shown)
        assert "Des navettes fluviales" in str(shown)  # what the synthesis keeps stays
        # The projector and console deltas, sent from memory, follow the rebuilt model too.
        readmodel.model_for(atelier.id)  # loaded (stale or not) as a running server holds it
        broadcaster.mark_dirty(atelier.id)
        broadcaster.flush()
        deltas = [m["args"][0] for m in console.sio.get_received() if m["name"] == "delta"]
        assert deltas and PSEUDONYM not in str(deltas[-1])


def test_purging_an_atelier_moves_the_other_ateliers_of_its_demarche_on(make_app, tmp_path):
    command_line, server = servers(make_app, tmp_path)
    with server.app_context():
        demarche_id = new_demarche("Démarche", TEMPLATE)
        first = create_atelier(TEMPLATE, "Premier", demarche_id=demarche_id)
        later = create_atelier(TEMPLATE, "Suivant", demarche_id=demarche_id)
        first_console, later_console = Console(server, first), Console(server, later)
        assert first_console.act("phase_goto", to=PHASES["pistes"])["ok"]
        phone = Phone(server, first, PSEUDONYM)
        assert phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Une piste reprise ensuite", hashtags=[])["ok"]
        assert later_console.act("carry_over", op_id=op(), from_atelier_id=first.id)["ok"]
        seq = db.session.scalar(select(Atelier.seq).where(Atelier.id == later.id))
        copy = readmodel.model_for(later.id).rows("piste")[0]
        assert copy["origin_atelier_id"] == first.id

        purge(command_line, "--atelier", str(first.id))

        db.session.expire_all()
        assert db.session.scalar(select(Atelier.seq).where(Atelier.id == later.id)) == seq + 1
        assert db.session.scalar(select(Piste.origin_atelier_id).where(Piste.atelier_id == later.id)) is None
        later_console.sync()  # the snapshot notices the new seq and rebuilds
        assert readmodel.model_for(later.id).rows("piste")[0]["origin_atelier_id"] is None
