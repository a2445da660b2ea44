/* The console's top bar: atelier identity and join link, the phase stepper, lock, timer, connection. */
import { setLang } from "../dom.js";
import { F, act, actionButton, announce, errorArea, h, icon, plainButton, refreshDisabled, root, setOff, showError, sigs, t, toast, ui, vh } from "./core.js";

var everConnected = false;
var minutesDirty = false;
var lastPhaseIndex = null;
// Top bar ------------------------------------------------------------------------------
var nameEl = h("h1", { class: "fc-name", dir: "auto" });
var codeEl = h("strong", { class: "fc-code-value" });
var joinLink = h("a", { class: "fc-join-link", target: "_blank", rel: "noopener" });
var copyStatus = null;
var copyButton = plainButton("copy-join", t("Copier le lien"), copyJoin, { cls: "fc-btn-small fc-btn-ghost" });
var screenLink = h("a", { class: "fc-screen-link", target: "_blank", rel: "noopener" },
  icon("↗"), t("Ouvrir l'écran (projecteur)"), vh(t("(nouvel onglet)")));
var connEl = h("p", { class: "fc-conn", role: "status" });

var phaseEyebrow = h("p", { class: "fc-phase-eyebrow" });
var phaseTitle = h("h2", { class: "fc-phase-title", id: "fc-phase-title" });
var phaseBadge = h("span", { class: "fc-badge" });
var lockButton = actionButton("lock", "", toggleLock, { cls: "fc-lock" });

var countdown = h("span", { class: "fc-countdown", role: "timer", "aria-live": "off" }, "—");
var timerState = h("span", { class: "fc-timer-state" });
var minutesInput = h("input", { type: "number", id: "fc-minutes", min: "1", max: "240", step: "1", inputmode: "numeric",
  class: "fc-minutes", on: { input: function () { minutesDirty = true; showError("bar", ""); tick(); } } });
var startButton = actionButton("timer-start", "", startTimer, { cls: "fc-btn-timer" });
var pauseButton = actionButton("timer-pause", "", pauseOrResume, { cls: "fc-btn-timer" });
var stopButton = actionButton("timer-stop", [icon("■"), h("span", { class: "fc-btn-text" }, t("Arrêter"))], stopTimer,
  { cls: "fc-btn-timer", label: t("Arrêter le minuteur") });
var autoTimer = h("input", { type: "checkbox", id: "fc-auto-timer" });
try { autoTimer.checked = localStorage.getItem("fabrique-auto-timer") === "1"; } catch (e) { /* ignore */ }
autoTimer.addEventListener("change", function () {
  try { localStorage.setItem("fabrique-auto-timer", autoTimer.checked ? "1" : "0"); } catch (e) { /* ignore */ }
});

var prevButton = actionButton("phase-prev", [icon("◀"), h("span", {}, t("Phase précédente"))], function () { gotoStep(-1); },
  { cls: "fc-prev" });
var nextLabel = h("span", { class: "fc-next-target" });
var nextButton = actionButton("phase-next",
  [h("span", { class: "fc-next-main" }, t("Phase suivante"), icon("▶")), nextLabel],
  function () { gotoStep(1); }, { cls: "fc-next primary" });
var stepsList = h("ol", { class: "fc-steps-list" });

