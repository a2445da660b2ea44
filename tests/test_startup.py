"""Two processes starting together on one PostgreSQL database create one default atelier, not two."""

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from fabrique.config import database_url_with_driver

ROOT = Path(__file__).resolve().parent.parent

# A start-up as `serve.py` does it, with the creation slowed down so that both processes look for
# an atelier before either has created one (the moment a real start can hit by chance).
START = """
import os, sys, time
import fabrique.actions.ateliers as ateliers
from fabrique import create_app
slow, original = float(os.environ["SLOW"]), ateliers._unused_join_code
def slow_code():
    time.sleep(slow)
    return original()
ateliers._unused_join_code = slow_code
app = create_app()
with app.app_context():
    time.sleep(max(0, float(os.environ["START_AT"]) - time.time()))
    print(ateliers.ensure_default_atelier("la-fabrique-amp-2017").id)
"""


def test_processes_starting_together_create_one_default_atelier(postgres_cluster, tmp_path, make_app):
    url = postgres_cluster()
    make_app(url)  # the schema, as the first start would make it
    start_at = time.time() + 6  # both are past their imports by then
    children = [
        subprocess.Popen([sys.executable, "-c", START], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={**os.environ, "DATABASE_URL": url, "FABRIQUE_INSTANCE": str(tmp_path / f"i{n}"),
                              "SLOW": "1", "START_AT": str(start_at)})
        for n in range(2)]
    answers = [child.communicate(timeout=60) for child in children]
    assert all(child.returncode == 0 for child in children), [err for _out, err in answers]
    ids = {out.strip().splitlines()[-1] for out, _err in answers}
    assert len(ids) == 1  # both were given the same atelier
    with create_engine(database_url_with_driver(url)).connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM atelier WHERE NOT is_demo")) == 1
