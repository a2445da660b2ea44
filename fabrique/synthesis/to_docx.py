"""Render the synthesis as an editable Word document (python-docx): real headings (the navigation
pane shows the plan), bullet lists and tables, in the same order as the web page and the PDF."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..vocabulary import agree, fill
from .to_html import capfirst, fr_date, fr_datetime

FONT = "Arial"  # Liberation Sans and Arimo share its metrics, on any machine that opens the file
INK = RGBColor(0x1D, 0x23, 0x30)
MUTED = RGBColor(0x5B, 0x62, 0x72)


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n < 2 else many}"


class _Writer:
    """A thin layer over python-docx for the few shapes the synthesis uses."""

    def __init__(self):
        self.doc = Document()
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        normal.font.color.rgb = INK
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "fr-FR")
        rpr.append(lang)
        for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
            styles[name].font.name = FONT
            styles[name].font.color.rgb = INK

    def heading(self, text: str, level: int, color: str | None = None):
        paragraph = self.doc.add_heading(level=level)
        run = paragraph.add_run(text)
        if color:
            run.font.color.rgb = _rgb(color)
        return paragraph

    def para(self, text: str = "", *, bold: bool = False, italic: bool = False, muted: bool = False, size: float | None = None,
             style: str | None = None, color: str | None = None):
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold, run.italic = bold, italic
            if muted:
                run.font.color.rgb = MUTED
            if color:
                run.font.color.rgb = _rgb(color)
            if size:
                run.font.size = Pt(size)
        return paragraph

    def bullets(self, items):
        for item in items:
            if isinstance(item, tuple):  # (main text, details in grey)
                paragraph = self.doc.add_paragraph(style="List Bullet")
                paragraph.add_run(item[0])
                if item[1]:
                    detail = paragraph.add_run(f" — {item[1]}")
                    detail.font.color.rgb = MUTED
                    detail.font.size = Pt(9)
            else:
                self.doc.add_paragraph(item, style="List Bullet")

    def table(self, headers, rows, caption: str | None = None):
        if caption:
            self.para(caption, bold=True)
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, headers):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = True
            run.font.size = Pt(9)
            _shade(cell, "EEEBE4")
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row):
                run = cell.paragraphs[0].add_run("" if value is None else str(value))
                run.font.size = Pt(9)
        self.para()
        return table

    def page_break(self):
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _page_number_footer(section, text: str) -> None:
    paragraph = section.footer.paragraphs[0]
    run = paragraph.add_run(f"{text} · page ")
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    field = paragraph.add_run()
    field.font.size = Pt(8)
    for kind, value in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = value
        field._r.append(element)


def render(doc: dict) -> bytes:
    """Return the synthesis as a .docx file."""
    w = _Writer()
    vocab = doc["template"]["vocabulary"]
    cover = doc["cover"]
    props = w.doc.core_properties
    props.title = f"{cover['title']} — {cover['name']}"[:250]
    props.subject = f"{cover['method']} — {cover['territory']}"[:250]
    props.author = (doc["template"]["organisation"] or cover["territory"])[:250]
    props.language = "fr-FR"
    props.comments = f"Exportée par Fabrique, version {doc['version']}"
    props.created = datetime.strptime(doc["generated_at"][:19], "%Y-%m-%dT%H:%M:%S")
    _page_number_footer(w.doc.sections[0], f"{cover['method']} — {cover['territory']}")

    # --- cover ---------------------------------------------------------------------------
    w.para(cover["organisation"] or cover["territory"], muted=True, size=11)
    w.doc.add_paragraph(cover["title"], style="Title")
    w.para(f"{cover['method']} — {cover['territory']}", size=16)
    w.para(cover["name"], bold=True, size=13)
    w.table(("Date", "Séance", "Public"), [(fr_date(s["date"]), s["title"], s["audience"] or "") for s in cover["sessions"]])
    for replay in doc["replays"]:
        if replay["summary"]:
            w.para(replay["summary"], italic=True)
    if doc["template"]["summary"] and not doc["replays"]:
        w.para(doc["template"]["summary"], italic=True)
    if doc["template"]["source"]:
        w.para(f"Source : {doc['template']['source']}", muted=True)
    w.para(f"Synthèse exportée le {fr_datetime(doc['generated_at'])} · version {doc['version']} · Fabrique", muted=True, size=9)
    w.page_break()

    # --- participation -------------------------------------------------------------------
    p = doc["participation"]
    w.heading("Qui a participé", 1)
    w.table(("Participants", capfirst(vocab["piste"]["pl"]), capfirst(vocab["reve"]["pl"]), capfirst(vocab["engagement"]["pl"])),
            [(p["total"], p["totals"]["pistes"], p["totals"]["reves"], p["totals"]["engagements"])])
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
        if len(p["by_atelier"]) > 1:
            w.table(("Atelier", "Public", "Participants"), [(r["name"], r["audience"] or "", r["count"]) for r in p["by_atelier"]],
                    caption="Par atelier")
        c = p["contributors"]
        w.table(("Contribution", "Personnes"), [
            (fill("Ont choisi des {paradox.pl}", vocab), c["paradoxes"]), (fill("Ont voté sur {value.les}", vocab), c["values"]),
            (f"Ont écrit des {vocab['reve']['pl']}", c["reves"]), (f"Ont proposé des {vocab['piste']['pl']}", c["pistes"]),
            ("Ont placé des gommettes", c["supports"])], caption="Ce que les participants ont fait")

    part = 0
    # --- who we are ----------------------------------------------------------------------
    paradoxes, values = doc["paradoxes"], doc["values"]
    if paradoxes["items"] or values["items"]:
        part += 1
        w.page_break()
        w.heading(f"{part}. Qui sommes-nous ?", 1)
        if paradoxes["items"]:
            w.heading(fill("Le diagnostic : {paradox.les} {paradox|retenus|retenues}", vocab), 2)
            retained = [i for i in paradoxes["items"] if i["retained"]]
            if paradoxes["basis"] == "choices":
                w.para(f"Classés par le nombre de participants qui les ont jugés déterminants pour leur habitant fictif "
                       f"({_plural(paradoxes['choosers'], 'personne', 'personnes')}).", muted=True)
            elif paradoxes["basis"] == "replay":
                w.para(fill("{Paradox.pl} {paradox|retenus|retenues} lors de la démarche publiée (aucun choix enregistré dans Fabrique).", vocab), muted=True)
            else:
                w.para(fill("{Paradox|Aucun|Aucune} {paradox.sg} n'a été {paradox|choisi|choisie} : voici le diagnostic proposé par le cadre.", vocab), italic=True)
            for item in retained or paradoxes["items"]:
                w.heading(f"{item['rank']}. {item['title']}" if item["rank"] else item["title"], 3)
                paragraph = w.para()
                paragraph.add_run("Atout : ").bold = True
                paragraph.add_run(item["atout"])
                paragraph = w.para()
                paragraph.add_run("Défi : ").bold = True
                paragraph.add_run(item["defi"])
                if paradoxes["basis"] == "choices":
                    w.para(_plural(item["choices"], "choix", "choix"), muted=True)
                w.bullets(item["figures"])
            others = [i for i in paradoxes["items"] if not i["retained"]]
            if retained and others:
                w.para(fill("{Paradox|Autres|Autres} {paradox.pl} du diagnostic : ", vocab) + " ; ".join(i["title"] for i in others) + ".", muted=True)
        if values["items"]:
            w.heading(fill("Des {value.pl} qui nous engagent", vocab), 2)
            if values["basis"] == "votes":
                w.para(f"{values['total_points']} points répartis par {_plural(values['voters'], 'personne', 'personnes')}.", muted=True)
            elif values["basis"] == "replay":
                w.para("Classement consolidé de la démarche publiée (aucun vote enregistré dans Fabrique).", muted=True)
            else:
                w.para(fill("Aucun vote sur {value.les} n'a été enregistré : voici {value.les} {value|proposés|proposées} par le cadre.", vocab), italic=True)
            for v in values["items"]:
                w.heading(f"{v['rank']}. {v['label']}" if v["rank"] else v["label"], 3)
                if values["basis"] == "votes":
                    w.para(f"{_plural(v['points'], 'point', 'points')} ({round(100 * v['share'], 1)} %), "
                           f"{_plural(v['voters'], 'votant', 'votants')}", bold=True)
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
        if t["tags"]:
            w.para("Mots-clés : " + " · ".join(t["tags"]), size=9)
        if t["objectives"]:
            w.bullets([f"{o['id']}. {o['title']}" for o in t["objectives"]])
        w.para(f"{_plural(t['piste_count'], vocab['piste']['sg'], vocab['piste']['pl'])} · {_plural(len(t['reves']), vocab['reve']['sg'], vocab['reve']['pl'])} · "
               f"{_plural(len(t['engagements']), vocab['engagement']['sg'], vocab['engagement']['pl'])}", muted=True)
        if t["reves"]:
            w.heading(vocab["reve_prompt"], 3)
            for r in t["reves"]:
                paragraph = w.para(r["text"], italic=True, style="Quote")
                if r["persona"]:
                    paragraph.add_run(f" — {r['persona']}").font.color.rgb = MUTED

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
                w.para(capfirst(vocab["value"]["pl"]) + " : " + ", ".join(f"{v['label']} ({_plural(v['points'], 'pt', 'pts')})" for v in entry["values"]))
            if entry["paradoxes"]:
                w.heading(fill("{Paradox.pl} {paradox|jugés déterminants|jugées déterminantes}", vocab), 4)
                w.bullets(f"{x['title']} ({x['choices']})" for x in entry["paradoxes"])
            if entry["pistes"]:
                w.heading(f"{capfirst(vocab['piste']['pl'])} {agree(vocab['piste'], 'proposés', 'proposées')}", 4)
                w.bullets((x["text"], x["theme"] + (f", {_plural(x['supports'], 'soutien', 'soutiens')}" if x["supports"] else ""))
                          for x in entry["pistes"])

    # --- annexes -------------------------------------------------------------------------
    annexes = doc["annexes"]
    w.doc.add_section(WD_SECTION.NEW_PAGE)
    w.heading("Annexes", 1)
    w.heading(f"{agree(vocab['piste'], 'Tous', 'Toutes')} les {vocab['piste']['pl']}", 2)
    excluded = annexes["excluded"]
    if excluded["hidden"] or excluded["withdrawn"]:
        w.para(f"Non publiées : {excluded['hidden']} masquée(s) par l'animation, {excluded['withdrawn']} retirée(s) par leur auteur.",
               muted=True)
    numbers = {e["id"]: e["number"] for t in doc["themes"] for e in t["engagements"]}
    for t in doc["themes"]:
        rows = [x for x in annexes["pistes"] if x["theme_id"] == t["id"]]
        if not rows:
            continue
        w.heading(f"{t['title']} ({len(rows)})", 3, t["color"])
        w.table(("N°", capfirst(vocab["piste"]["sg"]), "Horizon", "Hashtags", "Soutiens", "Persona", "Statut"), [
            (x["id"], x["text"], x["horizon"], " ".join(f"#{tag}" for tag in x["hashtags"]),
             x["supports"] if x["status"] == "visible" else "", x["persona"] or "",
             f"fusionnée dans n° {x['merged_into']}" if x["status"] == "merged"
             else f"{vocab['engagement']['sg']} {numbers[x['engagement_id']]}" if x["engagement_id"] in numbers else x["status_label"])
            for x in rows])
    if not annexes["pistes"]:
        w.para(f"{agree(vocab['piste'], 'Aucun', 'Aucune')} {vocab['piste']['sg']} n'a été {agree(vocab['piste'], 'proposé', 'proposée')}.")

    w.heading("Votes et soutiens, ligne à ligne", 2)
    w.para("Les participants sont désignés par un numéro (P…) et par l'habitant fictif qu'ils incarnaient, jamais par leur pseudonyme.",
           muted=True)
    if annexes["value_votes"]:
        w.table(("Participant", "Persona", capfirst(vocab["value"]["sg"]), "Points", "Public", "Date"), [
            (v["participant"], v["persona"] or "", v["value"], v["points"], v["audience"] or "", fr_datetime(v["created_at"]))
            for v in annexes["value_votes"]], caption=f"Votes sur {vocab['value']['les']} ({len(annexes['value_votes'])})")
    else:
        w.para(fill("Aucun vote sur {value.les} enregistré.", vocab))
    if annexes["value_words"]:
        w.table(("Participant", "Persona", capfirst(vocab["value"]["sg"]), "Mot"), [
            (x["participant"], x["persona"] or "", x["value_id"], x["word"]) for x in annexes["value_words"]],
            caption=f"Mots associés aux {vocab['value']['pl']} ({len(annexes['value_words'])})")
    if annexes["paradox_choices"]:
        w.table(("Participant", "Persona", capfirst(vocab["paradox"]["sg"])), [
            (x["participant"], x["persona"] or "", x["paradox_id"]) for x in annexes["paradox_choices"]],
            caption=f"Choix des {vocab['paradox']['pl']} ({len(annexes['paradox_choices'])})")
    if annexes["supports"]:
        w.table(("Participant", "Persona", capfirst(vocab["piste"]["sg"]), "Comptée sous", "Comptée", "Date"), [
            (x["participant"], x["persona"] or "", x["piste_id"], x["counted_under"], "oui" if x["counted"] else "non",
             fr_datetime(x["created_at"])) for x in annexes["supports"]],
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
            paragraph = w.para()
            paragraph.add_run(comment["reviewer"]).bold = True
            if comment["opinion_label"]:
                paragraph.add_run(f" · {comment['opinion_label']}")
            paragraph.add_run(f" · {fr_datetime(comment['created_at'])}").font.color.rgb = MUTED
            if comment["text"]:
                w.para(comment["text"])

    out = io.BytesIO()
    w.doc.save(out)
    return out.getvalue()
