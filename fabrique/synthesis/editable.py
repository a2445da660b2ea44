"""The editable synthesis (DOCX and ODT): one text written once through a small writer interface,
so that the two word-processor formats hold the same headings, paragraphs, lists and tables.

A writer offers: `properties(**meta)`, `footer(text)`, `title(text)`, `heading(text, level, color)`,
`para(text, bold=, italic=, muted=, size=)`, `runs([(text, "bold" | "italic" | "muted" | None)], quote=)`,
`bullets(items)` (an item is a text or a (text, detail) pair), `table(headers, rows, caption=)`,
`toc()`, `page_break()` and `new_section()`.
"""

from __future__ import annotations

from datetime import datetime

from ..vocabulary import agree, fill
from .to_html import capfirst
from .wording import fr_date, fr_datetime, fr_percent, key_figures, plural as _plural, short_datetime, values_note, version_label


CHAR_CM = 0.17  # the width of an average character at 9 pt
PADDING_CM = 0.6  # a cell's left and right margins, with a little air


def column_widths(headers, rows, total_cm: float) -> list[float]:
    """Share a table's width (cm) by what its columns hold: each column gets at least its longest
    word (no word, number or hashtag is ever cut), then the room left goes to the columns whose
    text is long, in proportion to how much more they need."""
    least, wanted = [], []
    for i, header in enumerate(headers):
        texts = [str(header)] + [row[i] for row in rows]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        lengths = sorted(len(line) for text in texts for line in (text.split("\n") or [""]))
        typical = lengths[int(0.9 * (len(lengths) - 1))]  # most cells fit on one or two lines
        least.append(longest_word * CHAR_CM + PADDING_CM)
        wanted.append(max(least[-1], min(typical, 70) * CHAR_CM))
    if sum(least) >= total_cm:
        return [total_cm * x / sum(least) for x in least]
    room, extra = total_cm - sum(least), [w - x for w, x in zip(wanted, least)]
    if sum(extra) <= room:  # everything fits: the text columns share what is left
        texts = [e or 0.001 for e in extra]
        return [x + e + (room - sum(extra)) * t / sum(texts) for x, e, t in zip(least, extra, texts)]
    return [x + room * e / sum(extra) for x, e in zip(least, extra)]


