/* The console's shared part: lookups from the template, the state every panel reads (ui), buttons
   that send actions and stay focusable while they wait, message areas, and focus kept across redraws. */
import { h, inLang, plural, withWords } from "../dom.js";

var F = window.Fabrique;
var boot = F.boot;
var tpl = boot.template || {};
var vocab = tpl.vocabulary || {};
/* Translate, with the method words of the template's vocabulary ("{piste.ce}" → "cette piste d'action"). */
var t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), vocab), values); };
/* The template's texts are in its language: elements holding them carry `lang: LANG` (dom.js writes
   it only when the page is in another language); fromTemplate() marks one among interface text,
   unless `known` is given and empty (a fallback label, which is interface text). */
var LANG = tpl.language || "fr";
function fromTemplate(text, known) { return arguments.length > 1 && !known ? text : inLang(LANG, text); }
/* t() for text shown in an element: the method words it puts in carry the template's language. */
function tw(text, values) { return withWords(F.t(text), vocab, LANG, values); }
var personaById = F.byId(tpl.personas);
var themeById = F.byId(tpl.themes);
var horizonById = F.byId(tpl.horizons);
var valueById = F.byId(tpl.values);
var paradoxById = F.byId(tpl.paradoxes);
var ACTED_KINDS = { paradoxes: 1, valeurs: 1, reves: 1, pistes: 1, vote: 1 };
var PISTE_KINDS = { pistes: 1, vote: 1, convergence: 1, cloture: 1 };

var ui = { state: boot.state, live: null, online: false };  // shared by every panel


var busy = {};              // button key → true while its action waits for an answer
var awaiting = {};          // button key → fallback timer, while waiting for the aggregate after an "ok"
var modes = {};             // piste id → {kind: "edit" | "merge", theme, base} while a form is open
var closeOnAggregate = {};  // piste id → true once saved: the form closes when the new data arrives
var expanded = {};          // piste id → true when its long text is unfolded
var cards = {};             // piste id → {el, body, msg, sig, mode, supports, note}
var errors = {};            // message area name → element (role="alert")
var pendingFocus = [];      // keys to focus after the next redraw, first found wins
var toastTimer = null;
var sigs = {};              // panel → signature of the data it was last drawn from

// ---------------------------------------------------------------------------------------
// Small helpers


