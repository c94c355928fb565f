"""DNSSEC zones for the local hierarchy, signed when the hierarchy starts with BIND's own tools.

Keys are made once per test session (``dnssec-keygen``, small elliptic-curve keys, a few
milliseconds each), the zones signed with ``dnssec-signzone``, and the DS records for the
``lab.`` registry computed from the keys.  All are served by nameservers A and B
(``ns1.good.lab``, ``ns2.good.lab``):

- ``signed.lab``: signed, and the registry's DS matches its key (healthy);
- ``staleds.lab``: the registry still has a DS record, but the zone is not signed (moved to a
  host that does not sign);
- ``expired.lab``: signed with signatures that expired ten days ago (the signer stopped);
- ``expiring.lab``: signed 28 days ago with 30-day signatures, so valid for two more days
  (the signer stopped, and nothing shows yet);
- ``rolled.lab``: the registry's DS is for an ECDSA key; the zone is now signed with an
  Ed25519 key only (an algorithm roll that never reached the registrar).

``www`` in each points at 127.0.0.1, the renewal lab's web server.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dns.dnssec
import dns.rdata
import dns.rdataclass
import dns.rdatatype

from tests.support.bind import Zone, master_file

ZONES = ("signed.lab", "staleds.lab", "expired.lab", "expiring.lab", "rolled.lab")
NAMESERVERS = ("ns1.good.lab.", "ns2.good.lab.")
ECDSA, ED25519 = "ECDSAP256SHA256", "ED25519"


@dataclass(frozen=True)
class SignedZones:
    """The zones for nameservers A and B, and what the ``lab.`` registry adds for them."""

    zones: list[Zone]
    registry: str
    """NS and DS records to append to the ``lab.`` zone."""


def tool(name: str) -> str:
    """The path of one of BIND's tools (dnssec-keygen, dnssec-signzone)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        raise RuntimeError(f"{name} is missing: .ci/test must install bind9-utils")
    return found


def _unsigned(origin: str) -> str:
    ns = "\n".join(f"{origin}. IN NS {host}" for host in NAMESERVERS)
    return master_file(f"{origin}.", f"{ns}\nwww IN A 127.0.0.1\n", ttl=300)


def _keygen(workdir: Path, origin: str, algorithm: str) -> Path:
    """A key-signing key for ``origin``; returns the path of its ``.key`` file."""
    base = subprocess.run(
        [tool("dnssec-keygen"), "-q", "-a", algorithm, "-f", "KSK", "-K", str(workdir), origin],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return workdir / f"{base}.key"


def _dnskey(key_file: Path) -> dns.rdata.Rdata:
    line = next(
        line for line in key_file.read_text().splitlines() if line and not line.startswith(";")
    )
    rdata_text = line.split("DNSKEY", 1)[1]
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DNSKEY, rdata_text)


def _ds(origin: str, key_file: Path) -> str:
    """The registry's DS record for ``key_file``'s key (SHA-256), as a zone-file line."""
    ds = dns.dnssec.make_ds(f"{origin}.", _dnskey(key_file), "SHA256")
    return f"{origin}. IN DS {ds.to_text()}"


def _sign(workdir: Path, origin: str, key_file: Path, *, start: datetime, end: datetime) -> str:
    """``origin``'s zone text signed with ``key_file``'s key from ``start`` to ``end``."""
    source = workdir / f"{origin}.db"
    source.write_text(_unsigned(origin) + key_file.read_text())
    signed = workdir / f"{origin}.signed"
    stamp = "%Y%m%d%H%M%S"
    subprocess.run(
        [
            tool("dnssec-signzone"), "-q", "-P", "-z", "-K", str(workdir), "-d", str(workdir),
            "-s", start.strftime(stamp), "-e", end.strftime(stamp),
            "-o", origin, "-f", str(signed), str(source), str(key_file.with_suffix("")),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return signed.read_text()


def build(workdir: Path, now: datetime | None = None) -> SignedZones:
    """Make the keys, sign the zones and write the registry's DS records (under ``workdir``)."""
    moment = now or datetime.now(UTC)
    day = timedelta(days=1)
    keys = {
        "signed": _keygen(workdir, "signed.lab", ECDSA),
        "staleds": _keygen(workdir, "staleds.lab", ECDSA),
        "expired": _keygen(workdir, "expired.lab", ECDSA),
        "expiring": _keygen(workdir, "expiring.lab", ECDSA),
        "rolled-old": _keygen(workdir, "rolled.lab", ECDSA),
        "rolled-new": _keygen(workdir, "rolled.lab", ED25519),
    }
    valid = {"start": moment - day, "end": moment + 30 * day}
    texts = {
        "signed.lab": _sign(workdir, "signed.lab", keys["signed"], **valid),
        "staleds.lab": _unsigned("staleds.lab"),
        "expired.lab": _sign(
            workdir, "expired.lab", keys["expired"], start=moment - 40 * day, end=moment - 10 * day
        ),
        "expiring.lab": _sign(
            workdir, "expiring.lab", keys["expiring"], start=moment - 28 * day, end=moment + 2 * day
        ),
        "rolled.lab": _sign(workdir, "rolled.lab", keys["rolled-new"], **valid),
    }
    registry = [
        _ds("signed.lab", keys["signed"]),
        _ds("staleds.lab", keys["staleds"]),
        _ds("expired.lab", keys["expired"]),
        _ds("expiring.lab", keys["expiring"]),
        _ds("rolled.lab", keys["rolled-old"]),
        *(f"{origin}. IN NS {host}" for origin in ZONES for host in NAMESERVERS),
    ]
    zones = [Zone(f"{origin}.", text=text) for origin, text in texts.items()]
    return SignedZones(zones, "\n".join(registry) + "\n")
