"""A JPRS WHOIS record (``whois.jprs.jp``, port 43) read into a :class:`Registration`.

.jp has no RDAP service, so its registry is asked over WHOIS.  JPRS answers
in Japanese (ISO-2022-JP) by default and in English when the query ends in
``/e``; both are read.  Generic .jp names carry ``[有効期限]``/``[Expires on]``
and ``[状態]``/``[Status]`` (``Active``); organisational names such as co.jp
show the expiry inside the status (``[State]`` in English): ``Connected (2026/03/31)``.  JPRS's
states are said in RFC 8056's words: "To be suspended" (a cancellation was
filed) as ``pending delete``, "Suspended" (JPRS keeps it restorable for a
while) as ``redemption period``.  Pure: the exchange is
:mod:`webdig.renewal.registryio`'s.
"""

from __future__ import annotations

import re
from datetime import date

from webdig.renewal.registrydata import Registration

ENCODING = "iso-2022-jp"
"""JPRS's answers in Japanese (its English ones are ASCII, which this also reads)."""

_FIELD = re.compile(r"^(?:[a-z]\.\s*)?\[([^\]]+)\]\s*(.*?)\s*$", re.MULTILINE)
_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_EXPIRES = ("有効期限", "Expires on")
_STATUS = ("状態", "Status", "State")
_STATES = {
    "active": "active",
    "connected": "active",
    "registered": "active",
    "reserved": "reserved",
    "to be suspended": "pending delete",
    "suspended": "redemption period",
    "to be deleted": "pending delete",
    "deleted": "pending delete",
}
_ABSENT = ("No match!!", "該当するデータがありません", "未登録")


def decode(body: bytes) -> str:
    """JPRS's bytes as text: ISO-2022-JP (a superset of ASCII), anything broken replaced."""
    return body.decode(ENCODING, errors="replace")


def is_absent(text: str) -> bool:
    """Whether the answer says the domain is not registered (``No match!!``, 未登録)."""
    return any(marker in text for marker in _ABSENT) and parse_record(text) is None


def parse_record(text: str) -> Registration | None:
    """The registration in a JPRS domain record, or None when the text holds no record."""
    fields = _fields(text)
    status = next((fields[k] for k in _STATUS if k in fields), None)
    expires_text = next((fields[k] for k in _EXPIRES if k in fields), None)
    if status is None and expires_text is None:
        return None
    expires = _date(expires_text or "")
    word = _DATE.sub("", status or "").strip(" ()").lower()
    if expires is None and status:
        # co.jp-style: "Connected (2026/03/31)", the date in brackets is the expiry.
        expires = _date(status)
    statuses = (_STATES.get(word, word),) if word else ()
    # JPRS's public record names no registrar (指定事業者) for generic .jp names.
    return Registration(registrar=None, expires=expires, statuses=statuses)


def _fields(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _FIELD.finditer(text):
        found.setdefault(match.group(1).strip(), match.group(2))
    return found


def _date(text: str) -> date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
