"""Every territory runs as data: a server on a catalogue holding only a test framework, and that framework's atelier."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import serve

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def essai_server(tmp_path_factory):
    """A server whose catalogue is the test framework alone (no La Fabrique, no replay)."""
    yield from serve(tmp_path_factory, FABRIQUE_SESSIONS_DIR=str(DATA / "sessions"),
                     FABRIQUE_PERSONAS_DIR=str(DATA / "personas"))


def test_the_server_starts_on_a_catalogue_without_la_fabrique(essai_server):
    home = urllib.request.urlopen(f"{essai_server}/", timeout=5).read().decode()
    assert "Pays d&#39;Essai-sur-Loue" in home or "Pays d'Essai-sur-Loue" in home
    assert "Fabrique du projet" not in home and "Aix-Marseille" not in home
