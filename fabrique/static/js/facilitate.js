/* The facilitator's console: drive the phases and the timer, watch participation, moderate,
   and build the engagements (the convergence board, above the rest).

   Drawn from the snapshot (boot.state, then each "delta" / "stage" from the server). Nothing
   is changed locally before the server answers: a click disables its button, sends the action
   with a fresh op_id, and shows the refusal (in French) next to the control; the next aggregate
   brings the truth. Aggregates arrive several times a second, so each panel is redrawn only when
   its data changed, a piste card being edited or merged is never rebuilt, and the element that
   had the focus gets it back after a redraw. Participants' text only ever goes through
   textContent (dom.js h). */
import { bar, gotoStep, measureBar, nextButton, prevButton, pauseOrResume, renderBar, renderSteps, showConnection, startTimer, tick, timerMode, toggleLock } from "./console/bar.js";
import { convWrap, renderConvergence } from "./console/convergence.js";
import { F, activeKey, boot, h, isOff, nearKeys, refreshDisabled, restoreFocus, root, settleAwaiting, t, ui } from "./console/core.js";
import { settleEngagements } from "./console/engagement.js";
import { followPanel, renderFollow } from "./console/follow.js";
import { moderation, renderModeration } from "./console/moderation.js";
import { participation, renderParticipation } from "./console/participation.js";
import { renderResults, results } from "./console/results.js";
import { renderReves, revesPanel } from "./console/reves.js";
import { renderSettings, settingsPanel } from "./console/settings.js";

// The page skeleton, built once.

var app = document.getElementById("app");
var mainCol = h("div", { class: "fc-main" }, moderation, revesPanel);
var grid = h("div", { class: "fc-grid" },
  h("div", { class: "fc-area-main" }, mainCol),
  h("div", { class: "fc-area-part" }, participation),
  h("div", { class: "fc-area-side" }, results, followPanel, settingsPanel));

root.appendChild(bar);
root.appendChild(bookmarkNote());
root.appendChild(grid);
app.textContent = "";
app.appendChild(root);

root.insertBefore(convWrap, grid);

function render(s, why) {
  ui.state = s;
  if (!s || !s.stage) return;
  if (why === "delta" || why === "sync") { settleAwaiting(); settleEngagements(); }
  var key = activeKey(), near = nearKeys(document.activeElement);
  renderBar(s);
  renderSteps(s);
  renderParticipation(s);
  renderResults(s);
  renderModeration(s);
  renderReves(s);
  renderConvergence(s);
  renderSettings(s);
  renderFollow(s);
  refreshDisabled();
  restoreFocus(key, near);
}

showConnection(false);
render(ui.state, "boot");
measureBar();
ui.live = F.connect({ state: boot.state, onState: render, onConnection: showConnection });
setInterval(tick, 250);


/* Keys a presenter remote sends: PageDown / → next phase, PageUp / ← previous, B (or « . », the
   remote's blank-screen button) starts or pauses the timer, L locks or reopens. Ignored while
   typing; the focus stays where it was (on the « Phase suivante » button when it was nowhere). */
var TYPING = { INPUT: 1, TEXTAREA: 1, SELECT: 1 };
document.addEventListener("keydown", function (ev) {
  if (ev.altKey || ev.ctrlKey || ev.metaKey || !ui.state || !ui.state.stage) return;
  var el = document.activeElement;
  if (el && (TYPING[el.nodeName] || el.isContentEditable)) return;
  var key = ev.key, done = true;
  if (key === "PageDown" || key === "ArrowRight") { if (!isOff(nextButton)) gotoStep(1); }
  else if (key === "PageUp" || key === "ArrowLeft") { if (!isOff(prevButton)) gotoStep(-1); }
  else if (key === "b" || key === "B" || key === ".") { if (timerMode(ui.state.stage) === "none") startTimer(); else pauseOrResume(); }
  else if (key === "l" || key === "L") toggleLock();
  else done = false;
  if (!done) return;
  ev.preventDefault();
  if (!el || el === document.body) nextButton.focus();
});

/* Remember this atelier in this browser, for the list on the home page. */
try {
  var known = JSON.parse(localStorage.getItem("fabrique-ateliers") || "[]").filter(function (a) { return a.url !== location.pathname; });
  known.unshift({ name: boot.state.atelier.name, code: boot.state.atelier.join_code, url: location.pathname, at: Date.now() });
  localStorage.setItem("fabrique-ateliers", JSON.stringify(known.slice(0, 30)));
} catch (e) { /* private mode: nothing remembered */ }

/* Said once per atelier: this secret link is the only way back to the console. */
function bookmarkNote() {
  var flag = "fabrique-bookmarked:" + location.pathname;
  try { if (localStorage.getItem(flag)) return document.createComment("bookmarked"); } catch (e) { /* show it */ }
  var note = h("div", { class: "fc-bookmark", role: "note" },
    h("p", null, h("strong", null, t("Gardez ce lien.")), " ",
      t("L'adresse de cette page est la seule façon de revenir à la console de l'atelier : ajoutez-la à vos favoris (Ctrl+D)."),
      " ", t("Raccourcis : Page suivante / → phase suivante, Page précédente / ← phase précédente, B minuteur, L verrouiller.")),
    h("button", { type: "button", class: "fc-btn fc-btn-small", on: { click: function () {
      try { localStorage.setItem(flag, "1"); } catch (e) { /* ignore */ }
      note.remove();
      nextButton.focus();
    } } }, t("Compris")));
  return note;
}
