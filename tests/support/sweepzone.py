"""The zones of the dig sweep (tests/test_dig_sweep.py), signed at test time.

``sweep.test`` (``tests/zones/sweep.test.db``: every type BIND 9.18 serves) is signed
with NSEC by a key-signing and a zone-signing ECDSA key, so DNSKEY, RRSIG and NSEC
records come from BIND's own signer; ``n3.test`` is a small zone signed with NSEC3
(salt ``AABBCC``), with an empty non-terminal so that one NSEC3 record has no types;
``old.test`` is not signed and holds NXT records.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.bind import ZONES_DIR, Zone
from tests.support.signedzones import tool

N3_ZONE = """$TTL 300
@       IN SOA  ns1.n3.test. hostmaster.n3.test. 1 3600 900 604800 300
@       IN NS   ns1.n3.test.
ns1     IN A    127.0.0.1
www     IN A    192.0.2.1
a.ent   IN A    192.0.2.2
"""
# Never signed: dnssec-signzone refuses a zone with NXT, DNSSEC's first denial record.
OLD_ZONE = """$TTL 300
@       IN SOA  ns1.old.test. hostmaster.old.test. 1 3600 900 604800 300
@       IN NS   ns1.old.test.
ns1     IN A    127.0.0.1
nxt     IN NXT  ns1.old.test. A NS SOA MX TXT AAAA
nxt2    IN NXT  old.test. A TYPE127
"""
# Fixed signature times (2026 to 2036), so the text is the same on every run.
VALIDITY = ("-s", "20260101000000", "-e", "20360101000000")


def _keygen(workdir: Path, origin: str, *flags: str) -> Path:
    """A new ECDSA key for ``origin``; returns its path without ``.key``."""
    base = subprocess.run(
        [tool("dnssec-keygen"), "-q", "-a", "ECDSAP256SHA256", *flags, "-K", str(workdir), origin],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return workdir / base


def _signed(workdir: Path, origin: str, text: str, keys: list[Path], *options: str) -> str:
    """``text`` with the keys' DNSKEY records, signed by dnssec-signzone with ``options``."""
    source = workdir / f"{origin}.db"
    source.write_text(text + "".join(Path(f"{key}.key").read_text() for key in keys))
    signed = workdir / f"{origin}.signed"
    subprocess.run(
        [
            tool("dnssec-signzone"), "-q", *options, *VALIDITY, "-K", str(workdir),
            "-d", str(workdir), "-o", origin, "-f", str(signed), str(source),
            *(str(key) for key in keys),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return signed.read_text()


def build(workdir: Path) -> list[Zone]:
    """Make the keys and sign both zones under ``workdir``."""
    sweep_keys = [_keygen(workdir, "sweep.test", "-f", "KSK"), _keygen(workdir, "sweep.test")]
    sweep = _signed(workdir, "sweep.test", (ZONES_DIR / "sweep.test.db").read_text(), sweep_keys)
    n3_keys = [_keygen(workdir, "n3.test", "-f", "KSK")]
    n3 = _signed(workdir, "n3.test", N3_ZONE, n3_keys, "-z", "-3", "AABBCC", "-H", "0")
    return [
        Zone("sweep.test.", text=sweep),
        Zone("n3.test.", text=n3),
        Zone("old.test.", text=OLD_ZONE),
    ]
