/* The atelier's settings form (dots, values method, persona assignment, limits). */
import { act, actionButton, errorArea, h, isOff, plainButton, plural, setOff, showError, t, ui } from "./core.js";

// Settings -----------------------------------------------------------------------------------------
var SETTINGS = [
  { name: "dots", label: t("Gommettes par personne (vote)"), min: 1, max: 50 },
  { name: "paradox_choices", label: t("{Paradox.pl} à marquer par personne"), min: 1, max: 20 },
  { name: "value_method", label: t("Vote sur {value.les}"),
    choices: [["points", t("Répartir des points")], ["top_n", t("Choisir {value.les} {value|préférés|préférées}")]] },
  { name: "value_budget", label: t("Points à répartir (méthode des points)"), min: 1, max: 100 },
  { name: "value_top_n", label: t("{Value.pl} à choisir (méthode du choix)"), min: 1, max: 20 },
  { name: "value_max_words", label: t("Mots associés aux {value.pl}, par personne"), min: 0, max: 20 },
  { name: "persona_assignment", label: t("Habitants fictifs"),
    choices: [["balanced", t("Attribués par l'animation (répartis)")], ["choice", t("Choisis par chaque participant")]] },
  { name: "max_pistes_per_participant", label: t("{Piste.pl} par personne, au plus"), min: 1, max: 200 },
  { name: "max_reves_per_participant", label: t("{Reve.pl} par personne, au plus"), min: 1, max: 50 }
];
var settingFields = {};
var settingsDirty = {};
var settingsNote = h("p", { class: "fc-note" });
var settingsSave = actionButton("settings-save", t("Enregistrer les réglages"), null, { submit: true, cls: "primary" });
var settingsForm = h("form", { class: "fc-settings-form", novalidate: true },
  SETTINGS.map(function (s) {
    var id = "fc-set-" + s.name;
    var field = s.choices
      ? h("select", { id: id, name: s.name }, s.choices.map(function (c) { return h("option", { value: c[0] }, c[1]); }))
      : h("input", { id: id, name: s.name, type: "number", min: String(s.min), max: String(s.max), step: "1", inputmode: "numeric" });
    field.addEventListener("input", function () { settingsDirty[s.name] = true; renderSettings(ui.state); });
    field.addEventListener("change", function () { settingsDirty[s.name] = true; renderSettings(ui.state); });
    settingFields[s.name] = field;
    return h("div", { class: "fc-setting" },
      h("label", { for: id }, s.label),
      s.choices ? null : h("span", { class: "fc-hint", id: id + "-hint" }, t("de {min} à {max}", { min: s.min, max: s.max })),
      field);
  }),
  settingsNote,
  errorArea("settings"),
  h("div", { class: "fc-form-actions" },
    settingsSave,
    plainButton("settings-reset", t("Annuler les modifications"), function () {
      settingsDirty = {};
      showError("settings", "");
      renderSettings(ui.state);
    }, { cls: "fc-btn-ghost" })));
SETTINGS.forEach(function (s) { if (!s.choices) settingFields[s.name].setAttribute("aria-describedby", "fc-set-" + s.name + "-hint"); });
settingsForm.addEventListener("submit", function (ev) {
  ev.preventDefault();
  if (isOff(settingsSave)) return;
  saveSettings();
});
var settingsPanel = h("details", { class: "fc-panel fc-settings" },
  h("summary", {}, h("h2", { class: "fc-summary-title" }, t("Réglages de l'atelier"))),
  settingsForm);

// ---------------------------------------------------------------------------------------
// Settings

function renderSettings(s) {
  var settings = (s.stage && s.stage.settings) || {};
  var dirty = 0;
  SETTINGS.forEach(function (def) {
    var field = settingFields[def.name];
    if (settingsDirty[def.name]) { dirty++; field.classList.add("is-dirty"); return; }
    field.classList.remove("is-dirty");
    var value = settings[def.name] === undefined || settings[def.name] === null ? "" : String(settings[def.name]);
    if (field.value !== value && document.activeElement !== field) field.value = value;
  });
  var note = dirty ? plural(dirty, t("{n} réglage modifié, pas encore enregistré.", { n: dirty }),
    t("{n} réglages modifiés, pas encore enregistrés.", { n: dirty })) : "";
  if (settingsNote.textContent !== note) settingsNote.textContent = note;
  setOff(settingsSave, !dirty);
}

function saveSettings() {
  var out = {};
  SETTINGS.forEach(function (def) {
    if (!settingsDirty[def.name]) return;
    var raw = settingFields[def.name].value;
    if (def.choices) out[def.name] = raw;
    else out[def.name] = /^\s*-?\d+\s*$/.test(raw) ? parseInt(raw, 10) : raw;
  });
  act("settings_update", { settings: out }, {
    key: "settings-save", area: "settings", msg: t("Réglages enregistrés."),
    ok: function () { settingsDirty = {}; renderSettings(ui.state); }
  });
}

export { SETTINGS, settingFields, settingsDirty, settingsNote, settingsSave, settingsForm, settingsPanel, renderSettings, saveSettings };
