/* Shared by the three live screens: the connection, snapshots and events, translation, and (for
   phones) an outbox that keeps actions until the server has stored them. Elements are built and
   patched by dom.js. */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("boot").textContent);
  var messages = JSON.parse(document.getElementById("messages").textContent);

  /* Translate a French interface text; {name} placeholders are filled from `values`. */
  function t(text, values) {
    var out = messages[text] || text;
    if (values) {
      Object.keys(values).forEach(function (k) { out = out.split("{" + k + "}").join(String(values[k])); });
    }
    return out;
  }

  /* The stage reaches every screen of an atelier alike, its phase titles in French: show them in
     this browser's language (a template's own title stays as written unless it is an interface
     text, such as « Clôture »; the server's refusals name phases the same way). */
  var templateLang = (boot.template && boot.template.language) || "fr";
  var interfaceTitles = {};
  function localTitle(item) {
    if (!item.title) return;
    if (messages[item.title]) interfaceTitles[messages[item.title]] = true;
    item.title = t(item.title);
  }
  function localStage(stage) {
    if (!stage) return stage;
    localTitle(stage);
    (stage.phases || []).forEach(localTitle);
    return stage;
  }
  /* The language of a phase title as shown: the page's when it was translated, else the template's
     (screens mark it with lang, dom.js). */
  function titleLang(title) { return interfaceTitles[title] ? null : templateLang; }
  if (boot.state) localStage(boot.state.stage);

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "op-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  /* Replace the parts of a phone's own state that an event or an ack carries; return the whole.
     Its pistes come as changes (`pistes_changed`: entries added or replaced, ids removed). */
  function mergeMine(state, parts) {
    var changed = parts && parts.pistes_changed;
    var next = Object.assign({}, state.mine || {}, parts || {});
    delete next.pistes_changed;
    if (changed) {
      var gone = {};
      (changed.remove || []).forEach(function (id) { gone[id] = true; });
      (changed.upsert || []).forEach(function (piste) { gone[piste.id] = true; });
      next.pistes = (next.pistes || []).filter(function (piste) { return !gone[piste.id]; })
        .concat(changed.upsert || []).sort(function (a, b) { return a.id - b.id; });
    }
    state.mine = next;
    return state.mine;
  }

  /* Apply a board change: entries added or replaced, ids removed, kept in the server's order
     (pistes by id; engagements by theme, position, id). */
  function applyBoard(state, event) {
    var gone = {};
    (event.remove || []).forEach(function (id) { gone[id] = true; });
    (event.upsert || []).forEach(function (item) { gone[item.id] = true; });
    var board = (state.board || []).filter(function (item) { return !gone[item.id]; }).concat(event.upsert || []);
    board.sort(function (a, b) {
      if (a.title !== undefined && b.title !== undefined) {
        if (a.theme_id !== b.theme_id) return a.theme_id < b.theme_id ? -1 : 1;
        if (a.position !== b.position) return a.position - b.position;
      }
      return a.id - b.id;
    });
    state.board = board;
  }

  /* The projector's and the console's state arrives as a snapshot, then as deltas (see
     fabrique/aggregates.py): values replaced whole, and keyed lists patched by entry id, each kept
     in the snapshot's order; a theme's parts the same way. Lists and themes a delta does not
     touch stay the same objects, so that a screen can tell what changed. */
  function byIdUp(a, b) { return a.id - b.id; }
  function byIdDown(a, b) { return b.id - a.id; }
  function byThemePosition(a, b) {
    if (a.theme_id !== b.theme_id) return a.theme_id < b.theme_id ? -1 : 1;
    if (a.position !== b.position) return a.position - b.position;
    return a.id - b.id;
  }
  var LIST_ORDER = { engagements: byThemePosition, participants: byIdUp, moderation: byIdUp, hidden_reves: byIdDown,
                     reviews: byIdUp, pistes: byIdUp, reves: byIdDown };

  function patchList(list, change, order) {
    var gone = {};
    (change.remove || []).forEach(function (id) { gone[id] = true; });
    (change.upsert || []).forEach(function (entry) { gone[entry.id] = true; });
    var out = (list || []).filter(function (entry) { return !gone[entry.id]; }).concat(change.upsert || []);
    out.sort(order || byIdUp);
    return out;
  }

  function patchParts(target, part) {
    var values = part.set || {}, lists = part.lists || {};
    Object.keys(values).forEach(function (name) { target[name] = values[name]; });
    Object.keys(lists).forEach(function (name) { target[name] = patchList(target[name], lists[name], LIST_ORDER[name]); });
  }

  /* Return the state a delta leads to (a new object; `state` itself is left as it was). */
  function applyDelta(state, delta) {
    var next = Object.assign({}, state);
    patchParts(next, delta);
    if (delta.themes) {
      next.themes = (state.themes || []).map(function (theme) {
        var part = delta.themes[theme.id];
        if (!part) return theme;
        var copy = Object.assign({}, theme);
        patchParts(copy, part);
        return copy;
      });
    }
    next.seq = delta.seq;
    return next;
  }

  /* The live connection. Re-identifies on every connect (auth), asks for a snapshot, and asks
     again whenever a stage event shows a gap in stage versions, or a delta one in seq. */
  function connect(options) {
    var socket = io({ auth: boot.auth, transports: ["websocket", "polling"], reconnectionDelayMax: 4000 });
    var state = options.state;
    var lastStage = state && state.stage ? state.stage.version : -1;
    var clockSkew = 0;
    var syncing = false;
    var followsDeltas = !!(state && state.themes);   // the projector and the console; phones do not

    function syncClock(stage) { if (stage && stage.server_time) clockSkew = stage.server_time - Date.now(); }
    syncClock(state && state.stage);

    /* A phone's first request names the seq of the state its page brought, untouched so far: when
       the atelier is still there, the answer says so instead of sending that state again. */
    var fromPage = !followsDeltas && state ? state.seq : null;

    function resync() {
      syncing = true;
      var asked = fromPage;
      fromPage = null;
      socket.timeout(10000).emit("sync", asked === null ? {} : { seq: asked }, function (err, answer) {
        syncing = false;
        if (err || !answer || !answer.ok) return;
        if (answer.current) {
          if (state.seq !== asked) { resync(); return; }        // an event came first: ask again, in full
          syncClock(answer);
          options.onState(state, "sync");
          return;
        }
        var stage = state && state.stage;
        state = answer.state;
        localStage(state.stage);
        if (stage && followsDeltas && stage.version > state.stage.version) state.stage = stage;  // a stage event came first
        lastStage = state.stage.version;
        syncClock(answer.state.stage);
        options.onState(state, "sync");
      });
    }

    socket.on("connect", function () { options.onConnection(true); resync(); if (options.onConnect) options.onConnect(); });
    socket.on("disconnect", function () { options.onConnection(false); });
    socket.on("connect_error", function (err) {
      options.onConnection(false, err && err.message);
    });
    socket.on("stage", function (event) {
      if (event.stage.version <= lastStage) return;            // already seen
      localStage(event.stage);
      var gap = event.stage.version > lastStage + 1;
      var phaseChanged = !state.stage || state.stage.index !== event.stage.index;
      state.stage = event.stage;
      // A phone's seq follows every event; the projector's and console's is their deltas' own.
      if (!followsDeltas) state.seq = Math.max(state.seq || 0, event.seq);
      lastStage = event.stage.version;
      syncClock(event.stage);
      options.onState(state, "stage");
      // A gap means we missed something; a new phase may need other content (e.g. the pistes to
      // vote on): both call for a fresh snapshot. Phones spread their requests over a moment.
      if (gap || (phaseChanged && options.resyncOnPhase)) setTimeout(resync, gap ? 0 : Math.random() * 600);
    });
    socket.on("delta", function (delta) {
      if (!followsDeltas || syncing || !state) return;          // a snapshot is on its way
      if (delta.src !== state.src) return;                       // another process's stream: ours follows its writes
      if (delta.seq <= state.seq) return;                        // already in our state
      if (delta.base !== state.seq) { resync(); return; }        // we missed one
      var stage = state.stage;
      state = applyDelta(state, delta);
      if (delta.set && delta.set.stage) {
        if (delta.set.stage.version < lastStage) state.stage = stage;  // keep the newer stage we have
        else localStage(state.stage);
        lastStage = Math.max(lastStage, state.stage.version);
      }
      options.onState(state, "delta");
    });
    socket.on("board", function (event) {
      if (!("board" in state)) return;                          // only phones vote
      applyBoard(state, event);
      state.seq = Math.max(state.seq || 0, event.seq);
      options.onState(state, "board");
    });
    socket.on("me", function (event) {
      mergeMine(state, event.mine);
      state.seq = Math.max(state.seq || 0, event.seq);
      options.onState(state, "me");
    });

    var live = {
      socket: socket,
      state: function () { return state; },
      setState: function (next) { state = next; },
      now: function () { return Date.now() + clockSkew; },
      resync: resync,
      /* Emit an action with its op_id; resolve with the server's answer, reject on no answer. */
      emit: function (event, data, timeoutMs) {
        return new Promise(function (resolve, reject) {
          if (!socket.connected) { reject(new Error("offline")); return; }
          socket.timeout(timeoutMs || 8000).emit(event, data, function (err, answer) {
            if (err) { reject(err); return; }
            // An ack carries only the parts of `mine` the action changed: fold them into the
            // state, and hand the screen the whole of it, as a snapshot would.
            if (answer && answer.ok && answer.mine && state && state.mine) answer.mine = mergeMine(state, answer.mine);
            resolve(answer);
          });
        });
      }
    };
    window.Fabrique.live = live;  // the page's one connection (browser tests look at it)
    return live;
  }

  /* Actions waiting for the server's "stored": kept in localStorage, sent in order, each with
     its op_id so that a resend after a lost answer is applied once. An action the server refuses
     (its phase closed while the phone was offline, a text too long…) is kept in `refused` with
     the reason, until the person dismisses it: nothing typed disappears without a word. */
  function Outbox(key, live, onChange) {
    var items = read(key), refused = read(key + ":refused");
    var busy = false;
    var waiters = {};

    function read(name) {
      try { return JSON.parse(localStorage.getItem(name) || "[]"); } catch (e) { return []; }
    }
    function save() {
      try {
        localStorage.setItem(key, JSON.stringify(items));
        localStorage.setItem(key + ":refused", JSON.stringify(refused));
      } catch (e) { /* private mode: memory only */ }
    }

    function flush() {
      if (busy || !items.length || !live.socket.connected) return;
      busy = true;
      var item = items[0];
      live.emit(item.event, item.data).then(function (answer) {
        busy = false;
        if (answer && answer.code === "rate") {   // too fast for the server: same action, a little later
          setTimeout(flush, 1500);
          return;
        }
        items.shift();
        if (answer && !answer.ok) refused.push({ event: item.event, data: item.data, error: answer.error, at: Date.now() });
        save();
        var waiter = waiters[item.data.op_id];
        delete waiters[item.data.op_id];
        onChange(item, answer);
        if (waiter) waiter.resolve(answer);
        flush();
      }, function () {
        busy = false;                 // no answer: keep it, try again on the next connect
        onChange(item, null);
      });
    }

    return {
      pending: function () { return items.slice(); },
      refused: function () { return refused.slice(); },
      /* Forget a refused action once the person has read (or copied) it. */
      dismiss: function (opId) {
        refused = refused.filter(function (r) { return r.data.op_id !== opId; });
        save();
      },
      /* Queue an action; the promise resolves with the server's answer (possibly much later). */
      send: function (event, data) {
        data = Object.assign({ op_id: uuid() }, data);
        var item = { event: event, data: data, at: Date.now() };
        items.push(item);
        save();
        var promise = new Promise(function (resolve) { waiters[data.op_id] = { resolve: resolve }; });
        onChange(item, undefined);
        flush();
        return promise;
      },
      flush: flush
    };
  }

  function formatTimer(ms) {
    var total = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(total / 60), s = total % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  /* Remaining milliseconds of the stage's timer, or null when there is none. */
  function timerRemaining(stage, now) {
    if (!stage || !stage.timer) return null;
    if (stage.timer.ends_at) return Math.max(0, stage.timer.ends_at - now);
    if (stage.timer.remaining !== null && stage.timer.remaining !== undefined) return stage.timer.remaining * 1000;
    return null;
  }

  function byId(list) {
    var out = {};
    (list || []).forEach(function (item) { out[item.id] = item; });
    return out;
  }

  window.Fabrique = {
    boot: boot, t: t, uuid: uuid, connect: connect, Outbox: Outbox, applyDelta: applyDelta,
    formatTimer: formatTimer, timerRemaining: timerRemaining, byId: byId, titleLang: titleLang
  };
})();
