/* The projector's header: atelier, phase, instructions, lock and timer; the join strip of every phase. */
import { F, LANG, breakable, count, h, plural, qrImage, t, ui } from "./core.js";

var timerNode = null;

/* ---- header ------------------------------------------------------------------------------ */

function header(state, withInstructions) {
  var stage = state.stage || {};
  var right = h("div", { class: "head-right" });
  if (stage.locked) {
    right.appendChild(h("p", { class: "badge-lock" }, h("span", { "aria-hidden": "true", text: "🔒 " }), t("Verrouillé")));
  }
  // The pause sign is drawn in CSS (the ⏸ character only exists as a colour emoji on most systems).
  timerNode = h("p", { class: "timer", role: "timer", "aria-live": "off", hidden: true },
    h("span", { class: "pause-icon", "aria-hidden": "true" }),
    h("span", { class: "timer-text" }));
  right.appendChild(timerNode);
  return h("header", { class: "head" },
    h("div", { class: "head-left" },
      h("p", { class: "head-top" },
        h("span", { class: "head-atelier", text: state.atelier.name }),
        typeof stage.index === "number" && stage.count
          ? h("span", { class: "head-phase", text: t("Phase {i} / {n}", { i: stage.index + 1, n: stage.count }) })
          : null),
      h("h1", { lang: F.titleLang(stage.title), text: stage.title || "" }),
      withInstructions && stage.instructions ? h("p", { class: "head-instructions", dir: "auto", lang: LANG, text: stage.instructions }) : null),
    right);
}

function updateTimer() {
  if (!timerNode || !ui.current) return;
  var now = ui.live ? ui.live.now() : Date.now();
  var stage = ui.current.stage || {};
  var remaining = F.timerRemaining(stage, now);
  if (remaining === null) { timerNode.hidden = true; return; }
  var paused = !(stage.timer && stage.timer.ends_at);
  var text = F.formatTimer(remaining);
  var textNode = timerNode.lastChild;
  if (textNode.textContent !== text) textNode.textContent = text;
  timerNode.hidden = false;
  timerNode.classList.toggle("is-paused", paused);
  timerNode.classList.toggle("is-last-minute", !paused && remaining < 60000);
  timerNode.classList.toggle("is-over", !paused && remaining <= 0);
  var label = paused ? t("Minuteur en pause : {t}", { t: F.formatTimer(remaining) }) : t("Temps restant : {t}", { t: F.formatTimer(remaining) });
  if (timerNode.getAttribute("aria-label") !== label) timerNode.setAttribute("aria-label", label);
}

export { timerNode, header, updateTimer };

/* The join strip beside every phase after the welcome: a latecomer at the back still finds the QR
   code (at least 20rem, 320 px at 1080p: see README « Écran ») and the short address. */
function joinStrip(state) {
  var url = String(state.atelier.join_url || "").replace(/^https?:\/\//, "");
  var total = count(state.participation && state.participation.total);
  return h("aside", { class: "join-strip", "aria-label": t("Rejoindre l'atelier") },
    h("div", { class: "strip-qr" }, qrImage(state, "qr-strip", "qr-strip-img")),
    h("p", { class: "strip-label", text: t("Rejoindre") }),
    h("p", { class: "strip-url" }, breakable(url)),
    h("p", { class: "strip-code", text: state.atelier.join_code }),
    total ? h("p", { class: "strip-count" }, h("strong", { text: String(total) }), " ",
      plural(total, t("participant"), t("participants"))) : null);
}

export { joinStrip };