def write(w, doc: dict) -> None:
    """Write the synthesis through `w`, a writer of one editable format (see the module's docstring)."""
    vocab = doc["template"]["vocabulary"]

    def say(text: str) -> str:
        return fill(text, vocab)

    cover = doc["cover"]
    w.properties(title=f"{cover['title']} — {cover['name']}"[:250], subject=f"{cover['method']} — {cover['territory']}"[:250],
                 author=(doc["template"]["organisation"] or cover["territory"])[:250],
                 comments=f"Synthèse, {version_label(doc)} (Fabrique)",
                 created=datetime.strptime(doc["generated_at"][:19], "%Y-%m-%dT%H:%M:%S"))
    w.footer(f"{cover['method']} — {cover['territory']} · {version_label(doc)}")

    # --- cover ---------------------------------------------------------------------------
    w.para(cover["organisation"] or cover["territory"], muted=True, size=11)
    w.title(cover["title"])
    w.para(f"{cover['method']} — {cover['territory']}", size=16)
    w.para(cover["name"], bold=True, size=13)
    if cover["demarche"] and cover["demarche"] != cover["name"]:
        w.para(f"Démarche : {cover['demarche']}", size=12)
    if cover["dates"]:
        first, last = fr_date(cover["dates"][0]), fr_date(cover["dates"][-1])
        w.para(first if first == last else f"Du {first} au {last}", size=12)
    w.table(("Date", "Séance", "Public"), [(fr_date(s["date"]), s["title"], s["audience"] or "") for s in cover["sessions"]])
    for replay in doc["replays"]:
        if replay["summary"]:
            w.para(replay["summary"], italic=True)
    if doc["template"]["summary"] and not doc["replays"]:
        w.para(doc["template"]["summary"], italic=True)
    if doc["template"]["source"]:
        w.para(f"Source : {doc['template']['source']}", muted=True)
    w.para(key_figures(doc), bold=True)
    w.para(f"Synthèse, {version_label(doc)} · Fabrique", muted=True, size=9)
    w.page_break()
    w.toc()
    w.page_break()

    # --- participation -------------------------------------------------------------------
    p = doc["participation"]
    w.heading("Qui a participé", 1)
    w.table(("Participants", capfirst(vocab["piste"]["pl"]), capfirst(vocab["reve"]["pl"]), capfirst(vocab["engagement"]["pl"])),
            [(p["total"], p["totals"]["pistes"], p["totals"]["reves"], p["totals"]["engagements"])])
    if doc["kind"] == "demarche" or len(doc["timeline"]) > 1:
        w.table(("Date", "Atelier", "Public", "Déroulé", "Participants"), [
            (fr_date(s["date"]), s["title"], s["audience"] or "", s["format"] or "", "" if s["participants"] is None else s["participants"])
            for s in doc["timeline"]], caption="La démarche, atelier par atelier")
    if p["total"] == 0:
        scope = "cette démarche" if doc["kind"] == "demarche" else "cet atelier"
        note = f"Aucune participation n'a été enregistrée dans Fabrique pour {scope}."
        if doc["replays"]:
            note += " Les résultats présentés reprennent ceux publiés : " + ", ".join(f"« {r['title']} »" for r in doc["replays"]) + "."
        w.para(note, italic=True)
    else:
        rows = [(r["label"], r["count"]) for r in p["by_persona"]]
        if p["without_persona"]:
            rows.append(("Sans habitant fictif", p["without_persona"]))
        w.table(("Habitant fictif", "Participants"), rows, caption="Par habitant fictif")
        if p["by_college"]:
            rows = [(r["college"], r["count"]) for r in p["by_college"]]
            if p["without_college"]:
                rows.append(("Non renseigné", p["without_college"]))
            w.table(("Collège", "Participants"), rows, caption="Par collège")
        c = p["contributors"]
        w.table(("Contribution", "Personnes"), [
            (say("Ont choisi des {paradox.pl}"), c["paradoxes"]), (say("Ont voté sur {value.les}"), c["values"]),
            (say("Ont écrit des {reve.pl}"), c["reves"]), (f"Ont proposé des {vocab['piste']['pl']}", c["pistes"]),
            ("Ont placé des gommettes", c["supports"])], caption="Ce que les participants ont fait")

    part = 0
    # --- who we are ----------------------------------------------------------------------
    paradoxes, values = doc["paradoxes"], doc["values"]
    if paradoxes["items"] or values["items"]:
        part += 1
        w.page_break()
        w.heading(f"{part}. Qui sommes-nous ?", 1)
        if paradoxes["items"]:
            w.heading(say("Le diagnostic : {paradox.les} {paradox|retenus|retenues}"), 2)
            retained = [i for i in paradoxes["items"] if i["retained"]]
            if paradoxes["basis"] == "choices":
                w.para(f"Classés par le nombre de participants qui les ont jugés déterminants pour leur habitant fictif "
                       f"({_plural(paradoxes['choosers'], 'personne', 'personnes')}).", muted=True)
            elif paradoxes["basis"] == "replay":
                w.para(say("{Paradox.pl} {paradox|retenus|retenues} lors de la démarche publiée (aucun choix enregistré dans Fabrique)."), muted=True)
            else:
                w.para(say("{Paradox|Aucun|Aucune} {paradox.sg} n'a été {paradox|choisi|choisie} : voici le diagnostic proposé par le cadre."), italic=True)
            for item in retained or paradoxes["items"]:
                w.heading(f"{item['rank']}. {item['title']}" if item["rank"] else item["title"], 3)
                w.runs([("Atout : ", "bold"), (item["atout"], None)])
                w.runs([("Défi : ", "bold"), (item["defi"], None)])
                if paradoxes["basis"] == "choices":
                    w.para(_plural(item["choices"], "choix", "choix"), muted=True)
                w.bullets(item["figures"])
            others = [i for i in paradoxes["items"] if not i["retained"]]
            if retained and others:
                w.para(say("Autres {paradox.pl} du diagnostic : ") + " ; ".join(i["title"] for i in others) + ".", muted=True)
        if values["items"]:
            w.heading(say("Des {value.pl} qui nous engagent"), 2)
            w.para(values_note(values, vocab), muted=values["basis"] != "none", italic=values["basis"] == "none")
            for v in values["items"]:
                w.heading(f"{v['rank']}. {v['label']}" if v["rank"] else v["label"], 3)
                if values["basis"] in ("votes", "imported"):
                    voters = f", {_plural(v['voters'], 'votant', 'votants')}" if values["basis"] == "votes" else ""
                    w.para(f"{_plural(v['points'], 'point', 'points')} ({fr_percent(v['share'])}){voters}", bold=True)
                if v["description"]:
                    w.para(v["description"])
                if v["ideas"]:
                    w.para("Idées associées : " + ", ".join(v["ideas"]), muted=True)
                if v["words"]:
                    w.para("Mots des participants : " + ", ".join(
                        f"{x['word']} ×{x['count']}" if x["count"] > 1 else x["word"] for x in v["words"]))

    # --- where we go ---------------------------------------------------------------------
    part += 1
    w.page_break()
    w.heading(f"{part}. Où voulons-nous aller ? {capfirst(vocab['theme']['pl'])}", 1)
    for t in doc["themes"]:
        w.heading(t["title"] + (f" — {t['subtitle']}" if t["subtitle"] else ""), 2, t["color"])
        if t["defi"]:
            w.para(t["defi"])
        w.bullets(t["questions"])
        if t.get("tags"):
            w.para("Mots-clés : " + " · ".join(t["tags"]), size=9)
        if t.get("objectives"):
            w.bullets([f"{o['id']}. {o['title']}" for o in t["objectives"]])
        w.para(f"{_plural(t['piste_count'], vocab['piste']['sg'], vocab['piste']['pl'])} · {_plural(len(t['reves']), vocab['reve']['sg'], vocab['reve']['pl'])} · "
               f"{_plural(len(t['engagements']), vocab['engagement']['sg'], vocab['engagement']['pl'])}", muted=True)
        if t["reves"]:
            w.heading(vocab["reve_prompt"], 3)
            for r in t["reves"]:
                w.runs([(r["text"], "italic"), (f" — {r['persona']}" if r["persona"] else "", "muted")], quote=True)

    # --- how we get there ----------------------------------------------------------------
    part += 1
    total = doc["participation"]["totals"]["engagements"]
    w.page_break()
    w.heading(f"{part}. Comment y parvenir ? {_plural(total, vocab['engagement']['sg'], vocab['engagement']['pl'])}", 1)
    for h in doc["horizons"]:
        w.para(f"{h['label']}" + (f" : {h['description']}" if h["description"] else ""), muted=True, size=9)
    horizon_ids = [h["id"] for h in doc["horizons"]]
    for t in doc["themes"]:
        w.heading(f"{_plural(len(t['engagements']), vocab['engagement']['sg'], vocab['engagement']['pl'])} — {t['title']}", 2, t["color"])
        if not t["engagements"]:
            w.para(f"{agree(vocab['engagement'], 'Aucun', 'Aucune')} {vocab['engagement']['sg']} n'a encore été {agree(vocab['engagement'], 'formulé', 'formulée')} pour {t['title']}.", italic=True)
        for e in t["engagements"]:
            w.para(f"{capfirst(vocab['engagement']['sg'])} {e['number']} · {t['title']}".upper(), bold=True, size=8, color=t["color"])
            w.heading(e["title"], 3, t["color"])
            if e["purpose"]:
                w.para(e["purpose"], italic=True)
            if e["how"]:
                w.heading("Comment ?", 4)
                w.bullets(e["how"])
            w.heading(f"{capfirst(vocab['piste']['pl'])} ({e['piste_count']})", 4)
            if not e["pistes"]:
                w.para(f"{agree(vocab['piste'], 'Aucun', 'Aucune')} {vocab['piste']['sg']} n'est {agree(vocab['piste'], 'rattaché', 'rattachée')} à {vocab['engagement']['ce']}.", muted=True)
            groups = [(h["label"], [x for x in e["pistes"] if x["horizon"] == h["id"]]) for h in doc["horizons"]]
            groups.append(("", [x for x in e["pistes"] if x["horizon"] not in horizon_ids]))
            for label, group in groups:
                if not group:
                    continue
                if label:
                    w.para(label, bold=True, size=9)
                w.bullets((x["text"] + "".join(f" #{tag}" for tag in x["hashtags"]), " · ".join(filter(None, [
                    _plural(x["supports"], "soutien", "soutiens") if x["supports"] else "",
                    ", ".join(a["label"] for a in x["author_personas"]),
                    x["audience"] if doc["kind"] == "demarche" else None]))) for x in group)
            details = []
            if e["supports"]:
                details.append(f"{_plural(e['supports'], 'soutien', 'soutiens')} à {vocab['engagement']['ce']}")
            if e["reviews"]["comments"]:
                r = e["reviews"]
                details.append(f"avis : {r['favorable']} favorable(s), {r['reserve']} réservé(s), {r['a_amender']} à amender")
            if details:
                w.para(" · ".join(details), muted=True)

    # --- personas ------------------------------------------------------------------------
    if doc["lens"]:
        part += 1
        w.page_break()
        w.heading(f"{part}. À travers les yeux des habitants", 1)
        for entry in doc["lens"]:
            w.heading(entry["label"] + (f" ({entry['name']})" if entry["name"] else ""), 2, entry["color"])
            w.para(f"{_plural(entry['participants'], 'participant', 'participants')} · "
                   f"{_plural(len(entry['pistes']), vocab['piste']['sg'], vocab['piste']['pl'])} · {_plural(entry['reves'], vocab['reve']['sg'], vocab['reve']['pl'])} · "
                   f"{_plural(entry['supports_given'], 'gommette', 'gommettes')}", muted=True)
            if entry["quote"]:
                w.para(f"« {entry['quote']} »", italic=True)
            if entry["values"]:
                w.para(say("{Value.pl} : ") + ", ".join(f"{v['label']} ({_plural(v['points'], 'pt', 'pts')})" for v in entry["values"]))
            if entry["paradoxes"]:
                w.heading(say("{Paradox.pl} {paradox|jugés déterminants|jugées déterminantes}"), 4)
                w.bullets(f"{x['title']} ({x['choices']})" for x in entry["paradoxes"])
            if entry["pistes"]:
                w.heading(say("{Piste.pl} {piste|proposés|proposées}"), 4)
                w.bullets((x["text"], x["theme"] + (f", {_plural(x['supports'], 'soutien', 'soutiens')}" if x["supports"] else ""))
                          for x in entry["pistes"])

    # --- what happens next ----------------------------------------------------------------
    if doc["after"]:
        part += 1
        w.page_break()
        w.heading(f"{part}. La fabrique des suites : et après…", 1)
        for x in doc["after"]:
            if doc["kind"] == "demarche" or len(doc["after"]) > 1:
                w.heading(" · ".join(filter(None, [fr_date(x["date"]), x["title"], x["audience"]])), 2)
            for paragraph in x["text"].split("\n"):
                if paragraph.strip():
                    w.para(paragraph)

    # --- annexes -------------------------------------------------------------------------
    annexes = doc["annexes"]
    w.new_section()
    w.heading("Annexes", 1)
    w.heading(say("{Piste|Tous|Toutes} les {piste.pl}"), 2)
    excluded = annexes["excluded"]
    if excluded["hidden"] or excluded["withdrawn"]:
        w.para(f"Non publiées : {excluded['hidden']} masquée(s) par l'animation, {excluded['withdrawn']} retirée(s) par leur auteur.",
               muted=True)
    numbers = {e["id"]: e["number"] for t in doc["themes"] for e in t["engagements"]}
    origins = {x["origin"] for x in annexes["pistes"]}
    one_origin = len(origins) == 1 and None not in origins
    if one_origin:
        w.para(say("Origine de {piste|tous|toutes} {piste.ces} : ") + f"{origins.pop()}.", muted=True)
    # Columns with nothing to say are left out, as on the web page: the text keeps the room.
    columns = [("N°", lambda x: x["id"]),
               (capfirst(vocab["piste"]["sg"]), lambda x: x["text"] + (f"\nOrigine : {x['origin']}" if x["origin"] and not one_origin else "")),
               ("Horizon", lambda x: x["horizon_label"]),
               ("Hashtags", lambda x: " ".join(f"#{tag}" for tag in x["hashtags"]))]
    if doc["participation"]["total"]:
        columns.append(("Soutiens", lambda x: x["supports"] if x["status"] == "visible" else ""))
    if any(x["persona"] for x in annexes["pistes"]):
        columns.append(("Persona", lambda x: x["persona"] or ""))
    columns.append(("Statut", lambda x: f"fusionnée dans n° {x['merged_into']}" if x["status"] == "merged"
                    else f"{vocab['engagement']['sg']} {numbers[x['engagement_id']]}" if x["engagement_id"] in numbers else x["status_label"]))
    if doc["kind"] == "demarche":
        columns.append(("Atelier", lambda x: x["audience"] or ""))
    for t in doc["themes"]:
        rows = [x for x in annexes["pistes"] if x["theme_id"] == t["id"]]
        if rows:
            w.heading(f"{t['title']} ({len(rows)})", 3, t["color"])
            w.table([name for name, _cell in columns], [[cell(x) for _name, cell in columns] for x in rows])
    if not annexes["pistes"]:
        w.para(say("{Piste|Aucun|Aucune} {piste.sg} n'a été {piste|proposé|proposée}."))

    w.heading("Votes et soutiens, ligne à ligne", 2)
    w.para("Les participants sont désignés par un numéro (P…) et par l'habitant fictif qu'ils incarnaient, jamais par leur pseudonyme.",
           muted=True)
    if annexes["value_votes"]:
        w.table(("Participant", "Persona", say("{Value.sg}"), "Points", "Public", "Date"), [
            (v["participant"], v["persona"] or "", v["value"], v["points"], v["audience"] or "", short_datetime(v["created_at"]))
            for v in annexes["value_votes"]], caption=say("Votes sur {value.les}") + f" ({len(annexes['value_votes'])})")
    else:
        w.para(say("Aucun vote sur {value.les} enregistré."))
    if annexes["value_words"]:
        w.table(("Participant", "Persona", say("{Value.sg}"), "Mot"), [
            (x["participant"], x["persona"] or "", x["value"], x["word"]) for x in annexes["value_words"]],
            caption=say("Mots associés aux {value.pl}") + f" ({len(annexes['value_words'])})")
    if annexes["paradox_choices"]:
        w.table(("Participant", "Persona", say("{Paradox.sg}")), [
            (x["participant"], x["persona"] or "", x["paradox"]) for x in annexes["paradox_choices"]],
            caption=say("Choix des {paradox.pl}") + f" ({len(annexes['paradox_choices'])})")
    if annexes["supports"]:
        w.table(("Participant", "Persona", say("{Piste.sg}"), "Comptée sous", "Comptée", "Date"), [
            (x["participant"], x["persona"] or "", x["piste_id"], x["counted_under"], "oui" if x["counted"] else "non",
             short_datetime(x["created_at"])) for x in annexes["supports"]],
            caption=f"Soutiens aux {vocab['piste']['pl']} — gommettes ({len(annexes['supports'])})")
    else:
        w.para("Aucune gommette enregistrée.")
    if annexes["engagement_supports"]:
        w.table(("Participant", "Persona", capfirst(vocab["engagement"]["sg"])), [
            (x["participant"], x["persona"] or "", numbers.get(x["engagement_id"], "")) for x in annexes["engagement_supports"]],
            caption=f"Soutiens aux {vocab['engagement']['pl']} ({len(annexes['engagement_supports'])})")

    w.heading("Avis des relecteurs", 2)
    if not annexes["reviews"]:
        w.para("Aucun avis n'a encore été donné sur cette synthèse.")
    for group in annexes["reviews"]:
        w.heading(f"{capfirst(vocab['engagement']['sg'])} {group['engagement_number']} — {group['engagement_title']}"
                  if group["engagement_id"] else "Sur l'ensemble de la synthèse", 3)
        counts = group["counts"]
        w.para(f"{counts['favorable']} favorable(s), {counts['reserve']} réservé(s), {counts['a_amender']} à amender.", muted=True)
        for comment in group["comments"]:
            w.runs([(comment["reviewer"], "bold"), (f" · {comment['opinion_label']}" if comment["opinion_label"] else "", None),
                    (f" · {fr_datetime(comment['created_at'])}", "muted")])
            if comment["text"]:
                w.para(comment["text"])
