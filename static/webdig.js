// webdig: small enhancements only. The page works fully without this file:
// it adds the "Copy" buttons, and ticks the matching radio button when a
// nameserver is typed or a resolver is picked.
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
