/* Shared by the three live screens: build elements, and patch a live tree to look like a freshly
   built one without replacing what is already there.

   A screen redraws by building its whole view with h() and handing it to patch(): elements that
   are still wanted are kept (matched by data-key, by id, or else by tag and position), only what
   differs is changed. So focus, scroll position, text being typed, an open <details> and the
   screen reader's place survive every event. Handlers live on the element (el._on) behind one
   dispatcher, so a kept element runs the handler of the latest drawing, never a stale closure. */

var FRENCH = /^fr/.test(document.documentElement.lang || "fr");

/* French typography (as fabrique/typography.py): a narrow no-break space before ? ! ;, a no-break
   space before : and inside « », so that a lone « ? » never wraps to its own line. */
export function typo(text) {
  return String(text)
    .replace(/[ \u00a0]+([?!;])/g, "\u202f$1")
    .replace(/[ \u202f]+:(?=\s|$)/g, "\u00a0:")
    .replace(/«[ \u202f]*/g, "«\u00a0")
    .replace(/[ \u202f]*»/g, "\u00a0»");
}

function dispatch(ev) {
  var fn = this._on && this._on[ev.type];
  if (fn) return fn.call(this, ev);
}

/* Build an element. Text always goes through textContent, so nothing typed by anyone can become
   markup. attrs: {class, text, on: {click: fn}, …any attribute}; children may be nested arrays. */
export function h(tag, attrs) {
  var el = document.createElement(tag);
  attrs = attrs || {};
  Object.keys(attrs).forEach(function (key) {
    var value = attrs[key];
    if (value === null || value === undefined || value === false) return;
    if (key === "text") el.textContent = FRENCH ? typo(value) : value;
    else if (key === "class") el.className = value;
    else if (key === "on") {
      el._on = value;
      Object.keys(value).forEach(function (ev) { el.addEventListener(ev, dispatch); });
    } else el.setAttribute(key, value === true ? "" : value);
  });
  for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

export function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
  if (typeof child === "object") { el.appendChild(child); return; }
  // What is typed into a field stays as typed; what is shown gets French typography.
  el.appendChild(document.createTextNode(FRENCH && el.nodeName !== "TEXTAREA" ? typo(child) : String(child)));
}

function keyOf(node) {
  if (node.nodeType !== 1) return null;
  return node.getAttribute("data-key") || node.id || null;
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName;
}

function patchAttributes(old, fresh) {
  var i, name;
  for (i = old.attributes.length - 1; i >= 0; i--) {
    name = old.attributes[i].name;
    // An open <details> is the reader's choice: a redraw opens one, never folds it.
    if (name === "open" && old.nodeName === "DETAILS") continue;
    if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  }
  for (i = 0; i < fresh.attributes.length; i++) {
    name = fresh.attributes[i].name;
    var value = fresh.attributes[i].value;
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  var tag = old.nodeName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
    if (old.type === "checkbox" || old.type === "radio") {
      var checked = fresh.hasAttribute("checked");
      if (old.checked !== checked) old.checked = checked;
    } else if (old !== document.activeElement) {
      // The field being typed in keeps its text; the others show what the drawing holds.
      var wanted = tag === "TEXTAREA" ? fresh.textContent : (tag === "SELECT" ? fresh.value : (fresh.getAttribute("value") || ""));
      if (old.value !== wanted) old.value = wanted;
    }
  }
  var handlers = fresh._on;
  if (handlers || old._on) {
    old._on = handlers || null;
    if (handlers) Object.keys(handlers).forEach(function (ev) { old.addEventListener(ev, dispatch); });
  }
}

function patchNode(old, fresh) {
  if (old.nodeType === 3) {
    if (old.nodeValue !== fresh.nodeValue) old.nodeValue = fresh.nodeValue;
    return;
  }
  patchAttributes(old, fresh);
  if (old.nodeName === "TEXTAREA") return;   // its text is its value, handled above
  if (fresh.hasAttribute("data-own")) return; // its children are drawn by a patch of their own
  patchChildren(old, Array.prototype.slice.call(fresh.childNodes));
}

/* Make parent's children look like `wanted` (freshly built nodes), keeping the ones that match. */
export function patchChildren(parent, wanted) {
  var old = Array.prototype.slice.call(parent.childNodes);
  var keyed = {};
  old.forEach(function (node) { var k = keyOf(node); if (k) keyed[k] = node; });
  var used = new Set();
  var cursor = 0;
  wanted.forEach(function (fresh, index) {
    var k = keyOf(fresh), match = null;
    if (k && keyed[k] && sameKind(keyed[k], fresh) && !used.has(keyed[k])) match = keyed[k];
    else if (!k) {
      while (cursor < old.length && (used.has(old[cursor]) || keyOf(old[cursor]))) cursor++;
      if (cursor < old.length && sameKind(old[cursor], fresh)) match = old[cursor];
    }
    var node;
    if (match) {
      used.add(match);
      patchNode(match, fresh);
      node = match;
    } else {
      node = fresh;
    }
    if (parent.childNodes[index] !== node) parent.insertBefore(node, parent.childNodes[index] || null);
  });
  old.forEach(function (node) { if (!used.has(node) && node.parentNode === parent) parent.removeChild(node); });
}

/* Patch `el` so that its children are `children` (anything h() accepts as children). */
export function patch(el, children) {
  var box = document.createElement(el.nodeName);
  append(box, children);
  patchChildren(el, Array.prototype.slice.call(box.childNodes));
}

var rules = null;
/* Pick the singular or plural text for n by the page language's rules (French: 0 and 1 are
   singular; English: only 1). Both texts go through t() at the caller, so they are translated. */
export function plural(n, one, many) {
  if (!rules) {
    try { rules = new Intl.PluralRules(document.documentElement.lang || "fr"); } catch (e) { rules = { select: function (x) { return x <= 1 ? "one" : "other"; } }; }
  }
  return rules.select(n) === "one" ? one : many;
}
