/* Pistes: write one under a theme with an horizon and hashtags; edit or withdraw my own. */
import { LANG, tw, act, allowed, clearDraft, draft, drafts, h, hashtags, instructions, notice, setDraft, setNotice, t, template, themes, ui } from "./core.js";
import { textArea, themePicker } from "./fields.js";

function pisteForm(s) {
  var editing = ui.editing;
  var own = editing ? s.mine.pistes.filter(function (p) { return p.id === editing; })[0] : null;
  if (editing && !own) editing = ui.editing = null;
  var theme = draft("piste-theme", template.themes[0].id);
  var horizon = draft("piste-horizon", template.horizons[0].id);
  var tags = draft("piste-tags", []);
  var th = themes[theme] || template.themes[0];
  var can = allowed(editing ? "piste_edit" : "piste_add");
  return h("form", { class: "card stack", id: "piste-form", on: { submit: function (e) {
    e.preventDefault();
    var text = (drafts["piste-text"] || "").trim();
    if (text.length > 500) { setNotice("piste", "error", t("{Piste.le} est trop {piste|long|longue} : 500 caractères au plus."), null); return; }
    if (text.length < 5) { setNotice("piste", "error", t("Décrivez votre {piste.sg} (5 caractères au moins)."), null); return; }
    var data = { theme_id: theme, horizon: horizon, hashtags: tags, text: text };
    if (editing) data.piste_id = editing;
    var wasEditing = editing;
    act("piste", editing ? "piste_edit" : "piste_add", data, function () {
      clearDraft(["piste-text", "piste-tags"]);
      if (wasEditing === ui.editing) ui.editing = null;
    });
  } } },
    h("h2", null, editing ? tw("Modifier {piste|mon|ma|mon} {piste.sg}") : tw("Proposer {piste.un}")),
    themePicker("piste-theme", theme, function (id) { setDraft("piste-theme", id); ui.render(); }),
    th.defi ? h("details", { class: "defi" }, h("summary", null, t("Le défi et ses questions")),
      h("p", { lang: LANG }, th.defi),
      h("ul", { lang: LANG }, th.questions.map(function (q) { return h("li", null, q); }))) : null,
    textArea("piste-text", tw("{Piste|Mon|Ma|Mon} {piste.sg}"), 500, t("Une proposition concrète…")),
    h("fieldset", { class: "horizons" }, h("legend", null, t("Horizon")),
      template.horizons.map(function (hz) {
        var id = "horizon-" + hz.id;
        return h("label", { for: id }, h("input", { type: "radio", id: id, name: "horizon", value: hz.id, checked: horizon === hz.id,
          on: { change: function () { setDraft("piste-horizon", hz.id); ui.render(); } } }), " ", h("span", { lang: LANG }, hz.label));
      })),
    template.hashtags.length ? h("details", { class: "hashtags-box", open: ui.tagsOpen || tags.length > 0,
      on: { toggle: function (e) { ui.tagsOpen = e.target.open; } } },
      h("summary", null, tags.length ? t("Hashtags : {list}", { list: hashtags(tags) }) : t("Ajouter des hashtags (facultatif)")),
      h("fieldset", { class: "hashtags" }, h("legend", null, t("Hashtags (5 au plus)")),
        template.hashtags.map(function (tag) {
          var id = "tag-" + tag;
          var on = tags.indexOf(tag) !== -1;
          return h("label", { for: id, class: "chip" + (on ? " is-on" : "") }, h("input", {
            type: "checkbox", id: id, checked: on, disabled: !on && tags.length >= 5,
            on: { change: function (e) {
              var next = tags.filter(function (x) { return x !== tag; });
              if (e.target.checked) next.push(tag);
              setDraft("piste-tags", next);
              ui.render();
            } }
          }), h("span", { lang: LANG }, "#" + tag));
        }))) : null,
    notice("piste"),
    h("div", { class: "row" },
      h("button", { type: "submit", class: "primary", id: "piste-submit", disabled: !can }, editing ? t("Enregistrer la modification") : tw("Proposer {piste.ce}")),
      editing ? h("button", { type: "button", id: "piste-cancel", on: { click: function () {
        ui.editing = null; clearDraft(["piste-text", "piste-tags"]); ui.render(); document.getElementById("piste-text").focus();
      } } }, t("Annuler")) : null));
}

export function pistes(s) {
  return h("section", { "data-key": "pistes" },
    instructions(s.stage),
    pisteForm(s),
    s.mine.pistes.length ? h("section", { class: "card", "data-key": "my-pistes" },
      h("h2", null, tw("Mes {piste.pl} ({n})", { n: s.mine.pistes.length })),
      h("ul", { class: "mine" }, s.mine.pistes.map(function (p) {
        var status = p.status === "hidden" ? t("masquée par l'animation") : p.status === "merged" ? t("{piste|fusionné|fusionnée} avec {piste.un} {piste|proche|proche}") : null;
        var th = themes[p.theme_id] || {};
        return h("li", { "data-key": "piste-" + p.id },
          h("span", { class: "tag", style: "--theme:" + th.color, lang: LANG }, th.title),
          " ", h("span", { class: "horizon", lang: LANG }, p.horizon), " ", p.text,
          p.hashtags.length ? h("span", { class: "tags", lang: LANG }, " ", hashtags(p.hashtags)) : null,
          status ? h("em", null, " — ", status) : null,
          p.status === "visible" || p.status === "hidden" ? h("span", { class: "row" },
            h("button", { type: "button", class: "link", id: "edit-" + p.id, disabled: !allowed("piste_edit"), on: { click: function () {
              ui.editing = p.id;
              setDraft("piste-text", p.text); setDraft("piste-theme", p.theme_id); setDraft("piste-horizon", p.horizon); setDraft("piste-tags", p.hashtags);
              ui.render();
              var field = document.getElementById("piste-text");
              field.value = p.text;
              field.focus();
              document.getElementById("piste-form").scrollIntoView({ block: "start" });
            } } }, t("Modifier")),
            h("button", { type: "button", class: "link", disabled: !allowed("piste_withdraw"), on: { click: function () {
              if (window.confirm(t("Retirer {piste.ce} ?"))) act("piste", "piste_withdraw", { piste_id: p.id });
            } } }, t("Retirer"))) : null);
      }))) : null);
}
