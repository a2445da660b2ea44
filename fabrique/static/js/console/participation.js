/* Participation: who joined, by persona and college, who contributed to this phase. */
import { ACTED_KINDS, LANG, fromTemplate, h, personaById, personaDot, personaLabel, plural, safeColor, sigs, t, tpl, vh } from "./core.js";

// Participation ----------------------------------------------------------------------------------
// The join QR code on the console too: the facilitator can show it on a laptop without the projector.
var joinQr = h("img", { class: "fc-join-qr", alt: t("QR code pour rejoindre l'atelier"), width: "144", height: "144" });
var joinUrl = h("a", { class: "fc-join-url", target: "_blank", rel: "noopener" });
var joinBox = h("div", { class: "fc-join-box" }, joinQr, h("p", null, t("Lien participants :"), " ", joinUrl));
var partSummary = h("div", { class: "fc-part-summary" });
var partPersonas = h("ul", { class: "fc-personas" });
var partColleges = h("div", { class: "fc-colleges" });
var partRows = h("tbody");
var partTable = null;
var partListTitle = h("summary", {});
var participation = h("section", { class: "fc-panel fc-participation", "aria-labelledby": "fc-part-title" },
  h("h2", { id: "fc-part-title" }, t("Participation")),
  joinBox,
  partSummary,
  h("h3", {}, t("Habitants fictifs")), partPersonas,
  h("h3", {}, t("Collèges")), partColleges,
  h("details", { class: "fc-part-list", open: window.matchMedia("(min-width: 1700px)").matches }, partListTitle,
    h("div", { class: "fc-table-wrap", tabindex: "0", role: "region", "aria-label": t("Liste des participants") },
      partTable = h("table", { class: "fc-table" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, vh(t("Connexion"))),
          h("th", { scope: "col" }, t("Pseudonyme")),
          h("th", { scope: "col" }, t("Habitant fictif")),
          h("th", { scope: "col", class: "fc-col-college" }, t("Collège")),
          h("th", { scope: "col" }, h("span", { "aria-hidden": "true", title: t("A contribué à cette phase") }, "✓"),
            vh(t("A contribué à cette phase"))))),
        partRows))));

// ---------------------------------------------------------------------------------------
// Participation

function renderParticipation(s) {
  var st = s.stage, part = s.participation || {}, people = s.participants || [];
  var sig = JSON.stringify([part, people, st.kind, st.index]);
  if (sigs.participation === sig) return;
  sigs.participation = sig;

  var atelier = s.atelier || {}, join = (s.links && s.links.join) || atelier.join_url || "";
  if (atelier.qr_url && joinQr.getAttribute("src") !== atelier.qr_url) joinQr.setAttribute("src", atelier.qr_url);
  if (joinUrl.getAttribute("href") !== join) { joinUrl.setAttribute("href", join); joinUrl.textContent = join.replace(/^https?:\/\//, ""); }
  var total = people.length || part.total || 0;
  var nOnline = people.filter(function (p) { return p.online; }).length;
  var nActed = people.filter(function (p) { return p.acted; }).length;
  var tracked = !!ACTED_KINDS[st.kind];
  partSummary.textContent = "";
  partSummary.appendChild(h("p", { class: "fc-big-numbers" },
    h("span", { class: "fc-big" }, h("strong", {}, String(total)), " ", plural(total, t("participant"), t("participants"))),
    h("span", { class: "fc-big" }, h("span", { class: "fc-ui.online-dot is-on", "aria-hidden": "true" }),
      h("strong", {}, String(nOnline)), " ", t("en ligne"))));
  if (tracked) {
    var pct = total ? Math.round(100 * nActed / total) : 0;
    partSummary.appendChild(h("p", { class: "fc-acted" }, t("{x} / {y} ont contribué à cette phase", { x: nActed, y: total })));
    partSummary.appendChild(h("div", { class: "fc-progress", "aria-hidden": "true" },
      h("span", { class: "fc-progress-fill", style: "width:" + pct + "%" })));
  } else {
    partSummary.appendChild(h("p", { class: "fc-acted is-muted" }, t("Pas de contribution suivie pendant cette phase.")));
  }

  var byPersona = part.by_persona || {};
  partPersonas.textContent = "";
  (tpl.personas || []).forEach(function (p) {
    var n = byPersona[p.id] || 0;
    partPersonas.appendChild(h("li", { class: "fc-persona" + (n ? "" : " is-zero"), style: "--c:" + safeColor(p.color) },
      h("img", { src: p.illustration, alt: "", width: "36", height: "36", loading: "lazy" }),
      h("span", { class: "fc-persona-label", lang: LANG }, p.label),
      h("span", { class: "fc-persona-count" }, String(n))));
  });
  var others = Object.keys(byPersona).filter(function (id) { return !personaById[id]; });
  others.forEach(function (id) {
    partPersonas.appendChild(h("li", { class: "fc-persona" }, h("span", { class: "fc-persona-label" }, id),
      h("span", { class: "fc-persona-count" }, String(byPersona[id]))));
  });

  var byCollege = part.by_college || {};
  partColleges.textContent = "";
  var colleges = (tpl.colleges || []).slice();
  Object.keys(byCollege).forEach(function (c) { if (colleges.indexOf(c) < 0) colleges.push(c); });
  if (!colleges.length || !Object.keys(byCollege).length) {
    partColleges.appendChild(h("p", { class: "fc-muted" }, t("Aucun collège indiqué par les participants.")));
  } else {
    partColleges.appendChild(h("ul", { class: "fc-chips" }, colleges.map(function (c) {
      var n = byCollege[c] || 0;
      return h("li", { class: "fc-chip" + (n ? "" : " is-zero") }, h("span", { dir: "auto" }, c), " ", h("strong", {}, String(n)));
    })));
  }

  partListTitle.textContent = t("Liste des participants ({n})", { n: total });
  var anyCollege = people.some(function (p) { return !!p.college; });
  partTable.classList.toggle("has-colleges", anyCollege);
  partRows.textContent = "";
  if (!people.length) {
    partRows.appendChild(h("tr", {}, h("td", { colspan: "5", class: "fc-muted" }, t("Personne n'a encore rejoint l'atelier."))));
  }
  // Who is here first, then in the order they joined.
  people.slice().sort(function (a, b) { return (b.online ? 1 : 0) - (a.online ? 1 : 0) || a.id - b.id; }).forEach(function (p) {
    partRows.appendChild(h("tr", { class: p.online ? "is-online" : "is-offline" },
      h("td", {}, h("span", { class: "fc-ui.online-dot" + (p.online ? " is-on" : ""), "aria-hidden": "true",
        title: p.online ? t("en ligne") : t("hors ligne") }), vh(p.online ? t("en ligne") : t("hors ligne"))),
      h("td", { class: "fc-pseudo", dir: "auto" }, p.pseudonym),
      h("td", { class: "fc-persona-cell" }, p.persona_id ? [personaDot(p.persona_id), fromTemplate(personaLabel(p.persona_id), personaById[p.persona_id])] : h("span", { class: "fc-muted" }, "—")),
      h("td", { dir: "auto", class: "fc-col-college" }, p.college || h("span", { class: "fc-muted" }, "—")),
      h("td", { class: "fc-acted-cell" }, p.acted
        ? [h("span", { "aria-hidden": "true", class: "fc-check-mark", title: t("a contribué à cette phase") }, "✓"), vh(t("a contribué à cette phase"))]
        : (tracked ? vh(t("pas encore contribué")) : null))));
  });
}

export { partSummary, partPersonas, partColleges, partRows, partTable, partListTitle, participation, renderParticipation };
