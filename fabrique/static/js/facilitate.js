/* The facilitator's console: drive the phases and the timer, watch participation, moderate,
   and build the engagements (the convergence board, above the rest).

   Drawn from the snapshot (boot.state, then each "aggregate" / "stage" from the server). Nothing
   is changed locally before the server answers: a click disables its button, sends the action
   with a fresh op_id, and shows the refusal (in French) next to the control; the next aggregate
   brings the truth. Aggregates arrive several times a second, so each panel is redrawn only when
   its data changed, a piste card being edited or merged is never rebuilt, and the element that
   had the focus gets it back after a redraw. Participants' text only ever goes through
   textContent (dom.js h). */
import { bar, measureBar, renderBar, renderSteps, showConnection, tick } from "./console/bar.js";
import { convWrap, renderConvergence } from "./console/convergence.js";
import { F, activeKey, boot, h, nearKeys, refreshDisabled, restoreFocus, root, settleAwaiting, ui } from "./console/core.js";
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
root.appendChild(grid);
app.textContent = "";
app.appendChild(root);

root.insertBefore(convWrap, grid);

function render(s, why) {
  ui.state = s;
  if (!s || !s.stage) return;
  if (why === "aggregate" || why === "sync") { settleAwaiting(); settleEngagements(); }
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

