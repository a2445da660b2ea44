/* Form parts shared by the rêves and pistes phases: the theme picker and a counted text area. */
import { draft, h, setDraft, t, template, vocab } from "./core.js";

export function themePicker(name, selected, onPick) {
  return h("fieldset", { class: "theme-picker", "data-key": name },
    h("legend", null, vocab.theme || t("Thème")),
    template.themes.map(function (th) {
      var id = name + "-" + th.id;
      return h("label", { for: id, class: "theme-option" + (selected === th.id ? " is-selected" : ""), style: "--theme:" + th.color },
        h("input", { type: "radio", id: id, name: name, value: th.id, checked: selected === th.id,
          on: { change: function () { onPick(th.id); } } }), th.title);
    }));
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