var bar = h("header", { class: "fc-bar" },
  h("div", { class: "fc-bar-row fc-bar-id" },
    nameEl,
    h("span", { class: "fc-code" }, t("Code"), " ", codeEl),
    h("span", { class: "fc-join" }, h("span", { class: "fc-join-label" }, t("Lien participants :")), " ", joinLink, " ", copyButton),
    screenLink,
    h("span", { class: "fc-spacer" }),
    toast,
    connEl),
  h("div", { class: "fc-bar-row fc-bar-phase" },
    h("div", { class: "fc-phase" }, h("div", { class: "fc-phase-line" }, phaseEyebrow, phaseBadge), phaseTitle),
    lockButton,
    h("span", { class: "fc-spacer" }),
    h("div", { class: "fc-timer", role: "group", "aria-labelledby": "fc-timer-title" },
      h("div", { class: "fc-timer-display" },
        h("span", { class: "fc-timer-title", id: "fc-timer-title" }, t("Minuteur")),
        countdown, timerState),
      h("div", { class: "fc-timer-controls" },
        h("div", { class: "fc-timer-buttons" },
          h("label", { class: "fc-minutes-label", for: "fc-minutes" }, t("Durée (minutes)")),
          minutesInput, startButton, pauseButton, stopButton),
        h("label", { class: "fc-auto", for: "fc-auto-timer" }, autoTimer, t("Lancer à chaque changement de phase"))))),
  h("nav", { class: "fc-bar-row fc-steps", "aria-label": t("Phases de l'atelier") }, prevButton, stepsList, nextButton),
  h("div", { class: "fc-bar-msg" }, errorArea("bar", "fc-bar-alert"),
    plainButton("bar-alert-close", h("span", { "aria-hidden": "true" }, "×"), function () { showError("bar", ""); },
      { cls: "fc-btn-small fc-btn-ghost fc-close", label: t("Fermer le message") })));

// Keep the sticky bar's height available to CSS (side columns stick below it).
function measureBar() { root.style.setProperty("--bar-h", bar.offsetHeight + "px"); }
if (window.ResizeObserver) new ResizeObserver(measureBar).observe(bar);
window.addEventListener("resize", measureBar);
// ---------------------------------------------------------------------------------------
// Top bar: identity, phases, lock, timer

function phases(s) { return (s.stage && s.stage.phases) || []; }

