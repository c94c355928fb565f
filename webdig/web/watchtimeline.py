"""Watching until a change takes effect: one ``/watch``'s timeline, as data and as lines.

A watch asks one question (a look-up or a renewal check) again every interval, for a
limited time.  webdig keeps no session, so the timeline lives in the browser, and the
server signs what it hands out (HMAC with the app's secret key):

- the **token** names the question, when the watch started and its interval, so a page
  cannot stretch its watch past the time limit or shorten its interval;
- each run's **entry** says what the page shows of that run (codes and parameters, never
  sentences), and its **state** is what the next run compares with: the answers, statuses,
  verdicts and findings that :mod:`webdig.output.diff` reads (:func:`skeleton`).

Each run compares the answer of now with the signed state of the run before, so neither
the timeline on the page nor a saved one can hold a run webdig did not make.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Any

from webdig.output.diff import diff_results, diff_to_json

Body = Mapping[str, Any]


@dataclass(frozen=True)
class Watch:
    """One watch: its question (a canonical query string), start and interval."""

    question: str
    """``lookup?hostnames=…`` or ``check?domain=…``: the kind and the canonical query."""
    started: datetime
    interval: float
    """Seconds between two runs."""

    def token(self, key: str) -> str:
        """The signed token the page carries: ``<start>-<interval>-<signature>``."""
        start = int(self.started.timestamp())
        return (
            f"{start}-{self.interval:g}-{_mac(key, 'watch', self.question, start, self.interval)}"
        )

    @classmethod
    def from_token(cls, token: str, question: str, key: str) -> Watch | None:
        """The watch ``token`` names, if it is ours and for ``question``; else None."""
        start_text, _, rest = token.partition("-")
        interval_text, _, signature = rest.partition("-")
        try:
            start, interval = int(start_text), float(interval_text)
        except ValueError:
            return None
        expected = _mac(key, "watch", question, start, interval)
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return None
        return cls(question, datetime.fromtimestamp(start, UTC), interval)

    def ends(self, minutes: float) -> datetime:
        """When this watch stops asking."""
        return self.started + timedelta(minutes=minutes)

    def most_runs(self, minutes: float) -> int:
        """How many runs fit in ``minutes`` (the first one at the start)."""
        return ceil(minutes * 60 / self.interval) + 1


def skeleton(body: Body) -> dict[str, Any]:
    """What the next run compares with: the parts of a result :func:`diff_results` reads."""
    if "checks" in body:
        keep = ("id", "status", "code", "level", "params")
        return {
            "status": body.get("status"),
            "checks": [{k: item.get(k) for k in keep} for item in body["checks"]],
        }
    block_keys = ("hostname", "hostname_ascii", "type", "server", "status")
    return {
        "results": [
            {
                **{k: block.get(k) for k in block_keys},
                "answer": [
                    {k: r[k] for k in ("name", "class", "type", "data", "ttl")}
                    for r in block.get("answer", ())
                ],
                "verdict": _verdict(block.get("verdict")),
            }
            for block in body.get("results", ())
        ],
        "verdicts": [_finding(f) for f in body.get("verdicts", ())],
    }


def _verdict(verdict: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return {"code": verdict.get("code"), "status": verdict.get("status")} if verdict else None


def _finding(finding: Mapping[str, Any]) -> dict[str, Any]:
    """A finding as codes and parameters: its sentence is made again in each reader's language."""
    return {k: finding[k] for k in ("code", "level", "params", "kind") if k in finding}


def judged(body: Body) -> bool:
    """Whether this result can say "taken effect": a check always, a look-up with ``expected``."""
    return "checks" in body or bool(body.get("query", {}).get("expected"))


def fixed(body: Body) -> bool:
    """The answer the user waits for: every hostname points at their server, or (a check)
    every checklist item passes."""
    if "checks" in body:
        return body.get("status") == "pass"
    headlines = body.get("headlines") or ()
    return bool(headlines) and all(h.get("code") == "headline.match" for h in headlines)


def headlines(body: Body) -> list[dict[str, Any]]:
    """The answer to the question, as findings: one per hostname, or the checklist's."""
    if "checks" in body:
        return [_finding(body)]
    return [_finding(h) for h in body.get("headlines", ())]


def run_entry(
    n: int, at: datetime, body: Body, previous: Body | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run ``n`` (seen ``at``) as a timeline entry, and its state for the next run.

    ``previous`` is the state of the run before (None for the first one shown): the entry
    holds what changed since, and the headlines only when something did.
    """
    state = skeleton(body)
    changes: dict[str, Any] | None = None
    same = False
    if previous is not None:
        diff = diff_results(previous, state)
        same = diff.same
        if not same:
            changes = {k: v for k, v in diff_to_json(diff).items() if k != "same"}
    entry = {
        "n": n,
        "at": at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "first": previous is None,
        "same": same,
        "fixed": fixed(body),
        "changes": changes,
        "headlines": [] if same else headlines(body),
    }
    return entry, state


def sign_entry(key: str, token: str, entry: Mapping[str, Any]) -> str:
    """The entry's signature: it belongs to this watch and webdig made it."""
    return _mac(key, "entry", token, _canonical(entry))


def sign_state(key: str, token: str, n: int, state: Mapping[str, Any]) -> str:
    """The state's signature: run ``n`` of this watch saw it."""
    return _mac(key, "state", token, n, _canonical(state))


def valid(signature: object, expected: str) -> bool:
    """Whether ``signature`` (anything a client sent) is ``expected``."""
    return isinstance(signature, str) and hmac.compare_digest(signature.encode(), expected.encode())


def verified_timeline(
    key: str, token: str, entries: Sequence[Any], most: int
) -> list[dict[str, Any]] | None:
    """The entries a page sent back, without their signatures, if every one is this watch's
    and they are in order (at most ``most``); else None."""
    if not entries or len(entries) > most:
        return None
    kept: list[dict[str, Any]] = []
    for item in entries:
        if not isinstance(item, dict):
            return None
        entry = {k: v for k, v in item.items() if k != "sig"}
        if not valid(item.get("sig"), sign_entry(key, token, entry)):
            return None
        if kept and not entry.get("n", 0) > kept[-1]["n"]:
            return None
        kept.append(entry)
    return kept


def parse_time(text: str) -> datetime:
    """An entry's ``at`` back as a moment."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _mac(key: str, *parts: object) -> str:
    message = "\n".join(str(part) for part in parts).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def _canonical(value: Mapping[str, Any]) -> str:
    """One spelling of a JSON value, whoever parsed and wrote it again: a browser writes the
    float 54.0 as 54, so whole floats are written as integers before signing."""
    return json.dumps(_whole(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _whole(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_whole(v) for v in value]
    return value
