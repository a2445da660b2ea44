/* Results of the current phase (the others folded under « Tous les résultats »). */
import { append, around, inLang } from "../dom.js";
import { F, LANG, PISTE_KINDS, fromTemplate, h, icon, paradoxById, plural, safeColor, shorten, sigs, t, themeById, themeTitle, valueById, tw } from "./core.js";

// Results --------------------------------------------------------------------------------------
var resultsTitle = h("h2", { id: "fc-results-title" });
var instructionsEl = h("p", { class: "fc-instructions", dir: "auto" });
var resultsNow = h("div", { class: "fc-results-now" });
var resultsMore = h("div", { class: "fc-results-more" });
var results = h("section", { class: "fc-panel fc-results", "aria-labelledby": "fc-results-title" },
  resultsTitle, instructionsEl, resultsNow,
  h("details", { class: "fc-more" }, h("summary", {}, t("Tous les résultats")), resultsMore));

// ---------------------------------------------------------------------------------------
// Results of the current phase

function barList(rows, max, opts) {
  opts = opts || {};
  return h("ol", { class: "fc-bars" + (opts.cls ? " " + opts.cls : "") }, rows.map(function (r) {
    var pct = max ? Math.round(100 * r.value / max) : 0;
    return h("li", { class: "fc-meter", style: r.color ? "--c:" + safeColor(r.color) : null },
      h("span", { class: "fc-bar-label", dir: "auto", title: r.title || r.label, lang: r.known ? LANG : null }, r.label),
      h("span", { class: "fc-bar-value" }, r.valueText || String(r.value)),
      h("span", { class: "fc-bar-track", "aria-hidden": "true" }, h("span", { class: "fc-bar-fill", style: "width:" + pct + "%" })));
  }));
}

function paradoxResults(s) {
  var rows = (s.paradoxes || []).map(function (p) {
    var d = paradoxById[p.id];
    return { label: d ? d.title : p.id, known: !!d, value: p.count, valueText: String(p.count) };
  });
  var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
  return h("div", { class: "fc-result" }, h("h3", {}, tw("Classement des {paradox.pl}")),
    max ? barList(rows, max) : h("p", { class: "fc-muted" }, t("{Paradox|Aucun|Aucune} {paradox.sg} {paradox|marqué|marquée} pour l'instant.")));
}

function valueResults(s) {
  var rows = (s.values || []).map(function (v) {
    var d = valueById[v.id];
    return { label: d ? d.label : v.id, known: !!d, value: v.points,
      valueText: t("{points} pts · {voters} pers.", { points: v.points, voters: v.voters }) };
  });
  var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
  var words = (s.words || []).slice(0, 16);
  return h("div", { class: "fc-result" }, h("h3", {}, tw("Points par {value.sg}")),
    max ? barList(rows, max) : h("p", { class: "fc-muted" }, t("Aucun point attribué pour l'instant.")),
    words.length ? h("ul", { class: "fc-chips fc-words", "aria-label": t("Mots associés") }, words.map(function (w) {
      return h("li", { class: "fc-chip" }, h("span", { dir: "auto" }, w.word), " ", h("strong", {}, "×" + w.count));
    })) : null);
}

function coverageResults(s) {
  var rows = (s.themes || []).map(function (th) {
    var c = th.coverage || {};
    return { label: themeTitle(th.id), known: !!themeById[th.id], value: c.pistes || 0, color: (themeById[th.id] || {}).color, thin: c.thin,
      valueText: t("{n} {piste.pl} · {p} habitants", { n: c.pistes || 0, p: c.personas || 0 }) };
  });
  var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
  var thin = rows.filter(function (r) { return r.thin; }).map(function (r) { return r.label; });
  return h("div", { class: "fc-result" }, h("h3", {}, tw("Couverture des {theme.pl}")),
    barList(rows, max, { cls: "fc-bars-themes" }),
    thin.length ? h("p", { class: "fc-warn" }, icon("⚠"), around(t("Peu de {piste.pl} : {themes}"), "themes", fromTemplate(thin.join(", ")))) : null);
}

function revesResults(s) {
  var rows = (s.themes || []).map(function (th) {
    return { label: themeTitle(th.id), known: !!themeById[th.id], value: (th.reves || []).length, color: (themeById[th.id] || {}).color };
  });
  var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
  return h("div", { class: "fc-result" }, h("h3", {}, tw("{Reve.pl} {reve|affichés|affichées} par {theme.sg}")),
    max ? barList(rows, max, { cls: "fc-bars-themes" }) : h("p", { class: "fc-muted" }, t("{Reve|Aucun|Aucune} {reve.sg} pour l'instant.")));
}

function topResults(s) {
  return h("div", { class: "fc-result" }, h("h3", {}, tw("{Piste.pl} en tête, par {theme.sg}")),
    (s.themes || []).map(function (th) {
      var top = (th.top || []).slice(0, 3);
      return h("div", { class: "fc-top-theme", style: "--c:" + safeColor((themeById[th.id] || {}).color) },
        h("h4", { lang: themeById[th.id] ? LANG : null }, themeTitle(th.id)),
        top.length ? h("ol", { class: "fc-top" }, top.map(function (p) {
          return h("li", {}, h("span", { class: "fc-top-text", dir: "auto", title: shorten(p.text, 300) }, shorten(p.text, 110)),
            h("span", { class: "fc-top-count" }, plural(p.supports, t("{n} gommette", { n: p.supports }), t("{n} gommettes", { n: p.supports }))));
        })) : h("p", { class: "fc-muted" }, t("{Piste|Aucun|Aucune} {piste.sg}.")));
    }));
}

function renderResults(s) {
  var st = s.stage;
  var sig = JSON.stringify([st.kind, st.title, st.instructions, s.paradoxes, s.values, s.words, s.themes]);
  if (sigs.results === sig) return;
  sigs.results = sig;
  resultsTitle.textContent = "";
  append(resultsTitle, around(t("Résultats : {title}"), "title", inLang(F.titleLang(st.title), st.title)));
  instructionsEl.textContent = "";
  if (st.instructions) append(instructionsEl, around(t("Consigne : {text}"), "text", fromTemplate(st.instructions)));
  var builders = { paradoxes: paradoxResults, valeurs: valueResults, reves: revesResults, pistes: coverageResults, vote: topResults };
  var now = [];
  if (st.kind === "paradoxes") now = ["paradoxes"];
  else if (st.kind === "valeurs") now = ["valeurs"];
  else if (st.kind === "reves") now = ["reves"];
  else if (st.kind === "pistes") now = ["pistes"];
  else if (PISTE_KINDS[st.kind]) now = ["vote", "pistes"];
  resultsNow.textContent = "";
  if (!now.length) resultsNow.appendChild(h("p", { class: "fc-muted" }, t("Pas de résultats à suivre pendant cette phase : voyez la participation.")));
  now.forEach(function (k) { resultsNow.appendChild(builders[k](s)); });
  resultsMore.textContent = "";
  ["paradoxes", "valeurs", "reves", "pistes", "vote"].forEach(function (k) {
    if (now.indexOf(k) < 0) resultsMore.appendChild(builders[k](s));
  });
}

export { resultsTitle, instructionsEl, resultsNow, resultsMore, results, barList, paradoxResults, valueResults, coverageResults, revesResults, topResults, renderResults };
