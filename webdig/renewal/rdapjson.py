"""An RDAP domain answer (RFC 9083) read into a :class:`Registration`.

Only what the renewal checklist needs: the registrar (the entity with the
``registrar`` role, by its vCard ``fn``), the ``expiration`` event and the
statuses (RFC 8056).  Pure: the answer is fetched by :mod:`webdig.renewal.registry`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from webdig.renewal.registrydata import Registration, spaced_status


class RdapError(ValueError):
    """The answer is not an RDAP domain object webdig can read."""


def parse_domain(body: bytes) -> Registration:
    """The registration in an RDAP domain answer; raises :class:`RdapError` when malformed."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise RdapError("it is not JSON") from exc
    if not isinstance(data, dict) or data.get("objectClassName") != "domain":
        raise RdapError("it is not an RDAP domain object")
    statuses = data.get("status", [])
    if not isinstance(statuses, list):
        raise RdapError('its "status" is not a list')
    return Registration(
        registrar=_registrar(data.get("entities")),
        expires=_expiration(data.get("events")),
        statuses=tuple(spaced_status(s) for s in statuses if isinstance(s, str)),
    )


def _expiration(events: Any) -> date | None:
    if not isinstance(events, list):
        return None
    for event in events:
        if isinstance(event, dict) and event.get("eventAction") == "expiration":
            try:
                # RFC 3339; Python before 3.11 did not read "Z", so say it as an offset.
                moment = datetime.fromisoformat(str(event.get("eventDate")).replace("Z", "+00:00"))
            except ValueError as exc:
                raise RdapError("its expiration date is not a date") from exc
            return moment.date()
    return None


def _registrar(entities: Any) -> str | None:
    if not isinstance(entities, list):
        return None
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        roles = entity.get("roles")
        if isinstance(roles, list) and "registrar" in roles:
            return _full_name(entity.get("vcardArray")) or _text(entity.get("handle"))
    return None


def _full_name(vcard: Any) -> str | None:
    """The ``fn`` property of a jCard (RFC 7095): ``["vcard", [["fn", {}, "text", NAME], …]]``."""
    if not (isinstance(vcard, list) and len(vcard) == 2 and isinstance(vcard[1], list)):
        return None
    for prop in vcard[1]:
        if isinstance(prop, list) and len(prop) >= 4 and prop[0] == "fn":
            return _text(prop[3])
    return None


def _text(value: Any) -> str | None:
    return " ".join(value.split())[:200] or None if isinstance(value, str) else None
