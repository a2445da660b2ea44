/* The projector view: a full-screen picture of the atelier, read from the back of the room.
   Everything is drawn from the aggregated snapshot (state.py: screen_state) at every change;
   a 250 ms tick only refreshes the timer. Text typed by participants only ever goes through
   textContent (dom.js h); what does not fit waits for the next page (nothing on this screen scrolls). */
import { F, JOIN_KINDS, LANG, beginImages, boot, endImages, h, nextPage, notePages, t, ui } from "./projector/core.js";
import { renderCloture, renderConvergence } from "./projector/engagements.js";
import { fitClamps, fitColumns, fitEngagements, regrowEngagements } from "./projector/fit.js";
import { header, joinStrip, updateTimer } from "./projector/head.js";
import { renderAccueil, renderPersonas } from "./projector/join.js";
import { fitCloud, renderParadoxes, renderValeurs } from "./projector/results.js";
import { renderPistes, renderReves, renderVote } from "./projector/wall.js";

var app = document.getElementById("app");
var lastSignature = null;
var PAGE_MS = 12000;
function renderOther(state) {
  var stage = state.stage || {};
  return h("div", { class: "view view-other" },
    stage.instructions ? h("p", { class: "welcome", lang: LANG, text: stage.instructions }) : null);
}

var VIEWS = {
  accueil: renderAccueil,
  personas: renderPersonas,
  paradoxes: renderParadoxes,
  valeurs: renderValeurs,
  reves: renderReves,
  pistes: renderPistes,
  vote: renderVote,
  convergence: renderConvergence,
  cloture: renderCloture
};

/* ---- drawing ----------------------------------------------------------------------------- */

function signature(state) {
  return JSON.stringify(state, function (key, value) {
    return key === "server_time" || key === "seq" || key === "mine" ? undefined : value;
  }) + "|" + window.innerWidth + "x" + window.innerHeight;
}

function render(state) {
  if (!state || !state.stage || !state.atelier) return;
  ui.current = state;
  var sig = signature(state);
  if (sig === lastSignature) { updateTimer(); return; }
  lastSignature = sig;

  beginImages();
  var kind = state.stage.kind;
  var isJoin = !!JOIN_KINDS[kind];
  var body = (VIEWS[kind] || renderOther)(state);
  // The body is redrawn wholesale: it is not announced piece by piece (the header is).
  body.setAttribute("aria-live", "off");
  var view = h("div", { class: "scr scr-" + String(kind).replace(/[^a-z0-9_-]/gi, "") + (isJoin ? "" : " has-strip") },
    header(state, !isJoin),  // the join views keep their room for the QR code and the personas
    h("div", { class: "scr-body" }, body),
    isJoin ? null : joinStrip(state));

  // Swap in one go, then fit (layout is measured before the browser paints: no flicker).
  app.textContent = "";
  app.appendChild(view);
  fitEngagements(view);
  fitColumns(view);
  notePages(view);
  regrowEngagements(view);
  fitCloud(view);
  fitClamps(view, ".persona-card-quote", ".persona-card");
  updateTimer();

  endImages();
}

/* ---- connection banner, cursor ----------------------------------------------------------- */

var banner = h("div", { class: "conn-banner", role: "status", hidden: true });
document.body.appendChild(banner);

function showConnection(ok) {
  if (ok) {
    banner.hidden = true;
    banner.textContent = "";
  } else {
    banner.textContent = t("Connexion perdue — reconnexion…");
    banner.hidden = false;
  }
}

var cursorTimer = null;
function wakeCursor() {
  document.body.classList.remove("hide-cursor");
  clearTimeout(cursorTimer);
  cursorTimer = setTimeout(function () { document.body.classList.add("hide-cursor"); }, 3000);
}
document.addEventListener("mousemove", wakeCursor);
wakeCursor();

var resizeTimer = null;
window.addEventListener("resize", function () {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () { render(ui.current); }, 150);
});

// Columns with more cards than fit show the next ones in turn: every text is read whole.
setInterval(function () { if (nextPage()) { lastSignature = null; render(ui.current); } }, PAGE_MS);

ui.live = F.connect({ state: boot.state, onState: render, onConnection: showConnection });
render(boot.state);
setInterval(updateTimer, 250);

