"""DNSSEC signatures that are valid now but expire soon: the warning before a stopped signer
breaks the zone.

Signatures carry an expiry date; a signer renews them long before it.  When the signer stops
(a hosting panel that signed the zone once, a cron job gone), nothing shows until the expiry
day, when every validating resolver starts answering SERVFAIL for the whole zone, and Let's
Encrypt's CAA and challenge look-ups fail with it.

A signature is "soon" when less than :data:`SHARE_LEFT` of its validity is left, and at most
:data:`AT_MOST` before it expires:

- three days, because that is time enough to act: have the zone signed again, or, to drop
  DNSSEC, remove the DS record at the registrar and wait out its TTL (often a day) before
  removing the keys;
- a tenth of the validity, so that healthy signers never warn: they renew signatures well
  before their last tenth (BIND when a quarter is left; signers that sign each answer on
  the fly hand out signatures that are nearly new), while a 30-day signature left alone
  warns three days ahead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from webdig.findings.model import Finding, Level, Param
from webdig.renewal.dnssecchain import Signatures

AT_MOST = timedelta(days=3)
"""Never warn earlier than this before a signature expires."""
SHARE_LEFT = 10
"""Warn only when less than 1/SHARE_LEFT of a signature's validity is left."""


def expires_soon(signatures: Signatures, now: datetime) -> bool:
    """Whether the valid ``signatures`` expire within the warning window (see the module)."""
    if signatures.flaw is not None or signatures.moment is None:
        return False
    window = AT_MOST
    if signatures.lifetime is not None:
        window = min(window, signatures.lifetime / SHARE_LEFT)
    return signatures.moment - now < window


def expiry_warning(valid: Sequence[Signatures], zone: str, now: datetime) -> Finding | None:
    """``dnssec.expiring`` for the valid signatures that expire soon, or None.

    Names the records (each once), the keys that signed them and the first expiry, with
    the seconds left until it.
    """
    soon = [s for s in valid if expires_soon(s, now)]
    moments = [s.moment for s in soon if s.moment is not None]
    if not moments:
        return None
    first = min(moments)
    params: dict[str, Param] = {
        "zone": zone,
        "records": list(dict.fromkeys(s.record for s in soon)),
        "tags": [str(tag) for tag in sorted({s.key_tag for s in soon if s.key_tag is not None})],
        "expiry": first.isoformat(),
        "left": max(0, int((first - now).total_seconds())),
    }
    return Finding("dnssec.expiring", Level.WARN, params)


def expiry_fix(zone: str, expiry: str, ds_ttl: int | None) -> Finding:
    """What to do before the signatures expire: sign again, or drop DNSSEC in the safe order."""
    params: dict[str, Param] = {"zone": zone, "expiry": expiry}
    if ds_ttl:
        params["ttl"] = ds_ttl
    return Finding("fix.resign-before-expiry", Level.INFO, params)


def expiry_findings(
    valid: Sequence[Signatures], zone: str, now: datetime, ds_ttl: int | None
) -> tuple[list[Finding], list[Finding]]:
    """The warning (none, or one) and its fix, for the ``dnssec`` item."""
    warning = expiry_warning(valid, zone, now)
    if warning is None:
        return [], []
    return [warning], [expiry_fix(zone, str(warning.params["expiry"]), ds_ttl)]
