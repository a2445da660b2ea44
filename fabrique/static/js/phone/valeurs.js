/* Valeurs: points to allocate (or top-N), saved as they are placed, plus free words per value.
   Points placed are a draft until the server stores them: sent through the outbox a moment after
   the last change (and at once when the page is hidden), and shown as « non enregistré » until then. */
import { LANG, act, allowed, around, clearDraft, draft, fromTemplate, h, instructions, notice, plural, setDraft, state, t, template, ui } from "./core.js";

var timer = null;
var AUTOSAVE_MS = 700;

function points(s) { return draft("values", null) || Object.assign({}, s.mine.values); }

function used(p) { return Object.keys(p).reduce(function (sum, k) { return sum + (p[k] || 0); }, 0); }

function same(a, b) {
  var keys = Object.keys(Object.assign({}, a, b));
  return keys.every(function (k) { return (a[k] || 0) === (b[k] || 0); });
}

/* Send the placed points now, if they differ from what the server holds. */
export function saveValues() {
  clearTimeout(timer);
  timer = null;
  var s = state(), p = draft("values", null);
  if (!p || !allowed("values_set")) return;
  if (same(p, s.mine.values)) { clearDraft(["values"]); return; }
  act("values", "values_set", { points: p }, function (answer) {
    if (same(draft("values", {}), answer.mine.values)) clearDraft(["values"]);
  }, "values-bar");
}

export function unsaved(s) {
  var p = draft("values", null);
  return !!p && !same(p, s.mine.values);
}

export function valuesCounter(s) {
  var p = points(s), n = used(p), settings = s.stage.settings;
  var text = settings.value_method === "points"
    ? plural(n, t("{n} point réparti sur {max}", { n: n, max: settings.value_budget }), t("{n} points répartis sur {max}", { n: n, max: settings.value_budget }))
    : t("{n} {value.pl} {value|choisis|choisies} sur {max}", { n: n, max: settings.value_top_n });
  return unsaved(s) ? text + " · " + t("non enregistré") : text;
}

function change(valueId, amount) {
  var s = state(), next = points(s);
  next[valueId] = Math.max(0, (next[valueId] || 0) + amount);
  if (!next[valueId]) delete next[valueId];
  setDraft("values", next);
  clearTimeout(timer);
  timer = setTimeout(saveValues, AUTOSAVE_MS);
  ui.render();
}

document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden" && timer) saveValues(); });

export function valeurs(s) {
  var settings = s.stage.settings, p = points(s);
  var byPoints = settings.value_method === "points";
  var total = used(p);
  var budget = byPoints ? settings.value_budget : settings.value_top_n;
  var can = allowed("values_set");

  return h("section", { "data-key": "valeurs" },
    instructions(s.stage),
    h("ul", { class: "cards" }, template.values.map(function (v) {
      var mine = p[v.id] || 0;
      var words = s.mine.words.filter(function (w) { return w.value_id === v.id; });
      var wordId = "word-" + v.id;
      return h("li", { class: "card value", "data-key": "value-" + v.id },
        h("h2", { id: "value-title-" + v.id, lang: LANG }, v.label),
        v.ideas.length ? h("p", { class: "ideas", lang: LANG }, v.ideas.join(" · ")) : null,
        byPoints ? h("div", { class: "stepper", role: "group", "aria-labelledby": "value-title-" + v.id },
          h("button", { type: "button", id: "minus-" + v.id, "aria-label": t("Retirer un point à {v}", { v: v.label }),
            "aria-disabled": !can || !mine ? "true" : null, on: { click: function () { if (can && mine) change(v.id, -1); } } }, "−"),
          h("output", { "aria-label": t("Points pour {v}", { v: v.label }) }, String(mine)),
          h("button", { type: "button", id: "plus-" + v.id, "aria-label": t("Ajouter un point à {v}", { v: v.label }),
            "aria-disabled": !can || total >= budget ? "true" : null, on: { click: function () { if (can && total < budget) change(v.id, 1); } } }, "+"))
          : h("label", { class: "pick", for: "pick-" + v.id }, h("input", {
            type: "checkbox", id: "pick-" + v.id, checked: mine > 0, disabled: !can || (!mine && total >= budget),
            on: { change: function (e) { change(v.id, e.target.checked ? 1 : -1); } }
          }), " ", t("Parmi mes {n} {value.pl}", { n: budget })),
        settings.value_max_words ? h("div", { class: "words" },
          h("ul", { class: "chips" }, words.map(function (w) {
            return h("li", { "data-key": "w-" + w.id }, w.word, h("button", {
              type: "button", class: "chip-x", "aria-label": t("Retirer le mot {w}", { w: w.word }), disabled: !allowed("value_word_remove"),
              on: { click: function () { act("words", "value_word_remove", { word_id: w.id }, null, wordId); document.getElementById(wordId).focus(); } }
            }, "×"));
          })),
          h("form", { class: "inline-form", on: { submit: function (e) {
            e.preventDefault();
            var input = document.getElementById(wordId), word = input.value.trim();
            if (!word) return;
            act("words", "value_word_add", { value_id: v.id, word: word }, function () { clearDraft([wordId]); }, wordId);
            setDraft(wordId, "");
            input.value = "";
          } } },
            h("label", { for: wordId, class: "visually-hidden" }, around(t("Un mot que vous associez à {v}"), "v", fromTemplate(v.label))),
            h("input", { id: wordId, maxlength: 30, placeholder: t("Un mot associé"), value: draft(wordId, ""), disabled: !allowed("value_word_add"),
              on: { input: function (e) { setDraft(wordId, e.target.value); } } }),
            h("button", { type: "submit", disabled: !allowed("value_word_add") }, t("Ajouter"))),
          notice("words", wordId)) : null);
    })),
    unsaved(s) || ui.notices.values ? h("div", { class: "row", "data-key": "values-save" },
      h("button", { type: "button", class: "primary", id: "values-save", "aria-disabled": can ? null : "true",
        on: { click: function () { if (can) saveValues(); } } }, t("Enregistrer mon vote maintenant"))) : null);
}
