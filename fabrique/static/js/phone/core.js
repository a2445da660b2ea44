/* The phone's shared part: the template's lookups, drafts kept across reloads, the outbox's notices,
   and the one way an action is sent. Every phase module reads from here and draws with h(). */
import { around, h, inLang, plural, withWords } from "../dom.js";

export var F = window.Fabrique;
export var boot = F.boot;
export var template = boot.template;
/* Translate, with the method words of the template's vocabulary ("{piste.ce}" → "cette piste d'action"). */
export var t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), template.vocabulary), values); };
export var vocab = template.vocabulary || {};
/* The template's texts are in its language: elements holding them carry `lang: LANG` (dom.js writes
   it only when the page is in another language); fromTemplate() marks one among interface text. */
export var LANG = template.language || "fr";
export function fromTemplate(text) { return inLang(LANG, text); }
/* t() for text shown in an element: the method words it puts in carry the template's language. */
export function tw(text, values) { return withWords(F.t(text), vocab, LANG, values); }
export var themes = F.byId(template.themes);
var personas = F.byId(template.personas || []);
/* The participant's persona card, from the template's data: the state names it by id. */
export function myPersona(s) { return personas[s.me.persona_id] || null; }
export var key = "fabrique:" + boot.state.atelier.join_code + ":" + boot.state.me.id;

/* What the phone shares between its modules; `render` is set by participant.js. */
export var ui = {
  live: null, outbox: null, online: false, render: function () {}, say: function () {},
  notices: {},        // form name → {kind: ok|error|pending|offline, text, near: element key}
  last: null,         // the latest notice, shown in the sticky bar
  editing: null,      // id of the piste being edited
  tagsOpen: false
};

function load(name, fallback) {
  try { return JSON.parse(localStorage.getItem(key + ":" + name)) || fallback; } catch (e) { return fallback; }
}
function save(name, value) { try { localStorage.setItem(key + ":" + name, JSON.stringify(value)); } catch (e) { /* memory only */ } }

/* Drafts: what the person typed or placed, kept across redraws, reloads and lost connections. */
export var drafts = load("drafts", {});
export function draft(name, fallback) { return drafts[name] !== undefined ? drafts[name] : fallback; }
export function setDraft(name, value) { drafts[name] = value; save("drafts", drafts); }
export function clearDraft(names) { names.forEach(function (n) { delete drafts[n]; }); save("drafts", drafts); }

export function state() { return ui.live ? ui.live.state() : boot.state; }
export function allowed(action) { return state().stage.allowed.indexOf(action) !== -1; }

export var OFFLINE = "Hors ligne : ce sera envoyé dès le retour de la connexion.";

/* Record the outcome of an action for `form`; `near` names the control it belongs to. */
export function setNotice(form, kind, text, near) {
  var n = { form: form, kind: kind, text: text, near: near === undefined ? (ui.notices[form] || {}).near : near, at: Date.now() };
  ui.notices[form] = n;
  ui.last = n;
  ui.render();
  if (kind === "error") ui.say(text);
}

/* Send an action through the outbox; its outcome is shown beside `near` (or the form) and in
   the sticky bar. The outbox's callback applies every answer, those queued before a reload too. */
export function act(form, event, data, onStored, near) {
  if (ui.online) setNotice(form, "pending", t("Envoi…"), near || null);
  else setNotice(form, "offline", t(OFFLINE), near || null);
  return ui.outbox.send(event, Object.assign({ form: form }, data)).then(function (answer) {
    if (answer && answer.ok && onStored) { onStored(answer); ui.render(); }
    return answer;
  });
}

/* The outcome of `form`'s last action, drawn where it belongs. Not a live region: the sticky bar's
   one status region says it aloud. */
export function notice(form, near) {
  var n = ui.notices[form];
  if (near !== undefined && (!n || n.near !== near)) return null;
  if (near === undefined && n && n.near) n = null;
  return h("p", { class: "notice " + (n ? "notice-" + n.kind : ""), "data-key": "notice-" + form + (near ? "-" + near : "") }, n ? n.text : "");
}

export function instructions(stage) {
  return stage.instructions ? h("p", { class: "instructions", "data-key": "instructions", lang: LANG }, stage.instructions) : null;
}

export function hashtags(list) { return list.map(function (x) { return "#" + x; }).join(" "); }

export { around, h, plural };