function norm(text) {
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function shorten(text, max) {
  text = String(text || "").replace(/\s+/g, " ").trim();
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

function safeColor(color, fallback) {
  return /^#[0-9a-fA-F]{6}$/.test(color || "") ? color : (fallback || "#3b5b92");
}

function personaLabel(id) {
  var p = personaById[id];
  return p ? p.label : t("Sans habitant fictif");
}

function themeTitle(id) {
  var th = themeById[id];
  return th ? th.title : t("{Theme.sg} {theme|inconnu|inconnue}");
}

function horizonLabel(id) {
  var hz = horizonById[id];
  return hz ? hz.label : (id || "");
}

/* "2024 — court terme" → "2024" on the cards (the full label is the title). */
function shortHorizon(id) {
  var label = horizonLabel(id);
  var cut = label.split(" — ")[0];
  return cut && cut.length <= 12 ? cut : label;
}

function vh(text) { return h("span", { class: "visually-hidden" }, text); }

function icon(symbol) { return h("span", { class: "fc-ico", "aria-hidden": "true" }, symbol); }

function personaDot(id) {
  var p = personaById[id];
  return h("span", { class: "fc-dot", "aria-hidden": "true", style: "--c:" + safeColor(p && p.color, "#8a8a8a") });
}

// ---------------------------------------------------------------------------------------
// Buttons that send actions: aria-disabled (not disabled) so that the focus stays on them
// while they wait; they are off while offline, while busy, or when they make no sense now.

function actionButton(key, content, onClick, opts) {
  opts = opts || {};
  var b = h("button", {
    type: opts.submit ? "submit" : "button",
    class: "fc-btn" + (opts.cls ? " " + opts.cls : ""),
    "data-key": key, "data-action": "1",
    "aria-label": opts.label, title: opts.title
  }, content);
  b.addEventListener("click", function (ev) {
    if (isOff(b)) { ev.preventDefault(); return; }
    if (!opts.submit && onClick) onClick(ev);
  });
  setOff(b, opts.off);
  return b;
}

function plainButton(key, content, onClick, opts) {
  opts = opts || {};
  return h("button", { type: "button", class: "fc-btn" + (opts.cls ? " " + opts.cls : ""), "data-key": key,
    "aria-label": opts.label, title: opts.title, "aria-expanded": opts.expanded, on: { click: onClick } }, content);
}

function isOff(b) { return b.getAttribute("aria-disabled") === "true"; }

function setOff(b, off) {
  b.setAttribute("data-off", off ? "1" : "0");
  applyOff(b);
}

function applyOff(b) {
  var key = b.getAttribute("data-key");
  var off = !ui.online || !!busy[key] || b.getAttribute("data-off") === "1";
  if (off) b.setAttribute("aria-disabled", "true"); else b.removeAttribute("aria-disabled");
  b.classList.toggle("is-busy", !!busy[key]);
}

function refreshDisabled() {
  Array.prototype.forEach.call(root.querySelectorAll("[data-action]"), applyOff);
}

// ---------------------------------------------------------------------------------------
// Messages: one role="alert" area per control group, one role="status" for confirmations.

function errorArea(name, cls) {
  var el = h("p", { class: "fc-alert" + (cls ? " " + cls : ""), role: "alert" });
  errors[name] = el;
  return el;
}

function showError(name, message) {
  var el = errors[name];
  if (el && el.textContent !== (message || "")) el.textContent = message || "";
}

function announce(message) {
  clearTimeout(toastTimer);
  toast.textContent = "";
  setTimeout(function () {
    toast.textContent = message;
    toast.classList.add("is-shown");
    toastTimer = setTimeout(function () { toast.classList.remove("is-shown"); toast.textContent = ""; }, 4500);
  }, 30);
}

/* Send a facilitator action. o: {key (button), area (message area), msg (said on success),
   ok(answer), fail(answer), awaitAggregate (keep the button busy until the new data arrives)}. */
function act(event, data, o) {
  o = o || {};
  if (!ui.online || !ui.live) {
    showError(o.area, t("Hors connexion : l'action n'a pas été envoyée."));
    return Promise.resolve(null);
  }
  if (o.key) { busy[o.key] = true; refreshDisabled(); }
  var payload = Object.assign({ op_id: F.uuid() }, data);
  return ui.live.emit(event, payload).then(function (answer) {
    if (answer && answer.ok) {
      showError(o.area, "");
      if (o.msg) announce(o.msg);
      release(o.key, o.awaitAggregate);
      if (o.ok) o.ok(answer);
    } else {
      showError(o.area, (answer && answer.error) || t("Action refusée par le serveur."));
      release(o.key, false);
      if (o.fail) o.fail(answer);
    }
    return answer;
  }, function () {
    showError(o.area, ui.online
      ? t("Le serveur n'a pas répondu : vérifiez si l'action a eu lieu avant de réessayer.")
      : t("Connexion perdue : l'action n'a peut-être pas été enregistrée."));
    release(o.key, false);
    if (o.fail) o.fail(null);
    return null;
  });
}

function release(key, waitForData) {
  if (!key) return;
  if (waitForData) {
    awaiting[key] = setTimeout(function () { delete awaiting[key]; delete busy[key]; refreshDisabled(); }, 2500);
  } else {
    delete busy[key];
    refreshDisabled();
  }
}

function settleAwaiting() {
  Object.keys(awaiting).forEach(function (key) {
    clearTimeout(awaiting[key]);
    delete awaiting[key];
    delete busy[key];
  });
  Object.keys(closeOnAggregate).forEach(function (id) {
    delete closeOnAggregate[id];
    if (!modes[id]) return;
    pendingFocus.push(modes[id].kind === "edit" ? "edit-" + id : "unmerge-" + id);
    delete modes[id];
  });
}

var root = h("div", { class: "fc", "aria-live": "off" });
var toast = h("p", { class: "fc-toast", role: "status" });
// ---------------------------------------------------------------------------------------
// Drawing everything, keeping the focus

function activeKey() {
  var el = document.activeElement;
  return el && root.contains(el) ? el.getAttribute("data-key") : null;
}

/* Keys worth focusing when the focused element vanished with a redraw: its twin (a hidden
   rêve's "Réafficher"), the same piste's other buttons, then the neighbouring card. */
function nearKeys(el) {
  var out = [];
  if (!el || !root.contains(el)) return out;
  var key = el.getAttribute("data-key") || "";
  var reve = /^(rhide|rshow)-(\d+)$/.exec(key);
  if (reve) out.push((reve[1] === "rhide" ? "rshow-" : "rhide-") + reve[2]);
  var item = el.closest(".fc-card, .fc-reve, .fc-eng, .fc-eng-piste, .fc-pool-row");
  if (item && item.classList.contains("fc-card")) {
    var id = item.getAttribute("data-id");
    out.push("unmerge-" + id, "hide-" + id, "edit-" + id);
  }
  if (item) {
    [item.nextElementSibling, item.previousElementSibling].forEach(function (sib) {
      var b = sib && sib.querySelector("[data-key]");
      if (b) out.push(b.getAttribute("data-key"));
    });
    out.push(item.classList.contains("fc-card") ? "filter" : "");
    if (item.classList.contains("fc-eng-piste")) out.push("eng-edit-" + item.closest(".fc-eng").getAttribute("data-id"));
    var column = item.closest(".fc-conv-col");
    if (column) out.push("new-title-" + column.getAttribute("data-theme"));
  }
  return out;
}

function restoreFocus(key, near) {
  var el = document.activeElement;
  var lost = !el || el === document.body || !document.contains(el);
  var keys = pendingFocus.splice(0);
  if (!lost) return;
  keys = keys.concat(key ? [key] : [], near || []);
  for (var i = 0; i < keys.length; i++) {
    if (!keys[i]) continue;
    var target = root.querySelector('[data-key="' + keys[i] + '"]');
    if (target && target.offsetParent !== null) { target.focus(); return; }
  }
}

export { F, LANG, fromTemplate, h, t, tw, boot, tpl, vocab, personaById, themeById, horizonById, valueById, paradoxById, ACTED_KINDS, PISTE_KINDS, busy, awaiting, modes, closeOnAggregate, expanded, cards, errors, pendingFocus, toastTimer, sigs, plural, norm, shorten, safeColor, personaLabel, themeTitle, horizonLabel, shortHorizon, vh, icon, personaDot, actionButton, plainButton, isOff, setOff, applyOff, refreshDisabled, errorArea, showError, announce, act, release, settleAwaiting, ui, root, toast, activeKey, nearKeys, restoreFocus };
