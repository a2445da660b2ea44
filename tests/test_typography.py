"""French typography and time: no-break spaces where French wants them, dates in Europe/Paris."""

from fabrique.typography import NBSP, NNBSP, french_datetime, typo


def test_no_break_spaces_before_tall_punctuation_and_inside_guillemets():
    assert typo("Prêts ? « Oui » : allons-y !") == f"Prêts{NNBSP}? «{NBSP}Oui{NBSP}»{NBSP}: allons-y{NNBSP}!"
    assert typo("http://fabrique.test/j/ABC") == "http://fabrique.test/j/ABC"  # no space, nothing changed


def test_dates_are_shown_in_paris_time_the_french_way(monkeypatch):
    monkeypatch.delenv("FABRIQUE_TIMEZONE", raising=False)
    assert french_datetime("2026-12-01T09:42:00") == f"1er{NBSP}décembre 2026 à 10{NBSP}h{NBSP}42"
    assert french_datetime("2026-07-14T22:05:00+00:00") == f"15{NBSP}juillet 2026 à 0{NBSP}h{NBSP}05"  # summer time
    monkeypatch.setenv("FABRIQUE_TIMEZONE", "America/Cayenne")
    assert french_datetime("2026-12-01T09:42:00") == f"1er{NBSP}décembre 2026 à 6{NBSP}h{NBSP}42"
