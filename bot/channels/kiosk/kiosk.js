/*
 * The kiosk page: a public touch screen, shared with strangers. Plain JavaScript, no library, no build step.
 *
 * It talks only to its own channel (same folder): languages, strings?lang=xx, session, webhook, wipe.
 * It keeps nothing in the browser: no cookies, no localStorage, sessionStorage or IndexedDB. The
 * conversation id is issued by the server (POST session: random, signed, refused if not its own) and lives in
 * a variable only.
 * Quick exit (the button, or Shift pressed three times within a second) wipes the conversation on the
 * server, clears the page and replaces it with a neutral page, so Back does not bring it back.
 * Nobody touching the screen: a warning, then the conversation is wiped and the language list returns.
 */
(function () {
  "use strict";

  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 1000;
  var TEXT_SIZES = [1, 1.15, 1.3, 1.5, 1.75, 2];
  var DEFAULT_SETTINGS = {
    exit_url: "away",
    idle_warning_seconds: 90,
    idle_wipe_seconds: 120,
    sms_number: "",
    max_message_chars: 2000
  };

  var state = {
    sender: null,          // { id: the server's conversation id }, only while a conversation is on screen
    lang: null,            // the language the conversation is in
    defaultLang: "en",
    strings: {},
    untranslated: {},
    stringsRequest: 0,
    settings: DEFAULT_SETTINGS,
    languages: [],
    textSize: 0,
    lastActivity: Date.now(),
    warningShown: false,
    exiting: false,
    queue: Promise.resolve(),
    unanswered: [],        // turns sent and not answered yet, oldest first (see send)
    shiftTimes: []
  };

  function $(id) {
    return document.getElementById(id);
  }

  // The page may be served as ".../kiosk/" or behind a proxy under another prefix: every endpoint is
  // resolved against the page's own folder.
  function endpoint(name) {
    var path = window.location.pathname;
    var folder = path.endsWith("/") ? path : path.slice(0, path.lastIndexOf("/") + 1);
    return folder + name;
  }

  // The server issues the conversation id, once per conversation (one request, however many messages wait
  // for it); asked again when it is refused (the server forgot it).
  function sessionId(sender) {
    if (sender.id) {
      return Promise.resolve(sender.id);
    }
    if (!sender.pending) {
      sender.pending = postJson("session", {}).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      }).then(function (data) {
        sender.id = data.session;
        return sender.id;
      }, function (error) {
        sender.pending = null;
        throw error;
      });
    }
    return sender.pending;
  }

  function getJson(name) {
    return fetch(endpoint(name), { credentials: "omit", cache: "no-store" }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function postJson(name, body) {
    return fetch(endpoint(name), {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function directionOf(code) {
    for (var i = 0; i < state.languages.length; i++) {
      if (state.languages[i].code === code) {
        return state.languages[i].dir;
      }
    }
    return "ltr";
  }

  function text(key) {
    return state.strings[key] || "";
  }

  // ---- language and words ------------------------------------------------------------------------------

  function applyStrings(data) {
    state.strings = data.strings || {};
    state.settings = data.settings || DEFAULT_SETTINGS;
    var root = document.documentElement;
    root.lang = data.lang;
    root.dir = data.dir === "rtl" ? "rtl" : "ltr";
    document.title = text("page_title");
    // A word not translated yet is shown in English: marked as English, so it reads left to right inside a
    // right-to-left page and a screen reader pronounces it as English.
    var untranslated = {};
    (data.untranslated || []).forEach(function (key) {
      untranslated[key] = true;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-string]"), function (element) {
      var key = element.getAttribute("data-string");
      element.textContent = text(key);
      markLanguage(element, untranslated[key]);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-label]"), function (element) {
      element.setAttribute("aria-label", text(element.getAttribute("data-label")));
    });
    state.untranslated = untranslated;
    $("message").maxLength = state.settings.max_message_chars || DEFAULT_SETTINGS.max_message_chars;
    var number = (state.settings.sms_number || "").trim();
    $("sms-number").textContent = number;
    $("sms").hidden = !number;
  }

  function markLanguage(element, inEnglish) {
    if (inEnglish) {
      element.lang = "en";
      element.dir = "ltr";
    } else {
      element.removeAttribute("lang");
      element.removeAttribute("dir");
    }
  }

  // Only the latest request is applied: a slow answer for the previous screen must not overwrite the words
  // (and lang and dir) of the one on screen now.
  function loadStrings(code) {
    var request = ++state.stringsRequest;
    return getJson("strings?lang=" + encodeURIComponent(code)).then(function (data) {
      if (request === state.stringsRequest) {
        applyStrings(data);
      }
      return data;
    });
  }

  function renderPicker() {
    var list = $("language-list");
    list.textContent = "";
    state.languages.forEach(function (language) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "language";
      button.lang = language.code;
      button.dir = language.dir;
      button.textContent = language.name;
      if (language.note) {
        // A machine-drafted translation says so, in its own language (locales/languages.yml: status draft).
        var note = document.createElement("span");
        note.className = "language-note";
        note.textContent = language.note;
        button.appendChild(note);
      }
      button.setAttribute("data-code", language.code);
      button.addEventListener("click", function () {
        pickLanguage(language.code);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    // "Choose your language" in every language that says it differently from the heading.
    var prompts = $("picker-prompts");
    prompts.textContent = "";
    var seen = {};
    seen[text("choose_language")] = true;
    state.languages.forEach(function (language) {
      if (!language.prompt || seen[language.prompt]) {
        return;
      }
      seen[language.prompt] = true;
      var item = document.createElement("li");
      item.lang = language.code;
      item.dir = language.dir;
      item.textContent = language.prompt;
      prompts.appendChild(item);
    });
  }

  // ---- screens -----------------------------------------------------------------------------------------

  function showPicker() {
    $("chat").hidden = true;
    $("start-over").hidden = true;
    $("picker").hidden = false;
  }

  function showChat() {
    $("picker").hidden = true;
    $("chat").hidden = false;
    $("start-over").hidden = false;
  }

  function clearConversation() {
    state.unanswered = [];
    $("log").textContent = "";
    $("status").textContent = "";
    $("announcer").textContent = "";
    $("message").value = "";
  }

  function pickLanguage(code) {
    if (state.sender) {
      return;
    }
    state.sender = { id: null, pending: null };
    state.lang = code;
    markActive();
    var sender = state.sender;
    sessionId(sender).catch(function () {});  // asked for while the words load
    loadStrings(code).then(function (data) {
      if (state.sender !== sender) {
        return;
      }
      clearConversation();
      showChat();
      $("chat-title").focus();
      send({ payload: data.greeting }, null);
    }).catch(function () {
      if (state.sender !== sender) {
        return;
      }
      // The server could not be reached: say so (with 911); what the person then types still goes out.
      clearConversation();
      showChat();
      addReply({ text: text("connection_problem"), language: state.defaultLang });
      announce(text("connection_problem"));
      $("chat-title").focus();
    });
  }

  // ---- conversation ------------------------------------------------------------------------------------

  function srLabel(key) {
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = text(key) + " ";
    markLanguage(span, state.untranslated[key]);
    return span;
  }

  function addUserMessage(shown) {
    var item = document.createElement("li");
    item.className = "message from-user";
    item.appendChild(srLabel("you_wrote"));
    var body = document.createElement("span");
    body.className = "message-text";
    body.dir = "auto";
    body.textContent = shown;
    item.appendChild(body);
    $("log").appendChild(item);
    scrollToEnd();
    return item;
  }

  // Phone numbers and other filled-in facts must not break across lines or be reordered in right-to-left
  // text. The server wraps them in Unicode isolates (U+2066 ... U+2069) in right-to-left replies; a
  // number-like run is kept whole in any language. Built from text nodes only: nothing is parsed as HTML.
  var ISOLATED = /\u2066[^\u2069]*\u2069/g;
  var PHONE = /\+?\d[\d\-. ]{4,}\d/g;
  var HAS_PHONE = /\+?\d[\d\-. ]{4,}\d/;

  function appendPieces(parent, value, pattern, makeSpan) {
    var last = 0;
    value.replace(pattern, function (match, offset) {
      if (offset > last) {
        parent.appendChild(document.createTextNode(value.slice(last, offset)));
      }
      parent.appendChild(makeSpan(match));
      last = offset + match.length;
      return match;
    });
    if (last < value.length) {
      parent.appendChild(document.createTextNode(value.slice(last)));
    }
  }

  function appendReplyText(parent, value) {
    appendPieces(parent, value, ISOLATED, function (match) {
      var span = document.createElement("span");
      span.className = "fact";
      span.dir = "ltr";
      span.textContent = match;
      return span;
    });
    // Then keep number runs outside the isolates together too.
    Array.prototype.slice.call(parent.childNodes).forEach(function (node) {
      if (node.nodeType !== 3 || !HAS_PHONE.test(node.nodeValue)) {
        return;
      }
      var holder = document.createDocumentFragment();
      appendPieces(holder, node.nodeValue, PHONE, function (match) {
        var span = document.createElement("span");
        span.className = "number";
        span.textContent = match;
        return span;
      });
      parent.replaceChild(holder, node);
    });
  }

  // `before`: the first message written after the turn this reply answers, so that the answer stays under
  // its own question (and the greeting above everything) however fast the person types.
  function addReply(reply, before) {
    var code = reply.language || state.lang;
    var item = document.createElement("li");
    item.className = "message from-assistant";
    item.lang = code;
    item.dir = directionOf(code);
    item.appendChild(srLabel("reply"));
    var body = document.createElement("span");
    body.className = "message-text";
    appendReplyText(body, reply.text || "");
    item.appendChild(body);
    if (Array.isArray(reply.buttons) && reply.buttons.length) {
      var choices = document.createElement("div");
      choices.className = "choices";
      reply.buttons.forEach(function (choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = choice.title;
        button.addEventListener("click", function () {
          send({ payload: choice.payload }, choice.title);
        });
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    $("log").insertBefore(item, before || null);
    if (!before) {
      scrollToEnd();
    }
    return item;
  }

  function announce(message) {
    var announcer = $("announcer");
    announcer.textContent = "";
    // A fresh node each time, so a reply equal to the previous one is announced too.
    var line = document.createElement("p");
    line.lang = state.lang || state.defaultLang;
    line.textContent = message;
    announcer.appendChild(line);
  }

  // The conversation scrolls inside its own box (the log), never the page: the quick exit stays on screen.
  // A long answer is read from its first line: bring that to the top of the box.
  function scrollToStartOf(item) {
    var log = $("log");
    log.scrollTop = item.offsetTop - parseFloat(window.getComputedStyle(log).paddingTop);
  }

  function scrollToEnd() {
    var log = $("log");
    log.scrollTop = log.scrollHeight;
  }

  // `content` is { message: typed words } or { payload: a button's payload }: the server never reads typed
  // words as a payload. Turns go to the server one at a time, in order; what the person writes is shown at
  // once, and each answer is put just above whatever was written after its own turn.
  function send(content, shown) {
    var sender = state.sender;
    if (!sender || !(content.message || content.payload)) {
      return state.queue;
    }
    var turn = { next: null };
    if (shown) {
      var item = addUserMessage(shown);
      state.unanswered.forEach(function (earlier) {
        earlier.next = earlier.next || item;
      });
    }
    state.unanswered.push(turn);
    // One turn at a time, in order.
    state.queue = state.queue.then(function () {
      if (state.sender !== sender) {
        return null;
      }
      $("status").textContent = text("waiting");
      return sessionId(sender)
        .then(function (id) {
          var body = { sender: id, metadata: { language: state.lang } };
          if (content.payload) {
            body.payload = content.payload;
          } else {
            body.message = content.message;
          }
          return postJson("webhook", body);
        })
        .then(function (response) {
          if (response.status === 403) {
            sender.id = null;
            sender.pending = null;
          }
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (replies) {
          if (state.sender !== sender) {
            return null;  // wiped while the answer was on its way: show nothing
          }
          return showReplies(Array.isArray(replies) ? replies : [], turn.next);
        })
        .catch(function () {
          if (state.sender === sender) {
            addReply({ text: text("connection_problem"), language: state.lang }, turn.next);
            announce(text("connection_problem"));
          }
        })
        .then(function () {
          if (state.sender === sender) {
            state.unanswered = state.unanswered.filter(function (pending) {
              return pending !== turn;
            });
            $("status").textContent = state.unanswered.length ? text("waiting") : "";
          }
        });
    });
    return state.queue;
  }

  function showReplies(replies, before) {
    // Reading an answer is not being away: the idle time counts from the answer too.
    state.lastActivity = Date.now();
    var switched = null;
    var spoken = [];
    var first = null;
    replies.forEach(function (reply) {
      if (reply.language && reply.language !== state.lang) {
        switched = reply.language;  // a language was chosen in the conversation: the page follows it
      }
      var item = addReply(reply, before);
      first = first || item;
      if (reply.text) {
        spoken.push(reply.text);
      }
    });
    if (first && !before) {
      scrollToStartOf(first);
    }
    if (spoken.length) {
      announce(spoken.join("\n"));
    }
    if (switched) {
      state.lang = switched;
      return loadStrings(switched).catch(function () {});
    }
    return null;
  }

  // ---- wiping ------------------------------------------------------------------------------------------

  function wipeOnServer(sender) {
    if (!sender.id) {
      return;  // no id yet: nothing was said
    }
    var body = JSON.stringify({ sender: sender.id });
    // A beacon still goes out while the page is being replaced. A string body is sent as text/plain, which
    // needs no preflight; the server reads it as JSON.
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(endpoint("wipe"), body)) {
        return;
      }
    } catch (ignored) { /* fall through to fetch */ }
    fetch(endpoint("wipe"), {
      method: "POST", body: body, keepalive: true, credentials: "omit", cache: "no-store",
      headers: { "Content-Type": "text/plain" }
    }).catch(function () {});
  }

  function resetToPicker() {
    var sender = state.sender;
    state.sender = null;
    state.lang = null;
    state.queue = Promise.resolve();
    if (sender) {
      wipeOnServer(sender);
    }
    hideWarning();
    clearConversation();
    setTextSize(0);
    showPicker();
    markActive();
    return loadStrings(state.defaultLang).catch(function () {}).then(function () {
      renderPicker();
      $("picker-title").focus();
    });
  }

  function quickExit() {
    if (state.exiting) {
      return;
    }
    state.exiting = true;
    var sender = state.sender;
    state.sender = null;
    if (sender) {
      wipeOnServer(sender);
    }
    var exitUrl = (state.settings && state.settings.exit_url) || DEFAULT_SETTINGS.exit_url;
    // Clear the page first, so nothing is left on screen even for the instant the next page takes.
    document.body.textContent = "";
    document.title = "";
    window.location.replace(exitUrl.indexOf("/") === -1 && exitUrl.indexOf(":") === -1 ? endpoint(exitUrl) : exitUrl);
  }

  // ---- inactivity --------------------------------------------------------------------------------------

  function markActive() {
    state.lastActivity = Date.now();
    if (state.warningShown) {
      hideWarning();
    }
  }

  function showWarning() {
    state.warningShown = true;
    $("idle-warning").hidden = false;
    announce(text("idle_warning"));
    $("idle-continue").focus();
  }

  function hideWarning() {
    var wasShown = state.warningShown;
    state.warningShown = false;
    $("idle-warning").hidden = true;
    if (wasShown && !$("chat").hidden) {
      // Not the text box: on a touch screen that would pop up the keyboard.
      $("chat-title").focus({ preventScroll: true });
    }
  }

  function checkIdle() {
    if (!state.sender || state.exiting) {
      return;
    }
    var idleSeconds = (Date.now() - state.lastActivity) / 1000;
    if (idleSeconds >= state.settings.idle_wipe_seconds) {
      resetToPicker();
    } else if (idleSeconds >= state.settings.idle_warning_seconds && !state.warningShown) {
      showWarning();
    }
  }

  // ---- text size ---------------------------------------------------------------------------------------

  function setTextSize(step) {
    state.textSize = Math.max(0, Math.min(TEXT_SIZES.length - 1, step));
    document.documentElement.style.fontSize = (TEXT_SIZES[state.textSize] * 100) + "%";
    $("text-smaller").disabled = state.textSize === 0;
    $("text-larger").disabled = state.textSize === TEXT_SIZES.length - 1;
  }

  // ---- wiring ------------------------------------------------------------------------------------------

  function onKeyDown(event) {
    if (event.key === "Shift") {
      if (event.repeat) {
        return;
      }
      var now = Date.now();
      state.shiftTimes = state.shiftTimes.filter(function (time) {
        return now - time < SHIFT_WINDOW_MS;
      });
      state.shiftTimes.push(now);
      if (state.shiftTimes.length >= SHIFT_PRESSES) {
        quickExit();
      }
    } else {
      state.shiftTimes = [];  // typing capitals (Shift, a letter, Shift, ...) is not a quick exit
    }
  }

  function start() {
    document.addEventListener("keydown", onKeyDown, true);
    ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (type) {
      document.addEventListener(type, markActive, { capture: true, passive: true });
    });
    $("quick-exit").addEventListener("click", quickExit);
    $("text-smaller").addEventListener("click", function () { setTextSize(state.textSize - 1); });
    $("text-larger").addEventListener("click", function () { setTextSize(state.textSize + 1); });
    $("start-over").addEventListener("click", resetToPicker);
    $("idle-continue").addEventListener("click", function () { markActive(); });
    $("composer").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = $("message");
      var typed = input.value.trim();
      if (!typed || !state.sender) {
        return;
      }
      input.value = "";
      send({ message: typed }, typed);
    });
    // Leaving the page any other way also deletes the conversation; and a page restored from the
    // browser's back-forward cache starts over instead of showing the last person's conversation.
    window.addEventListener("pagehide", function () {
      if (state.sender) {
        wipeOnServer(state.sender);
        state.sender = null;
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        window.location.reload();
      }
    });
    window.setInterval(checkIdle, 250);
    setTextSize(0);

    // A kiosk set up for a language still in preview names it in its address: .../kiosk/?lang=ymm
    var asked = new URLSearchParams(window.location.search).get("lang");
    var languages = asked ? "languages?lang=" + encodeURIComponent(asked) : "languages";
    Promise.all([getJson(languages), loadStrings(state.defaultLang)])
      .then(function (results) {
        state.languages = results[0].languages || [];
        state.defaultLang = results[0]["default"] || state.defaultLang;
        renderPicker();
      })
      .catch(function () {
        $("picker-title").textContent = "…";
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
