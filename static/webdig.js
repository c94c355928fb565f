// webdig: small enhancements only. The page works fully without this file:
// it adds the "Copy" buttons, ticks the matching radio button when a
// nameserver is typed or a resolver is picked, and shows progress while a
// look-up runs.
"use strict";

(function () {
  function sourceText(id) {
    var el = document.getElementById(id);
    if (!el) return "";
    return el.tagName === "INPUT" || el.tagName === "TEXTAREA" ? el.value : el.textContent;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return fallbackCopy(text); }
      );
    }
    return Promise.resolve(fallbackCopy(text));
  }

  // The page's language gives the words (data-* on <body>); English if missing.
  function words(name, english) {
    return document.body.getAttribute("data-" + name) || english;
  }

  function addCopyButton(slot) {
    var label = slot.getAttribute("data-copy-label") || "Copy";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = label;
    var status = document.createElement("span");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      copy(sourceText(slot.getAttribute("data-copy"))).then(function (ok) {
        button.textContent = ok ? words("copied", "Copied ✓") : words("copy-by-hand", "Select and copy by hand");
        status.textContent = ok ? words("copied-status", "Copied to the clipboard") : words("copy-failed", "Copying failed");
        window.setTimeout(function () {
          button.textContent = label;
          status.textContent = "";
        }, 2500);
      });
    });
    slot.appendChild(button);
    slot.appendChild(status);
  }

  function tickChoice(control, value) {
    var radio = document.querySelector('input[name="ns"][value="' + value + '"]');
    if (!control || !radio) return;
    var tick = function () { radio.checked = true; };
    control.addEventListener("input", tick);
    control.addEventListener("change", tick);
  }

  // Progress: at once (well within 300 ms of the press) say which servers are being asked.
  // The look-up then tells /progress/<token> which servers it still waits for (the token
  // rides in a one-minute cookie); from one second on, the box names them.  Where that
  // cannot be asked, after the per-server timeout it says that webdig is still waiting.
  // The words come from data-* attributes in the page's language.
  function fill(template, servers, seconds) {
    return template.replace("{servers}", servers).replace("{seconds}", seconds);
  }

  function serversOf(form, mode) {
    if (mode === "self") {
      var typed = (form.elements.nameservers.value || "").split(/[\s,]+/).filter(Boolean);
      if (typed.length) return typed;
      var hosting = form.elements.hosting;
      var chosen = hosting && hosting.value ? hosting.options[hosting.selectedIndex].text : "";
      return chosen ? [chosen.split(": ").pop()] : [];
    }
    if (mode === "resolver") {
      var select = form.elements.useresolver;
      return select ? [select.options[select.selectedIndex].text] : [];
    }
    return [];
  }

  function newToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function showWaiting(box, waiting, seconds) {
    var several = waiting.length > 1 && box.getAttribute("data-waiting-several");
    var template = several || box.getAttribute("data-waiting-one");
    box.textContent = fill(template, waiting.join(", "), seconds);
  }

  function pollProgress(box, token, seconds, named) {
    var timer = window.setInterval(function () {
      if (box.hidden) { window.clearInterval(timer); return; }
      window.fetch("/progress/" + token, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (body) {
          if (body && body.waiting && body.waiting.length && !box.hidden) {
            named.done = true;
            showWaiting(box, body.waiting, seconds);
          }
        })
        .catch(function () { /* the generic words stay */ });
    }, 500);
  }

  function showProgress(form) {
    var box = document.getElementById("progress");
    if (!box) return;
    var checked = form.querySelector('input[name="ns"]:checked');
    var mode = checked ? checked.value : "resolver";
    var servers = serversOf(form, mode);
    var seconds = String(parseFloat(box.getAttribute("data-timeout") || "2"));  // 3.0 → 3
    var text = box.getAttribute("data-asking-" + mode) || box.getAttribute("data-asking");
    box.textContent = fill(text, servers.join(", "), seconds);
    box.hidden = false;
    var named = { done: false };
    if (window.crypto && window.fetch) {
      var token = newToken();
      document.cookie = "webdig-progress=" + token + "; path=/; max-age=60; samesite=strict";
      window.setTimeout(function () { pollProgress(box, token, seconds, named); }, 1000);
    }
    window.setTimeout(function () {
      if (named.done) return;
      var one = servers.length === 1 && box.getAttribute("data-waiting-one");
      box.textContent = fill(one || box.getAttribute("data-waiting"), servers.join(", "), seconds);
    }, parseFloat(seconds) * 1000);
  }

  // A name box left empty: say so next to it, as the server says any other mistake
  // (the form is novalidate: the browser's bubbles would speak the browser's language).
  function missing(form) {
    var box = form.querySelector("[data-missing]");
    if (!box || box.value.trim()) return false;
    var id = box.id + "-errors";
    if (!document.getElementById(id)) {
      var list = document.createElement("ul");
      list.className = "errors";
      list.id = id;
      list.setAttribute("role", "alert");
      var item = document.createElement("li");
      var mark = document.createElement("span");
      mark.className = "mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "✗";
      item.appendChild(mark);
      item.appendChild(document.createTextNode(" " + box.getAttribute("data-missing")));
      list.appendChild(item);
      box.parentNode.insertBefore(list, box);
      box.parentNode.classList.add("invalid");
      var described = box.getAttribute("aria-describedby");
      box.setAttribute("aria-describedby", (described ? described + " " : "") + id);
    }
    box.setAttribute("aria-invalid", "true");
    box.focus();
    return true;
  }

  document.querySelectorAll("form.lookup").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (missing(form)) { event.preventDefault(); return; }
      showProgress(form);
    });
  });
  // Back from the next page (bfcache): the old message must not linger.
  window.addEventListener("pageshow", function () {
    var box = document.getElementById("progress");
    if (box) box.hidden = true;
  });

  // Without WEBDIG_PUBLIC_URL the server sends a relative link (it never trusts
  // the Host header); the address this browser shows makes it whole.
  function absoluteShareLink() {
    var input = document.getElementById("share-url");
    if (input && input.value.charAt(0) === "/") {
      input.value = new URL(input.value, window.location.href).href;
    }
  }

  absoluteShareLink();
  document.querySelectorAll("[data-copy]").forEach(addCopyButton);
  tickChoice(document.getElementById("nameservers"), "self");
  tickChoice(document.getElementById("hosting"), "self");
  tickChoice(document.getElementById("useresolver"), "resolver");
})();