function renderBar(s) {
  var st = s.stage, atelier = s.atelier || {}, links = s.links || {};
  if (nameEl.textContent !== atelier.name) nameEl.textContent = atelier.name || "";
  if (codeEl.textContent !== atelier.join_code) codeEl.textContent = atelier.join_code || "";
  var join = links.join || atelier.join_url || "";
  if (joinLink.getAttribute("href") !== join) {
    joinLink.setAttribute("href", join);
    joinLink.textContent = join.replace(/^https?:\/\//, "");
  }
  if (links.screen && screenLink.getAttribute("href") !== links.screen) screenLink.setAttribute("href", links.screen);

  var list = phases(s);
  phaseEyebrow.textContent = t("Phase {n} sur {count}", { n: st.index + 1, count: st.count });
  phaseTitle.textContent = st.title;
  setLang(phaseTitle, F.titleLang(st.title));
  phaseBadge.textContent = st.locked ? t("Verrouillée : contributions closes") : t("Ouverte aux contributions");
  phaseBadge.className = "fc-badge " + (st.locked ? "is-locked" : "is-open");

  if (lockButton.getAttribute("aria-pressed") !== (st.locked ? "true" : "false")) {
    lockButton.setAttribute("aria-pressed", st.locked ? "true" : "false");
    lockButton.textContent = "";
    lockButton.appendChild(icon(st.locked ? "🔓" : "🔒"));
    lockButton.appendChild(document.createTextNode(st.locked ? t("Rouvrir la phase") : t("Verrouiller la phase")));
  }

  setOff(prevButton, st.index <= 0);
  setOff(nextButton, st.index >= st.count - 1);
  var prev = list[st.index - 1], next = list[st.index + 1];
  prevButton.title = prev ? t("Revenir à : {title}", { title: prev.title }) : t("Vous êtes à la première phase");
  nextLabel.textContent = next ? (st.index + 2) + ". " + next.title : t("Dernière phase");
  setLang(nextLabel, next ? F.titleLang(next.title) : null);

  if (lastPhaseIndex !== st.index) {
    lastPhaseIndex = st.index;
    minutesDirty = false;
  }
  if (!minutesDirty && document.activeElement !== minutesInput) {
    var suggested = st.timer && st.timer.suggested_minutes;
    var wanted = String(suggested || 5);
    if (minutesInput.value !== wanted) minutesInput.value = wanted;
  }
  renderTimerButtons(st);
  tick();
}

function timerMode(st) {
  if (!st || !st.timer) return "none";
  if (st.timer.ends_at) return "running";
  if (st.timer.remaining !== null && st.timer.remaining !== undefined) return "paused";
  return "none";
}

var drawnTimerMode = null;
function renderTimerButtons(st) {
  var mode = timerMode(st);
  if (mode === drawnTimerMode) return;
  drawnTimerMode = mode;
  startButton.textContent = "";
  startButton.appendChild(icon("▶"));
  startButton.appendChild(document.createTextNode(mode === "none" ? t("Démarrer") : t("Relancer")));
  startButton.setAttribute("aria-label", mode === "none" ? t("Démarrer le minuteur") : t("Relancer le minuteur depuis le début"));
  pauseButton.textContent = "";
  pauseButton.appendChild(icon(mode === "paused" ? "▶" : "❚❚"));
  pauseButton.appendChild(h("span", { class: "fc-btn-text" }, mode === "paused" ? t("Reprendre") : t("Pause")));
  pauseButton.setAttribute("aria-label", mode === "paused" ? t("Reprendre le minuteur") : t("Mettre le minuteur en pause"));
  setOff(pauseButton, mode === "none");
  setOff(stopButton, mode === "none");
}

function tick() {
  var st = ui.state && ui.state.stage;
  if (!st) return;
  var mode = timerMode(st);
  var remaining = F.timerRemaining(st, ui.live ? ui.live.now() : Date.now());
  // Stopped: show, greyed, the duration that "Démarrer" would start.
  var minutes = parseFloat(String(minutesInput.value).replace(",", "."));
  // A phase without a suggested duration shows no number until a timer is started.
  var suggested = st.timer && st.timer.suggested_minutes;
  var text = remaining !== null ? F.formatTimer(remaining)
    : (suggested && isFinite(minutes) && minutes > 0 ? F.formatTimer(minutes * 60000) : "—");
  if (countdown.textContent !== text) countdown.textContent = text;
  var label, cls;
  if (mode === "running" && remaining <= 0) { label = t("Temps écoulé"); cls = "is-over"; }
  else if (mode === "running") { label = t("en cours"); cls = remaining <= 60000 ? "is-running is-last" : "is-running"; }
  else if (mode === "paused") { label = t("en pause"); cls = "is-paused"; }
  else { label = t("arrêté"); cls = "is-none"; }
  if (timerState.textContent !== label) timerState.textContent = label;
  var full = "fc-timer " + cls;
  var box = countdown.parentNode.parentNode;
  if (box.className !== full) box.className = full;
}

function renderSteps(s) {
  var st = s.stage, list = phases(s);
  var sig = JSON.stringify([list, st.index, st.locked]);
  if (sigs.steps === sig) return;
  sigs.steps = sig;
  stepsList.textContent = "";
  list.forEach(function (phase, i) {
    var current = i === st.index;
    var status = current ? "is-current" : (i < st.index ? "is-past" : "is-future");
    var b = actionButton("step-" + i, [
      h("span", { class: "fc-step-num", "aria-hidden": "true" }, current && st.locked ? "🔒" : String(i + 1)),
      h("span", { class: "fc-step-title", lang: F.titleLang(phase.title) }, phase.title),
      current ? vh(t("(phase en cours)")) : null
    ], function () { gotoIndex(i); }, { cls: "fc-step " + status, title: (i + 1) + ". " + phase.title });
    if (current) b.setAttribute("aria-current", "step");
    stepsList.appendChild(h("li", {}, b));
  });
}

function phaseGotoPayload(extra) {
  var payload = Object.assign({}, extra);
  if (autoTimer.checked) payload.start_timer = true;
  return payload;
}

function gotoStep(step) {
  var list = phases(ui.state), target = list[ui.state.stage.index + step];
  act("phase_goto", phaseGotoPayload({ step: step }), {
    key: step > 0 ? "phase-next" : "phase-prev", area: "bar",
    msg: target ? t("Phase en cours : {title}", { title: target.title }) : null
  });
}

function gotoIndex(i) {
  var st = ui.state.stage, target = phases(ui.state)[i];
  if (i === st.index || !target) return;
  if (i < st.index && !window.confirm(t("Revenir à la phase « {title} » ? Les téléphones des participants y reviendront aussi.", { title: target.title }))) return;
  act("phase_goto", phaseGotoPayload({ to: i }), {
    key: "step-" + i, area: "bar", msg: t("Phase en cours : {title}", { title: target.title })
  });
}

function toggleLock() {
  var locked = !ui.state.stage.locked;
  act("phase_lock", { locked: locked }, {
    key: "lock", area: "bar",
    msg: locked ? t("Phase verrouillée : les participants ne peuvent plus contribuer.") : t("Phase rouverte aux contributions.")
  });
}

function startTimer() {
  var minutes = parseFloat(String(minutesInput.value).replace(",", "."));
  if (!isFinite(minutes) || minutes <= 0) {
    showError("bar", t("Indiquez la durée du minuteur en minutes (par exemple 10)."));
    minutesInput.focus();
    return;
  }
  act("timer_start", { seconds: Math.round(minutes * 60) }, {
    key: "timer-start", area: "bar", msg: t("Minuteur lancé.")
  });
}

function pauseOrResume() {
  if (timerMode(ui.state.stage) === "paused") {
    act("timer_start", {}, { key: "timer-pause", area: "bar", msg: t("Minuteur relancé.") });
  } else {
    act("timer_pause", {}, { key: "timer-pause", area: "bar", msg: t("Minuteur en pause.") });
  }
}

function stopTimer() {
  act("timer_stop", {}, { key: "timer-stop", area: "bar", msg: t("Minuteur arrêté.") });
}

function copyJoin() {
  var url = joinLink.getAttribute("href");
  var done = function () { announce(t("Lien des participants copié.")); };
  var fail = function () {
    // Without the clipboard API (plain http on the venue's network), select the link instead.
    var range = document.createRange();
    range.selectNodeContents(joinLink);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    announce(t("Lien sélectionné : appuyez sur Ctrl+C pour le copier."));
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fail);
  else fail();
}

// ---------------------------------------------------------------------------------------
// Connection

function showConnection(ok, message) {
  ui.online = !!ok;
  if (ok) everConnected = true;
  root.classList.toggle("is-offline", !ui.online);
  connEl.textContent = "";
  if (ui.online) {
    connEl.className = "fc-conn is-online";
    connEl.appendChild(h("span", { class: "fc-conn-dot", "aria-hidden": "true" }));
    connEl.appendChild(document.createTextNode(t("Connecté")));
  } else {
    connEl.className = "fc-conn is-offline";
    connEl.appendChild(h("span", { class: "fc-conn-dot", "aria-hidden": "true" }));
    connEl.appendChild(document.createTextNode(everConnected || message ? t("Connexion perdue — reconnexion…") : t("Connexion…")));
    if (message) connEl.title = message;
  }
  refreshDisabled();
}

export { everConnected, minutesDirty, lastPhaseIndex, nameEl, codeEl, joinLink, copyStatus, copyButton, screenLink, connEl, phaseEyebrow, phaseTitle, phaseBadge, lockButton, countdown, timerState, minutesInput, startButton, pauseButton, stopButton, autoTimer, prevButton, nextLabel, nextButton, stepsList, bar, measureBar, phases, renderBar, timerMode, drawnTimerMode, renderTimerButtons, tick, renderSteps, phaseGotoPayload, gotoStep, gotoIndex, toggleLock, startTimer, pauseOrResume, stopTimer, copyJoin, showConnection };
