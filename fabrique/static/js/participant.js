/* The participant's phone: follows the phases, shows the persona card, sends actions through
   the outbox (nothing is "enregistré" before the server says so) and keeps what is typed.

   Every event redraws the whole view with h() and patches the page with it (dom.js): kept
   elements stay, so focus, scroll and typing survive. One phase module per kind of phase. The
   sticky bar at the bottom is always in view: what is left to place in this phase, the outcome
   of the last action, and the page's one status region that says it aloud. */
import { F, OFFLINE, boot, fromTemplate, h, key, myPersona, notice, plural, setNotice, state, t, ui } from "./phone/core.js";
import { patch } from "./dom.js";
import { welcome } from "./phone/persona.js";
import { paradoxCounter, paradoxes } from "./phone/paradoxes.js";
import { saveValues, unsaved, valeurs, valuesCounter } from "./phone/valeurs.js";
import { reves } from "./phone/reves.js";
import { pistes } from "./phone/pistes.js";
import { dotsCounter, vote } from "./phone/vote.js";
import { cloture, convergence } from "./phone/convergence.js";

var BODIES = { accueil: welcome, personas: welcome, paradoxes: paradoxes, valeurs: valeurs, reves: reves,
  pistes: pistes, vote: vote, convergence: convergence, cloture: cloture };
var COUNTERS = { paradoxes: paradoxCounter, valeurs: valuesCounter, vote: dotsCounter };

var app = document.getElementById("app");
// A join is answered with this page itself, at the form's address: the history gets the app's own
// (its canonical link), so that a reload opens the app rather than posting the form again.
var canonical = document.querySelector('link[rel="canonical"]');
if (canonical && location.href !== canonical.href) history.replaceState(history.state, "", canonical.href);
var shownPhase = boot.state.stage.index;
var spoken = "";
// Outside the patched tree, so that it is never moved or rebuilt: screen readers keep hearing it.
var liveRegion = h("p", { id: "live-status", class: "visually-hidden", role: "status", "aria-live": "polite" });
document.body.appendChild(liveRegion);

function pendingCount() { return ui.outbox ? ui.outbox.pending().length : 0; }

/* Say `text` once through the page's one live region (kept in the DOM, so always announced). */
function say(text) {
  if (!text || text === spoken) return;
  spoken = text;
  liveRegion.textContent = text;
}

function header(s) {
  var persona = myPersona(s), stage = s.stage;
  return h("header", { class: "phone-head", "data-key": "head" },
    h("div", { class: "phone-row" },
      h("p", { class: "atelier-name" }, s.atelier.name),
      h("p", { id: "connection", class: "connection " + (ui.online ? "is-online" : "is-offline") },
        ui.online ? t("Connecté") : t("Hors ligne"))),
    persona ? h("div", { class: "persona-chip", style: "--persona:" + persona.color },
      h("img", { src: persona.illustration, alt: "", width: 40, height: 40 }),
      h("span", null, h("strong", null, s.me.pseudonym), " · ", t("vous êtes"), " ", persona.name, ", ", fromTemplate(persona.label.toLowerCase()))) : null,
    h("div", { class: "phase-line" },
      h("h1", { id: "phase-title", tabindex: "-1", lang: F.titleLang(stage.title) }, stage.title),
      h("span", { class: "phase-count" }, t("Phase {i} sur {n}", { i: stage.index + 1, n: stage.count })),
      h("span", { id: "timer", class: "timer", role: "timer", "aria-live": "off" })),
    stage.locked ? h("p", { class: "locked" }, t("Phase verrouillée par l'animation : les contributions sont closes.")) : null,
    notice("global"));
}

/* Actions the server refused after the phone came back online (or while it looked elsewhere):
   each stays here, with the reason and what was written, until the person dismisses it. */
function refusedTray() {
  var items = ui.outbox ? ui.outbox.refused() : [];
  if (!items.length) return null;
  return h("section", { id: "refused", class: "refused", role: "alert", "aria-labelledby": "refused-title", "data-key": "refused" },
    h("h2", { id: "refused-title" }, t("Non enregistré")),
    h("ul", null, items.map(function (r) {
      var written = r.data.text || r.data.word || r.data.title || "";
      return h("li", { "data-key": "refused-" + r.data.op_id },
        h("p", { class: "refused-reason" }, r.error || t("Refusé.")),
        written ? h("blockquote", { class: "refused-text", dir: "auto" }, written) : null,
        h("button", { type: "button", class: "link", on: { click: function () { ui.outbox.dismiss(r.data.op_id); render(); } } },
          t("J'ai noté, retirer ce message")));
    })));
}

