"""A watch's timeline in words, in the reader's language: each run's title and lines, and the
sentence announced when a run arrives.

The same lines are drawn by the page's template (the first run, a saved timeline, the page
without JavaScript) and by ``static/watch.js`` from the API's answer, so a run reads alike
everywhere.  Entries hold codes and parameters (:mod:`webdig.web.watchtimeline`); the
sentences are made here, when they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.output.restore import finding_from_json
from webdig.web.findingwords import item_status_word, verdict_word
from webdig.web.language import current_translator, shown_moment
from webdig.web.watchtimeline import judged, parse_time

Entry = Mapping[str, Any]


MARKED = frozenset({"fixed", "headline", "finding", "gone"})
"""Lines that carry a level's mark: judgements.  Changes read by their ``+``/``-`` instead."""


def line(kind: str, text: str, level: str = "info") -> dict[str, str]:
    """One line of a run: its kind (a CSS class), level, mark and words."""
    mark = Level(level).mark if kind in MARKED else ""
    return {"kind": kind, "level": level, "mark": mark, "text": text}


def clock(entry: Entry) -> str:
    """When the run was made, to the second, in the reader's zone."""
    return current_translator().clock(parse_time(str(entry["at"])))


def title(entry: Entry) -> str:
    """``Run 3 · 11:04:30 JST``."""
    return str(_("Run %(n)s · %(time)s", n=entry["n"], time=clock(entry)))


def lines(entry: Entry) -> list[dict[str, str]]:
    """What run ``entry`` found: taken effect, no change, or what changed and the answer now."""
    found = []
    if entry.get("fixed"):
        found.append(line("fixed", _("The change has taken effect."), "pass"))
    if entry.get("same"):
        found.append(line("same", _("No change since the previous run.")))
        return found
    if entry.get("first"):
        start = entry.get("n") == 1
        found.append(
            line("first", _("The answer at the start:") if start else _("The answer now:"))
        )
    found.extend(_changes(entry.get("changes") or {}))
    if entry.get("changes"):
        found.append(line("now", _("The answer now:")))
    found.extend(_said("headline", finding) for finding in entry.get("headlines", ()))
    return found


def _said(kind: str, finding: Mapping[str, Any]) -> dict[str, str]:
    parsed = finding_from_json(finding)
    text = sentence(parsed, current_translator().translations)
    return line(kind, text, str(parsed.level))


def _changes(changes: Mapping[str, Any]) -> list[dict[str, str]]:
    found = []
    for block in changes.get("results", ()):
        found.append(line("where", f"{block['hostname']} {block['type']} @ {block['server']}"))
        status, verdict = block["status"], block["verdict"]
        if status["before"] != status["after"]:
            said = _(
                "Status: %(before)s → %(after)s",
                before=status["before"] or _("not asked"),
                after=status["after"] or _("not asked"),
            )
            found.append(line("status", said))
        if verdict["before"] != verdict["after"]:
            said = _(
                "Verdict: %(before)s → %(after)s",
                before=verdict_word(verdict["before"]),
                after=verdict_word(verdict["after"]),
            )
            found.append(line("status", said))
        found.extend(line("added", f"+ {record}") for record in block["added"])
        found.extend(line("removed", f"- {record}") for record in block["removed"])
    for item in changes.get("checks", ()):
        said = _(
            "Checklist item %(item)s: %(before)s → %(after)s",
            item=item["id"],
            before=item_status_word(item["before"]),
            after=item_status_word(item["after"]),
        )
        found.append(line("status", said))
    findings = changes.get("findings", {})
    found.extend(_said("finding", f) for f in findings.get("added", ()) if "code" in f)
    for finding in findings.get("removed", ()):
        if "code" in finding:
            gone = _said("gone", finding)
            gone["text"] = _("No longer: %(finding)s", finding=gone["text"])
            found.append(gone)
    return found


def announcement(entry: Entry, *, judged: bool, check: bool) -> str:
    """The one sentence a screen reader hears when run ``entry`` arrives."""
    n, time = entry["n"], clock(entry)
    if entry.get("fixed"):
        if check:
            return str(
                _(
                    "The change has taken effect: every checklist item passed at run %(n)s "
                    "(%(time)s).",
                    n=n,
                    time=time,
                )
            )
        return str(_("The change has taken effect: run %(n)s (%(time)s) matched.", n=n, time=time))
    if entry.get("first"):
        if judged:
            return str(
                _("Run %(n)s (%(time)s): the change has not taken effect yet.", n=n, time=time)
            )
        return str(_("Run %(n)s (%(time)s): webdig watches for changes.", n=n, time=time))
    if not judged:
        if entry.get("same"):
            return str(_("Run %(n)s (%(time)s): no change.", n=n, time=time))
        return str(_("Run %(n)s (%(time)s): something changed.", n=n, time=time))
    if entry.get("same"):
        return str(
            _("Run %(n)s (%(time)s): no change; it has not taken effect yet.", n=n, time=time)
        )
    return str(
        _(
            "Run %(n)s (%(time)s): something changed, but it has not taken effect yet.",
            n=n,
            time=time,
        )
    )


def shown(entry: Entry, *, judged: bool, check: bool) -> dict[str, Any]:
    """Everything the page draws of one run: title, lines and the announcement."""
    return {
        "n": entry["n"],
        "title": title(entry),
        "lines": lines(entry),
        "announcement": announcement(entry, judged=judged, check=check),
        "fixed": bool(entry.get("fixed")),
    }


def saved_timeline(body: Mapping[str, Any]) -> dict[str, Any]:
    """A saved watch (``body["watch"]``) as its page shows it, in the viewer's language."""
    kept = body["watch"]
    check = "checks" in body
    runs = [shown(entry, judged=judged(body), check=check) for entry in kept["timeline"]]
    return {
        "started": shown_moment(parse_time(str(kept["started"]))),
        "interval": f"{float(kept['interval']):g}",
        "runs": runs,
        "fixed": next((run for run in runs if run["fixed"]), None),
    }


def script_texts(check: bool, minutes: float) -> dict[str, str]:
    """The words static/watch.js puts on the page, in the reader's language (``check``: a
    renewal check's watch; ``minutes``: how long a watch asks)."""
    return {
        "fixed-title": _("The change has taken effect."),
        "fixed-text": _(
            "Every checklist item passes. Press “renew” in your hosting panel's SSL settings."
        )
        if check
        else _(
            "Every server asked answers your server's address. Let's Encrypt asks these "
            "servers directly, so you can press “renew” in your hosting panel's SSL settings now."
        ),
        "ended-title": _("Watching stopped."),
        "ended-text": _(
            "webdig watches for at most %(minutes)s minutes. Open the watch again to go on.",
            minutes=f"{minutes:g}",
        ),
        # Not "next": data-next holds the state the next run compares with.
        "countdown": _("Next run in %(seconds)s s.", seconds="{seconds}"),
        "running": _("Asking again…"),
        "failed": _("This run failed; webdig tries again at the next interval."),
    }
