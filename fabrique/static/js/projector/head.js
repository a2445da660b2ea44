/* The projector's header: atelier, phase, instructions, lock and timer; the join strip of every phase. */
import { F, h, hidden, qrImage, t, ui } from "./core.js";

var timerNode = null;

/* ---- header ------------------------------------------------------------------------------ */

function header(state, withCorner) {
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
  if (withCorner) {
    right.appendChild(h("div", { class: "join-corner" },
      qrImage(state, "qr-corner", "qr-small"),
      h("p", { class: "join-corner-text" },
        h("span", { class: "join-corner-label", text: t("Rejoindre") }),
        h("span", { class: "join-corner-code", text: state.atelier.join_code }))));
  }
  return h("header", { class: "head" },
    h("div", { class: "head-left" },
      h("p", { class: "head-top" },
        h("span", { class: "head-atelier", text: state.atelier.name }),
        typeof stage.index === "number" && stage.count
          ? h("span", { class: "head-phase", text: t("Phase {i} / {n}", { i: stage.index + 1, n: stage.count }) })
          : null),
      h("h1", { text: stage.title || "" })),
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