function shownInPlace(n) {
  return !!document.querySelector('[data-key="notice-' + n.form + (n.near ? "-" + n.near : "") + '"]');
}

/* The sticky bar: what is left to place, the last action's outcome, actions waiting to be sent. */
function stickyBar(s) {
  var counter = COUNTERS[s.stage.kind];
  var count = pendingCount();
  // A notice drawn beside its control is not repeated here; the others (the values' autosave) are.
  var last = ui.last && Date.now() - ui.last.at < 8000 && !shownInPlace(ui.last) ? ui.last : null;
  return [
    counter ? h("p", { class: "counter" + (s.stage.kind === "valeurs" && unsaved(s) ? " is-unsaved" : ""), id: "counter" }, counter(s)) : null,
    last ? h("p", { class: "notice notice-" + last.kind, id: "bar-notice" }, last.text) : null,
    count ? h("p", { id: "pending", class: "pending" },
      plural(count, t("{n} action en attente d'envoi", { n: count }), t("{n} actions en attente d'envoi", { n: count }))) : null];
}

function tickTimer() {
  var el = document.getElementById("timer");
  if (!el || !ui.live) return;
  var stage = ui.live.state().stage;
  var left = F.timerRemaining(stage, ui.live.now());
  var text = left === null ? "" : (stage.timer.ends_at ? "⏱ " : "⏸ ") + F.formatTimer(left);
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle("timer-ending", left !== null && left < 60000);
}

function render() {
  var s = state();
  var body = (BODIES[s.stage.kind] || convergence)(s);
  patch(app, h("div", { class: "phone-app", "data-key": "phone" },
    header(s),
    refusedTray(),
    h("div", { id: "phase-body", "data-key": "phase-" + s.stage.index }, body),
    h("div", { class: "phone-bar", id: "phone-bar", "data-own": "" })));
  // Drawn once the phase body is in place: a notice shown beside its control is not repeated.
  patch(document.getElementById("phone-bar"), stickyBar(s));
  document.title = s.stage.title + " — " + s.atelier.name;
  tickTimer();
}
ui.render = render;
ui.say = say;

function applyAnswer(item, answer) {
  var form = item.data.form || "global";
  if (answer === null) {
    setNotice(form, "offline", t(OFFLINE));
  } else if (answer && answer.ok) {
    var current = ui.live.state();
    current.mine = answer.mine;
    current.seq = Math.max(current.seq, answer.seq);
    setNotice(form, "ok", t("Enregistré ✓"));
    var after = COUNTERS[current.stage.kind];
    say(t("Enregistré ✓") + (after && form !== "words" ? " " + after(current) : ""));
    return;
  } else if (answer) {
    setNotice(form, "error", answer.error || t("Refusé."));
    // A refusal may come from a state this device has not seen (the same person's other phone).
    if (answer.code === "budget" || answer.code === "state") ui.live.resync();
    render();  // the refusal joins the "Non enregistré" list, brought into view
    var tray = document.getElementById("refused");
    if (tray) tray.scrollIntoView({ block: "center" });
    return;
  } else {
    render();
    return;
  }
  say(ui.last && ui.last.text);
}

ui.live = F.connect({
  state: boot.state,
  resyncOnPhase: true,
  onState: function (s) {
    // A new phase starts with a clean slate (and is said aloud); a resync within the same phase
    // keeps the "Enregistré ✓" a person has just been shown.
    if (s.stage.index !== shownPhase) {
      ui.notices = {};
      ui.last = null;
      ui.editing = null;
      shownPhase = s.stage.index;
      say(t("Nouvelle phase : {title}", { title: s.stage.title }));
    }
    render();
  },
  onConnection: function (ok, message) {
    ui.online = ok;
    if (!ok && message) setNotice("connection", "error", message);
    render();
  },
  onConnect: function () { ui.outbox.flush(); }
});

// Points placed in the valeurs phase leave before the phone sleeps or the page is left.
window.addEventListener("pagehide", function () { saveValues(); });

ui.outbox = F.Outbox(key + ":outbox", ui.live, applyAnswer);
// An action whose answer was lost on a live connection is offered again now and then.
setInterval(function () { if (ui.online) ui.outbox.flush(); }, 5000);
setInterval(tickTimer, 250);
// The bar's last message fades after a while: redraw now and then to let it go.
setInterval(function () { if (ui.last && Date.now() - ui.last.at >= 8000 && document.getElementById("bar-notice")) render(); }, 2000);
render();
