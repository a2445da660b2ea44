/* Fitting passes: nothing on the projector scrolls, so what does not fit is measured and moved
   to the next page (« +N autres » counts it) rather than cut. */
import { setMore } from "./core.js";

function overflows(el) { return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1; }

/* Remove the last cards of each column until the column fits, counting them in "+N autres" (the next page). */
function fitColumns(root) {
  var cols = root.querySelectorAll(".col");
  // Columns share their rows: a "+N autres" line in one shortens the others, hence the rounds.
  for (var round = 0, changed = true; changed && round < 4; round++) {
    changed = false;
    Array.prototype.forEach.call(cols, function (col) {
      var list = col.querySelector(".cards");
      var more = col.querySelector(".more");
      if (!list || !more) return;
      var n = Number(more.getAttribute("data-hidden")) || 0;
      while (list.children.length > 1 && overflows(list)) {
        if (shrinkEngagements(list)) { changed = true; continue; }
        // Whole cards only: a text is never cut, the card waits for the next page.
        list.removeChild(list.lastElementChild);
        setMore(more, ++n);
        changed = true;
      }
    });
  }
}

/* Shorten clamped texts (fewer lines) until their box fits; hide them if even one line does not. */
function fitClamps(root, selector, boxSelector) {
  Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
    var box = el.closest(boxSelector);
    if (!box) return;
    var lines = parseInt(window.getComputedStyle(el).webkitLineClamp, 10) || 6;
    while (overflows(box) && lines > 1) {
      lines--;
      el.style.webkitLineClamp = String(lines);
      el.style.lineClamp = String(lines);
    }
    if (overflows(box)) el.hidden = true;
  });
}

/* ---- pistes ------------------------------------------------------------------------------ */
/* Fit the engagement cards of each column: while the list overflows, the tallest card that
   can still give something up loses one notch — its « Comment ? » get shorter, then its
   « Pour … », then fewer « Comment ? », then a shorter title… — so that rich cards shrink
   first and every card keeps what it can. What still does not fit is left to fitColumns
   (the last cards go to « +N autres »); then regrowEngagements gives back the notches that
   turn out not to be needed. */
function fitEngagements(root) {
  Array.prototype.forEach.call(root.querySelectorAll(".eng-cards"), function (list) {
    list.fitUndo = [];
    for (var guard = 0; guard < 200 && overflows(list) && shrinkEngagements(list); guard++) { /* one notch each */ }
  });
}

/* Give back, card by card and latest first, every notch the list can afford after all. */
function regrowEngagements(root) {
  Array.prototype.forEach.call(root.querySelectorAll(".eng-cards"), function (list) {
    var undo = list.fitUndo || [];
    var done = [];
    for (;;) {
      var i = undo.length - 1;
      while (i >= 0 && done.indexOf(undo[i].card) >= 0) i--;
      if (i < 0) break;
      var last = undo.splice(i, 1)[0];
      last.undo();
      if (overflows(list)) { last.redo(); done.push(last.card); }
    }
  });
}

function clampLines(el) { return parseInt(el.style.webkitLineClamp || window.getComputedStyle(el).webkitLineClamp, 10) || 0; }

/* Each notch changes the card and returns how to undo it (null when it had nothing to take). */
function restorer(els) {
  var saved = els.map(function (el) { return [el, el.style.webkitLineClamp, el.style.lineClamp, el.hidden]; });
  return function () {
    saved.forEach(function (x) { x[0].style.webkitLineClamp = x[1]; x[0].style.lineClamp = x[2]; x[0].hidden = x[3]; });
  };
}

/* One line less for each (visible) element of the card matching selector, down to min. */
function clampEach(card, selector, min) {
  var els = Array.prototype.filter.call(card.querySelectorAll(selector), function (el) { return !el.hidden && clampLines(el) > min; });
  if (!els.length) return null;
  var undo = restorer(els);
  els.forEach(function (el) {
    var n = clampLines(el) - 1;
    el.style.webkitLineClamp = String(n);
    el.style.lineClamp = String(n);
  });
  return undo;
}

function dropHow(card) {
  var items = card.querySelectorAll(".eng-how-item:not([hidden])");
  if (!items.length) return null;
  var list = card.querySelector(".eng-how"), cut = card.querySelector(".eng-how-cut");
  var undo = restorer([items[items.length - 1], list, cut]);
  items[items.length - 1].hidden = true;
  cut.hidden = false;
  if (items.length === 1) list.hidden = true;
  return undo;
}

function hideIn(card, selector) {
  var el = card.querySelector(selector);
  if (!el || el.hidden) return null;
  var undo = restorer([el]);
  el.hidden = true;
  return undo;
}

var ENG_STEPS = [
  function (card) { return clampEach(card, ".eng-how-item", 1); },
  function (card) { return clampEach(card, ".eng-purpose", 2); },
  dropHow,
  function (card) { return clampEach(card, ".eng-purpose", 1); },
  function (card) { return hideIn(card, ".eng-purpose"); }
];

/* One notch off the tallest engagement card that can still give something up (false when
   none can). fitColumns calls it too before dropping a card: columns share their rows, so a
   « +N autres » elsewhere can shorten this list after fitEngagements. */
function shrinkEngagements(list) {
  if (!list.classList.contains("eng-cards")) return false;
  var cards = Array.prototype.slice.call(list.querySelectorAll(".eng-card"));
  for (;;) {
    var best = null;
    cards.forEach(function (card) {
      var step = Number(card.getAttribute("data-fit") || 0);
      // On a tie the later card gives up first: the first engagements keep the most.
      if (step < ENG_STEPS.length && (!best || card.offsetHeight >= best.offsetHeight)) best = card;
    });
    if (!best) return false;
    var step = Number(best.getAttribute("data-fit") || 0);
    var undo = ENG_STEPS[step](best);
    if (undo) {
      (list.fitUndo = list.fitUndo || []).push({ card: best, undo: undo, redo: ENG_STEPS[step].bind(null, best) });
      return true;
    }
    best.setAttribute("data-fit", String(step + 1));
  }
}

export { overflows, fitColumns, fitClamps, fitEngagements, regrowEngagements, clampLines, restorer, clampEach, dropHow, hideIn, ENG_STEPS, shrinkEngagements };
