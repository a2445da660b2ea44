/* Form parts shared by the rêves and pistes phases: the theme picker and a counted text area. */
import { LANG, draft, fromTemplate, h, setDraft, t, template, themes, vocab } from "./core.js";

export function themePicker(name, selected, onPick) {
  // Long titles ("Cadre de vie et renouvellement urbain") get one column, never a sideways scroll.
  var long = template.themes.some(function (th) { return th.title.length > 28; });
  var chosen = themes[selected];
  return h("fieldset", { class: "theme-picker" + (long ? " is-long" : ""), "data-key": name },
    h("legend", null, fromTemplate(window.FabriqueVocabulary.cap(vocab.theme.sg))),
    template.themes.map(function (th) {
      var id = name + "-" + th.id;
      return h("label", { for: id, class: "theme-option" + (selected === th.id ? " is-selected" : ""), style: "--theme:" + th.color },
        h("input", { type: "radio", id: id, name: name, value: th.id, checked: selected === th.id,
          on: { change: function () { onPick(th.id); } } }), h("span", { lang: LANG }, th.title));
    }),
    chosen ? themeGuide(chosen) : null);
}

/* What the framework says of the chosen theme, to write from: its keywords and its objectives. */
function themeGuide(th) {
  var objectives = th.objectives || [];
  if (!(th.tags || []).length && !objectives.length) return null;
  return h("div", { class: "theme-guide" },
    (th.tags || []).length ? h("p", null, h("strong", null, t("Mots-clés : ")), h("span", { lang: LANG }, th.tags.join(" · "))) : null,
    objectives.length ? h("details", null, h("summary", null, t("Objectifs et chantiers du cadre ({n})", { n: objectives.length })),
      h("ul", { lang: LANG }, objectives.map(function (o) { return h("li", null, o.title); }))) : null);
}

function hintText(text, max) {
  return text.length > max ? t("{n} caractères : {max} au plus, raccourcissez.", { n: text.length, max: max })
    : t("{n} / {max} caractères", { n: text.length, max: max });
}

export function textArea(id, label, max, placeholder) {
  var value = draft(id, "");
  return [
    h("label", { for: id }, label),
    h("textarea", { id: id, placeholder: placeholder, "aria-describedby": id + "-count", on: { input: function (e) {
      setDraft(id, e.target.value);
      var hint = document.getElementById(id + "-count");
      if (hint) {
        hint.textContent = hintText(e.target.value, max);
        hint.classList.toggle("is-over", e.target.value.length > max);
      }
    } } }, value),
    h("p", { id: id + "-count", class: "count" + (value.length > max ? " is-over" : "") }, hintText(value, max))
  ];
}
