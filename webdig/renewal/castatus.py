"""The ``ca-status`` check: is Let's Encrypt itself in maintenance or trouble?

The status URL is the operator's setting (``WEBDIG_CA_STATUS_URL``), never
user input; it is still fetched through :func:`webdig.renewal.httpfetch.fetch_document`,
under the same target policy and deadline as the other probes.  Two common JSON shapes are
understood: Atlassian Statuspage (``status.indicator``) and status.io
(``result.status_overall.status_code``).  When it cannot be read, the check
is skipped and the user gets the status page's link.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from webdig.findings.markers import N_
from webdig.findings.model import Finding, Level
from webdig.language.message import Message, Quote
from webdig.renewal.httpfetch import fetch_document
from webdig.renewal.items import CheckId, CheckResult, Evidence, check, fix
from webdig.settings import Settings

STATUS_PAGE = "https://letsencrypt.status.io/"
TITLE = N_("Let's Encrypt is working normally")  # the page translates it
MAX_BYTES = 64 * 1024
STATUS_SECONDS = 60.0
"""How long one reading of the status is reused by every check."""
UNREAD_SECONDS = 15.0
"""How long a reading that failed is reused: the page may be back soon."""
TIMEOUT = 3.0
"""Seconds per connect or read: a status page far away may be slower than a nameserver."""


def fetch_status(
    url: str, *, settings: Settings, resolve: Callable[[str], list[str]], deadline: float
) -> tuple[dict[str, Any] | None, str]:
    """GET the status JSON; returns (data or None, what happened in words)."""
    if not url.startswith(("http://", "https://")):
        return None, Message("is not an http(s) URL")
    hop = fetch_document(
        url,
        settings=settings,
        resolve=resolve,
        deadline=deadline,
        timeout=TIMEOUT,
        max_body=MAX_BYTES,
    )
    if hop.error is not None:
        return None, Message("could not be read ({reason})", reason=hop.error.message)
    if hop.status != 200:
        status = Quote(f"{hop.status} {hop.reason}".strip())
        return None, Message("could not be read (HTTP {status})", status=status)
    if hop.truncated:
        return None, Message("answered more than 64 KB")
    try:
        data = json.loads(hop.body)
    except ValueError:
        return None, Message("did not answer JSON")
    if not isinstance(data, dict):
        return None, Message("answered unexpected JSON")
    return data, "answered"


def _interpret(data: dict[str, Any]) -> tuple[str, str] | None:
    """(level ok|minor|major, description) from a known status format."""
    status = data.get("status")
    if isinstance(status, dict) and "indicator" in status:
        indicator = str(status["indicator"])
        level = {"none": "ok", "minor": "minor", "maintenance": "minor"}.get(indicator, "major")
        return level, str(status.get("description", indicator))
    overall = (
        data.get("result", {}).get("status_overall")
        if isinstance(data.get("result"), dict)
        else None
    )
    if isinstance(overall, dict) and "status_code" in overall:
        code = int(overall["status_code"])
        level = "ok" if code == 100 else "minor" if code < 400 else "major"
        return level, str(overall.get("status", code))
    return None


def ca_status_check(
    url: str | None, *, settings: Settings, resolve: Callable[[str], list[str]], deadline: float
) -> CheckResult:
    """The ``ca-status`` checklist item; ``resolve`` gives the addresses of the URL's host."""
    look = fix("fix.ca-status-page", url=STATUS_PAGE)
    if not url:
        return check(CheckId.CA_STATUS, TITLE, Finding("ca.not-checked", Level.UNKNOWN), [look])
    data, what = fetch_status(url, settings=settings, resolve=resolve, deadline=deadline)
    meaning = _interpret(data) if data is not None else None
    if meaning is None:
        reason = what if data is None else Message("answered in an unknown format")
        unread = Finding("ca.unreadable", Level.UNKNOWN, {"reason": reason})
        return check(CheckId.CA_STATUS, TITLE, unread, [look])
    level, description = meaning
    evidence = [Evidence(f"GET {url}", Quote(json.dumps(data, indent=2)[:4000]))]
    said = {"description": description}
    if level == "ok":
        return check(
            CheckId.CA_STATUS, TITLE, Finding("ca.operational", Level.PASS, said), (), evidence
        )
    trouble = Finding("ca.trouble", Level.WARN if level == "minor" else Level.FAIL, said)
    return check(CheckId.CA_STATUS, TITLE, trouble, [fix("fix.ca-wait", url=STATUS_PAGE)], evidence)
