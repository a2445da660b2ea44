/* Panels the current phase does not need stay folded, a click away; each unfolds by itself when its phase comes. */
import { h } from "./core.js";

/* Build a folded panel: its summary line (title, counts) stays in view, the body shows when open. */
function foldPanel(attrs, summary, body) {
  var panel = h("details", Object.assign({}, attrs, { class: "fc-panel fc-fold " + (attrs.class || "") }),
    h("summary", { class: "fc-fold-summary", "data-key": "fold-" + attrs.id }, summary), body);
  panel.foldedFor = null;
  return panel;
}

/* Open or fold the panel once per phase (and when `key` changes); what the facilitator chose since stays. */
function foldForPhase(panel, needed, key) {
  if (panel.foldedFor === key) return;
  panel.foldedFor = key;
  if (panel.open !== needed) panel.open = needed;
}

export { foldForPhase, foldPanel };
