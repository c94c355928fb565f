// webdig: "Watch until it is fixed" (/watch). Asks the server for one more run every
// interval (POST /api/v1/watch), adds each run to the timeline, says it in the polite live
// region, and stops when the change has taken effect or the watch has run its time.
// Without this file the page reloads itself (meta refresh) and shows the latest run only.
// Everything is drawn with textContent: DNS data never becomes markup.
"use strict";

(function () {
  var box = document.getElementById("watch");
  if (!box || box.getAttribute("data-state") !== "running") return;

  var list = document.getElementById("timeline");
  var status = document.getElementById("watch-status");
  var next = document.getElementById("watch-next");
  var field = document.getElementById("watch-timeline");
  var previous = JSON.parse(box.getAttribute("data-next"));
  var timeline = JSON.parse(field.value);
  var interval = parseFloat(box.getAttribute("data-interval")) || 30;
  var lang = new URLSearchParams(window.location.search).get("lang");
  var api = box.getAttribute("data-api") + (lang ? "?lang=" + encodeURIComponent(lang) : "");
  var countdown = null;

  function words(name) {
    return box.getAttribute("data-" + name) || "";
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  // The same structure as templates/watch/_runs.html.
  function draw(run) {
    var item = element("li", run.fixed ? "run fixed" : "run");
    item.appendChild(element("p", "run-title", run.title));
    var lines = element("ul", "run-lines");
    run.lines.forEach(function (line) {
      var row = element("li", "run-line " + line.kind + " " + line.level);
      if (line.mark) {
        var mark = element("span", "mark", line.mark);
        mark.setAttribute("aria-hidden", "true");
        row.appendChild(mark);
        row.appendChild(document.createTextNode(" "));
      }
      row.appendChild(document.createTextNode(line.text));
      lines.appendChild(row);
    });
    item.appendChild(lines);
    list.insertBefore(item, list.firstChild);
  }

  function headline(state, mark, title, text) {
    var now = document.getElementById("watch-now");
    now.className = "watch-now " + state;
    var heading = document.getElementById("watch-now-title");
    heading.textContent = "";
    var sign = element("span", "mark", mark);
    sign.setAttribute("aria-hidden", "true");
    heading.appendChild(sign);
    heading.appendChild(document.createTextNode(" " + title));
    document.getElementById("watch-now-text").textContent = text;
  }

  function finish(state) {
    box.setAttribute("data-state", state);
    window.clearInterval(countdown);
    next.textContent = "";
    if (state === "fixed") {
      headline("pass", "✓", words("fixed-title"), words("fixed-text"));
    } else {
      headline("info", "■", words("ended-title"), words("ended-text"));
      status.textContent = words("ended-title") + " " + words("ended-text");
    }
  }

  function schedule(seconds) {
    var due = Date.now() + seconds * 1000;
    window.clearInterval(countdown);
    var tick = function () {
      var left = Math.max(0, Math.ceil((due - Date.now()) / 1000));
      next.textContent = words("countdown").replace("{seconds}", String(left));
    };
    tick();
    countdown = window.setInterval(tick, 1000);
    window.setTimeout(poll, seconds * 1000);
  }

  function answered(response) {
    return response.json().then(
      function (data) { return { status: response.status, data: data, headers: response.headers }; },
      function () { return { status: response.status, data: {}, headers: response.headers }; }
    );
  }

  function poll() {
    next.textContent = words("running");
    var body = { query: box.getAttribute("data-query"), watch: box.getAttribute("data-token"), previous: previous };
    fetch(api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(answered).then(function (answer) {
      var data = answer.data;
      if (answer.status === 200 && data.state === "ended") {
        finish("ended");
      } else if (answer.status === 200) {
        draw(data.shown);
        timeline.push(data.entry);
        field.value = JSON.stringify(timeline);
        previous = data.next;
        status.textContent = data.shown.announcement;
        if (data.state === "fixed") {
          finish("fixed");
        } else {
          schedule(data.next_in);
        }
      } else if (answer.status === 429 || answer.status >= 500) {
        // Over a rate limit or busy: say so, and try again when the server says.
        status.textContent = data.error || words("failed");
        var wait = parseFloat(answer.headers.get("Retry-After"));
        schedule(Math.max(interval, isNaN(wait) ? interval : wait));
      } else {
        status.textContent = data.error || words("failed");
        finish("ended");
      }
    }, function () {
      status.textContent = words("failed");
      schedule(interval);
    });
  }

  schedule(interval);
})();
