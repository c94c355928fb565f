"""The ``ca-status`` check: is Let's Encrypt itself in maintenance or trouble?

The status URL is the operator's setting (``WEBDIG_CA_STATUS_URL``), never
user input, so it is fetched as configured.  Two common JSON shapes are
understood: Atlassian Statuspage (``status.indicator``) and status.io
(``result.status_overall.status_code``).  When it cannot be read, the check
is skipped and the user gets the status page's link.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from webdig.renewal.items import CheckResult, Evidence

STATUS_PAGE = "https://letsencrypt.status.io/"
TITLE = "Let's Encrypt is working normally"
MAX_BYTES = 64 * 1024


def fetch_status(url: str, *, timeout: float) -> tuple[dict[str, Any] | None, str]:
    """GET the status JSON; returns (data or None, what happened in words)."""
    if not url.startswith(("http://", "https://")):
        return None, "is not an http(s) URL"
    headers = {"Accept": "application/json", "User-Agent": "webdig"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        return None, f"could not be read ({getattr(exc, 'reason', exc)})"
    if len(body) > MAX_BYTES:
        return None, "answered more than 64 KB"
    try:
        data = json.loads(body)
    except ValueError:
        return None, "did not answer JSON"
    return (data, "answered") if isinstance(data, dict) else (None, "answered unexpected JSON")


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


def ca_status_check(url: str | None, *, timeout: float) -> CheckResult:
    """The ``ca-status`` checklist item."""
    if not url:
        return CheckResult(
            "ca-status", "skip", TITLE,
            "This webdig does not check Let's Encrypt's status page itself.",
            f"Look at {STATUS_PAGE} before pressing renew.",
        )  # fmt: skip
    data, what = fetch_status(url, timeout=timeout)
    meaning = _interpret(data) if data is not None else None
    if meaning is None:
        return CheckResult(
            "ca-status", "skip", TITLE,
            f"The status page {what if data is None else 'answered in an unknown format'}.",
            f"Look at {STATUS_PAGE} before pressing renew.",
        )  # fmt: skip
    level, description = meaning
    evidence = [Evidence(f"GET {url}", json.dumps(data, indent=2)[:4000])]
    if level == "ok":
        return CheckResult(
            "ca-status", "pass", TITLE, f"Let's Encrypt reports: {description}.", "", evidence
        )
    return CheckResult(
        "ca-status",
        "warn" if level == "minor" else "fail",
        TITLE,
        f"Let's Encrypt reports: {description}. Renewals may fail until it is resolved.",
        f"Wait until {STATUS_PAGE} shows all systems operational, then press renew again.",
        evidence,
    )
