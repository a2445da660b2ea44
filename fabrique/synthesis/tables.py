"""Flatten the synthesis document into named tables: the raw data of the CSV and XLSX exports.

Both spreadsheet formats draw from `tables(doc)`, so a sheet and its CSV file always hold the
same rows. Names are short, lowercase and ASCII: they are sheet and file names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocabulary import fill
from .wording import fr_date, fr_percent, key_figures, short_datetime, version_label


@dataclass(frozen=True)
class Table:
    """One table: a file/sheet name, a human title, column headers and rows of plain values."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]


def _join(items) -> str:
    return ", ".join(str(i) for i in items if i)


def tables(doc: dict) -> list[Table]:
    """Return every table of the document, in reading order."""
    atelier_names = {a["id"]: a["name"] for a in doc["ateliers"]}
    engagements = [e for t in doc["themes"] for e in t["engagements"]]
    engagement_label = {e["id"]: f"{e['number']} {e['title']}" for e in engagements}
    theme_title = {t["id"]: t["title"] for t in doc["themes"]}
    annexes = doc["annexes"]
    cover, participation = doc["cover"], doc["participation"]
    vocab = doc["template"]["vocabulary"]

    def say(text: str) -> str:
        return fill(text, vocab)

    out = [
        Table("synthese", "La synthèse", ("rubrique", "valeur"), [
            ("titre", cover["title"]), ("territoire", cover["territory"]), ("méthode", cover["method"]),
            ("démarche" if doc["kind"] == "demarche" else "atelier", cover["name"]),
            ("dates", ", ".join(fr_date(d) for d in cover["dates"])), ("version", version_label(doc)), ("en bref", key_figures(doc)),
            ("participants", participation["total"]), (vocab["piste"]["pl"], participation["totals"]["pistes"]),
            ("gommettes", participation["totals"]["supports"]), (vocab["engagement"]["pl"], participation["totals"]["engagements"])]),
        Table("chronologie", "La démarche, atelier par atelier", ("date", "atelier", "public", "déroulé", "participants"), [
            (fr_date(s["date"]), s["title"], s["audience"], s["format"], s["participants"]) for s in doc["timeline"]]),
        Table("themes", say("{Theme.pl}"), ("numéro", "titre", "sous-titre", "mots-clés", "pistes", "rêves", "engagements"), [
            (t["number"], t["title"], t["subtitle"], ", ".join(t["tags"]), t["piste_count"], len(t["reves"]), len(t["engagements"]))
            for t in doc["themes"]]),
        Table("engagements", say("{Engagement.pl}"), (
            "numéro", "thème", "titre", "pour", "comment", "pistes", "soutiens", "avis favorables", "avis réservés",
            "avis à amender", "atelier"), [
            (e["number"], theme_title.get(e["theme_id"], e["theme_id"]), e["title"], e["purpose"], "\n".join(e["how"]),
             e["piste_count"], e["supports"], e["reviews"]["favorable"], e["reviews"]["reserve"], e["reviews"]["a_amender"],
             atelier_names.get(e["atelier_id"])) for e in engagements]),
        Table("pistes", say("{Piste.pl}"), (
            "n°", "atelier", "public", "thème", "texte", "horizon", "hashtags", "soutiens", "persona", "personas des auteurs",
            "statut", "fusionnée dans", "engagement", "origine", "date"), [
            (p["id"], atelier_names.get(p["atelier_id"]), p["audience"], p["theme"], p["text"], p["horizon_label"],
             _join("#" + h for h in p["hashtags"]), p["supports"], p["persona"], _join(a["label"] for a in p["author_personas"]),
             p["status_label"], p["merged_into"], engagement_label.get(p["engagement_id"]), p["origin"], short_datetime(p["created_at"]))
            for p in annexes["pistes"]]),
        Table("reves", say("{Reve.pl}"), ("thème", "texte", "persona", "atelier"), [
            (t["title"], r["text"], r["persona"], atelier_names.get(r["atelier_id"])) for t in doc["themes"] for r in t["reves"]]),
        Table("valeurs", say("Classement des {value.pl}"), ("rang", "valeur", "points", "votants", "part des points", "mots associés"), [
            (v["rank"], v["label"], v["points"], v["voters"], fr_percent(v["share"]), _join(f"{w['word']} ({w['count']})" for w in v["words"]))
            for v in doc["values"]["items"]]),
        Table("votes", say("Votes sur {value.les}"), ("atelier", "public", "participant", "persona", "valeur", "points", "date"), [
            (atelier_names.get(v["atelier_id"]), v["audience"], v["participant"], v["persona"], v["value"], v["points"], short_datetime(v["created_at"]))
            for v in annexes["value_votes"]]),
        Table("mots", say("Mots associés aux {value.pl}"), ("atelier", "public", "participant", "persona", "valeur", "mot", "date"), [
            (atelier_names.get(w["atelier_id"]), w["audience"], w["participant"], w["persona"], w["value"], w["word"], short_datetime(w["created_at"]))
            for w in annexes["value_words"]]),
        Table("paradoxes", say("{Paradox.pl}"), ("rang", "paradoxe", "retenu", "choix", "atout", "défi"), [
            (p["rank"], p["title"], "oui" if p["retained"] else "non", p["choices"], p["atout"], p["defi"])
            for p in doc["paradoxes"]["items"]]),
        Table("choix_paradoxes", say("Choix des {paradox.pl}"), ("atelier", "public", "participant", "persona", "paradoxe", "date"), [
            (atelier_names.get(c["atelier_id"]), c["audience"], c["participant"], c["persona"], c["paradox"], short_datetime(c["created_at"]))
            for c in annexes["paradox_choices"]]),
        Table("soutiens", "Soutiens (gommettes)", (
            "atelier", "public", "participant", "persona", "piste", "comptée sous la piste", "comptée", "date"), [
            (atelier_names.get(s["atelier_id"]), s["audience"], s["participant"], s["persona"], s["piste_id"], s["counted_under"],
             "oui" if s["counted"] else "non", short_datetime(s["created_at"])) for s in annexes["supports"]]),
        Table("soutiens_engagements", say("Soutiens aux {engagement.pl}"), ("atelier", "public", "participant", "persona", "engagement", "date"), [
            (atelier_names.get(s["atelier_id"]), s["audience"], s["participant"], s["persona"],
             engagement_label.get(s["engagement_id"]), short_datetime(s["created_at"])) for s in annexes["engagement_supports"]]),
        Table("participants_par_persona", "Participants par habitant fictif", ("persona", "participants"), [
            (p["label"], p["count"]) for p in doc["participation"]["by_persona"]]
            + ([("(sans persona)", doc["participation"]["without_persona"])] if doc["participation"]["without_persona"] else [])),
        Table("participants_par_college", "Participants par collège", ("collège", "participants"), [
            (c["college"], c["count"]) for c in doc["participation"]["by_college"]]
            + ([("(non renseigné)", doc["participation"]["without_college"])] if doc["participation"]["without_college"] else [])),
        Table("participants_par_atelier", "Participants par atelier", ("atelier", "public", "participants"), [
            (a["name"], a["audience"], a["count"]) for a in doc["participation"]["by_atelier"]]),
        Table("suites", "La fabrique des suites : et après…", ("date", "atelier", "public", "texte"), [
            (fr_date(x["date"]), x["title"], x["audience"], x["text"]) for x in doc["after"]]),
        Table("avis", "Avis des relecteurs", ("engagement", "relecteur", "avis", "commentaire", "date"), [
            (f"{g['engagement_number']} {g['engagement_title']}" if g["engagement_id"] else "Ensemble de la synthèse",
             c["reviewer"], c["opinion_label"], c["text"], short_datetime(c["created_at"])) for g in annexes["reviews"] for c in g["comments"]]),
    ]
    return out


TABLE_NAMES = ("synthese", "chronologie", "themes", "engagements", "pistes", "reves", "valeurs", "votes", "mots", "paradoxes",
               "choix_paradoxes", "soutiens", "soutiens_engagements", "participants_par_persona", "participants_par_college", "participants_par_atelier", "suites", "avis")
