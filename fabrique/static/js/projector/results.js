/* Paradoxes ranking and values with their word cloud. */
import { LANG, MAX_WORDS, bar, count, empty, h, hidden, paradoxesById, plural, t, tw, valuesById } from "./core.js";
import { overflows } from "./fit.js";

function renderParadoxes(state) {
  var list = state.paradoxes || [];
  var max = list.reduce(function (m, p) { return Math.max(m, count(p.count)); }, 0);
  var rows = list.map(function (item, i) {
    var paradox = paradoxesById[item.id] || {};
    var title = paradox.title || item.id;
    var n = count(item.count);
    return h("li", { class: "rank-row" + (i === 0 && n ? " is-first" : "") },
      h("span", { class: "rank-pos", "aria-hidden": "true", text: String(i + 1) }),
      h("p", { class: "rank-title", lang: paradox.title ? LANG : null, text: title }),
      bar(n, max, t("{title} : {n} choix", { title: title, n: n }), "rank-bar"),
      h("span", { class: "rank-n", "aria-hidden": "true", text: String(n) }));
  });
  return h("div", { class: "view view-paradoxes" },
    list.length ? h("ol", { class: "rank-list", style: "--rows:" + list.length }, rows) : empty(tw("{Paradox|Aucun|Aucune} {paradox.sg} dans ce modèle")),
    max ? null : h("p", { class: "hint", text: t("En attente des choix des participants…") }));
}

/* ---- valeurs ----------------------------------------------------------------------------- */

function renderValeurs(state) {
  var list = state.values || [];
  var max = list.reduce(function (m, v) { return Math.max(m, count(v.points)); }, 0);
  var rows = list.map(function (item, i) {
    var value = valuesById[item.id] || {};
    var label = value.label || item.id;
    var points = count(item.points);
    var voters = count(item.voters);
    return h("li", { class: "value-row" + (i === 0 && points ? " is-first" : "") },
      h("div", { class: "value-line" },
        h("p", { class: "value-label", lang: value.label ? LANG : null, text: label }),
        h("p", { class: "value-voters", text: plural(voters, t("{n} votant", { n: voters }), t("{n} votants", { n: voters })) })),
      h("div", { class: "value-line" },
        bar(points, max, t("{label} : {n} points", { label: label, n: points }), "value-bar"),
        h("p", { class: "value-points", "aria-hidden": "true" },
          h("span", { class: "value-points-n", text: String(points) }),
          h("span", { class: "value-points-unit", text: plural(points, t("point"), t("points")) }))));
  });
  return h("div", { class: "view view-valeurs" },
    h("section", { class: "values", "aria-labelledby": "values-title" },
      h("h2", { id: "values-title", class: "section-title" }, tw("{Value.les}")),
      list.length ? h("ol", { class: "value-list" }, rows) : empty(tw("{Value|Aucun|Aucune} {value.sg} dans ce modèle"))),
    h("section", { class: "cloud-wrap", "aria-labelledby": "cloud-title" },
      h("h2", { id: "cloud-title", class: "section-title", text: t("Les mots des participants") }),
      wordCloud(state.words || [])));
}

var CLOUD_COLORS = ["#1c2430", "#1b5e8c", "#8a3b12", "#2f5d3a", "#5b3a8c"];

function wordCloud(words) {
  words = words.slice(0, MAX_WORDS);
  if (!words.length) return h("div", { class: "cloud is-empty" }, empty(t("Les mots apparaîtront ici")));
  var counts = words.map(function (w) { return count(w.count); });
  var lo = Math.sqrt(Math.min.apply(null, counts)), hi = Math.sqrt(Math.max.apply(null, counts));
  var low = words.length < 15 ? 40 : 28;   // few words: none of them tiny
  // Biggest in the middle: 0 at the centre, then alternately after and before it.
  var ordered = [];
  words.forEach(function (w, rank) {
    var ratio = hi > lo ? (Math.sqrt(count(w.count)) - lo) / (hi - lo) : 0.3;
    var size = (low + ratio * (96 - low)) / 16;   // low..96 px at 1920 wide, in rem
    var li = h("li", { class: "cloud-word", dir: "auto", "data-rank": String(rank),
      style: "font-size:" + size.toFixed(3) + "rem;color:" + CLOUD_COLORS[rank % CLOUD_COLORS.length] },
      w.word, hidden(" (" + count(w.count) + ")"));
    if (rank % 2) ordered.push(li); else ordered.unshift(li);
  });
  return h("ul", { class: "cloud" }, ordered);
}

/* Drop the least frequent words until the cloud fits its box. */
function fitCloud(root) {
  var cloud = root.querySelector(".cloud");
  if (!cloud || cloud.classList.contains("is-empty")) return;
  var items = Array.prototype.slice.call(cloud.children).sort(function (a, b) {
    return Number(b.getAttribute("data-rank")) - Number(a.getAttribute("data-rank"));
  });
  var i = 0;
  while (i < items.length - 1 && overflows(cloud)) { cloud.removeChild(items[i]); i++; }
}

/* ---- rêves ------------------------------------------------------------------------------- */

export { renderParadoxes, renderValeurs, CLOUD_COLORS, wordCloud, fitCloud };
