"""The JSON API keeps its fields: today's ``/api/v1/lookup`` and ``/api/v1/check`` bodies,
recorded against the local BIND hierarchy, the main test BIND and the renewal lab, must
still come back field for field.

Each case's recorded body lives in ``tests/golden/<case>.json``. The test asserts that every
field of the recorded body is present in today's body with the same value; fields the
recording does not have are allowed (the API only gains fields). Before both sides are
compared they are normalised: what changes from run to run (query ids, EDNS cookies,
query times, ``WHEN:`` lines, the ports of servers started on free ports, TTLs counting
down in a resolver's cache, clock times and dates, the lab's random certificate names and
challenge tokens) is replaced by a fixed placeholder. Everything else, statuses and
sentences included, must be equal.

Re-recording: ``WEBDIG_RECORD_GOLDEN=1`` rewrites the files from the code under test::

    WEBDIG_RECORD_GOLDEN=1 unshare -n sh -c 'ip link set lo up && \
        exec python -m pytest -q -p no:cacheprovider tests/test_golden_json.py'

Re-record only on purpose: the commit that changes a file under ``tests/golden/`` must say
in its message why an existing field's value changed (a wording fix, a corrected
verdict…); the API promises that existing fields stay as they are.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.support import hierarchy as lab
from tests.support.bind import NamedServer
from tests.support.renewallab import EDGE_CASES, HEALTHY, Case, RenewalLab
from webdig import create_app

GOLDEN_DIR = Path(__file__).parent / "golden"
RECORD = os.environ.get("WEBDIG_RECORD_GOLDEN") == "1"
VOLATILE = "<volatile>"
"""What a field whose value changes from run to run holds after normalising."""

PATIENT = {"TIMEOUT": 2.0, "DEADLINE": 12.0}
"""Longer waits than the other tests use: on a loaded machine a reply that comes late would
turn a recorded verdict into "no reply". No recorded value depends on them."""

RECURSIVE = {lab.RESOLVER, lab.STALE}
"""The hierarchy's caching resolvers: TTLs they return count down between runs."""


LOOKUPS = {
    # name: (servers asked, query string). "lab": the delegation hierarchy of
    # tests/support/hierarchy.py; "named": the main test BIND (webdig.test), asked with ns=self.
    "resolver": ("lab", "hostnames=www.good.lab&ns=resolver"),
    "preset-expected": ("lab", "hostnames=www.good.lab&useresolver=8.8.8.8&expected=192.0.2.10"),
    "stale-mismatch": ("lab", "hostnames=www.good.lab&useresolver=1.1.1.1&expected=192.0.2.10"),
    "self": ("lab", "hostnames=www.good.lab&ns=self&nameservers=127.0.53.3"),
    "self-mismatch": ("lab", "hostnames=www.split.lab&ns=self&nameservers=127.0.53.4"
                              "&expected=192.0.2.10"),
    "self-dead-server": ("lab", "hostnames=www.good.lab&ns=self&nameservers=127.0.53.9"),
    "auth": ("lab", "hostnames=www.good.lab&ns=auth"),
    "auth-split-expected": ("lab", "hostnames=www.split.lab&ns=auth&expected=192.0.2.10"),
    "auth-lame": ("lab", "hostnames=www.lame.lab&ns=auth"),
    "auth-drift": ("lab", "hostnames=www.drift.lab&ns=auth"),
    "auth-ipv6-stale": ("lab", "hostnames=v6stale.good.lab&ns=auth&expected=192.0.2.10"),
    "nic": ("lab", "hostnames=www.moved.lab&ns=nic"),
    "nic-expected": ("lab", "hostnames=www.moved.lab&ns=nic&expected=198.51.100.20"),
    "all": ("lab", "hostnames=www.good.lab&ns=all"),
    "all-expected": ("lab", "hostnames=www.good.lab&ns=all&expected=192.0.2.10"),
    "all-moved-expected": ("lab", "hostnames=www.moved.lab&ns=all&expected=198.51.100.20"),
    "trace": ("lab", "hostnames=www.good.lab&trace=on"),
    "trace-expected": ("lab", "hostnames=www.moved.lab&trace=on&expected=198.51.100.20"),
    "nxdomain-auth": ("lab", "hostnames=nope.good.lab&ns=auth&expected=192.0.2.10"),
    "nxdomain-tld": ("lab", "hostnames=www.gone.lab&ns=all"),
    "two-hostnames": ("lab", "hostnames=www.good.lab+www.split.lab&ns=auth&expected=192.0.2.10"),
    "mx": ("named", "hostnames=webdig.test&type=MX"),
    "txt": ("named", "hostnames=multi.webdig.test&type=TXT"),
    "caa": ("named", "hostnames=webdig.test&type=CAA"),
    "reverse": ("named", "hostnames=192.0.2.10&type=Reverse"),
    "alias-expected": ("named", "hostnames=alias.webdig.test&expected=192.0.2.10"),
    "options": ("named", "hostnames=www.webdig.test&norecursive=on&tcp=on&nsid=on&dnssec=on"),
    "short": ("named", "hostnames=www.webdig.test&short=on&expected=192.0.2.10"),
    "refused": ("named", "hostnames=example.org&expected=192.0.2.10"),
}  # fmt: skip

CHECKS = {
    "check-pass": HEALTHY,
    "check-fail-dns": next(c for c in EDGE_CASES if c.check == "dns-points-here"),
    "check-fail-redirect": next(c for c in EDGE_CASES if c.check == "http-challenge"),
    "check-fail-gone": next(c for c in EDGE_CASES if c.check == "domain-exists"),
}

# Run-to-run noise inside strings (dig text, evidence, sentences), as (pattern, replacement).
_TEXT_NOISE = [
    (re.compile(r"\bid: \d+"), "id: <id>"),
    (re.compile(r"COOKIE: [0-9a-f]+"), "COOKIE: <cookie>"),
    (re.compile(r"Query time: \d+ msec"), "Query time: <n> msec"),
    (re.compile(r";; WHEN: .*"), ";; WHEN: <when>"),
    (re.compile(r" in \d+ ms\b"), " in <n> ms"),
    (re.compile(r"; \d+ ms$", re.MULTILINE), "; <n> ms"),
    # A moment in ISO form (a certificate's expiry as a finding parameter) is a date too.
    (
        re.compile(
            r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2})?| \d{2}:\d{2})?"
        ),
        "<date>",
    ),
    (re.compile(r"\b\d{2}:\d{2} UTC"), "<hh:mm> UTC"),
    # Registration expiry dates, which the lab's registry sets relative to the day of the run.
    (
        re.compile(
            r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September"
            r"|October|November|December) \d{4}\b"
        ),
        "<day>",
    ),
    (re.compile(r"up to \d+ \w+ more"), "up to <ttl> more"),
    (re.compile(r"acme-challenge/[A-Za-z0-9_-]+"), "acme-challenge/<token>"),
    (re.compile(r"#[A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])"), "#<random>"),
    (re.compile(r"SHA-256: +[0-9A-F:]+"), "SHA-256: <fingerprint>"),
    (re.compile(r"Python/[0-9.]+"), "Python/<version>"),
]
# A resource record line of dig text: owner, TTL, class, type, data.
_RECORD_LINE = re.compile(r"^(?P<owner>\S+\s+)(?P<ttl>\d+)(?P<rest>\s+IN\s+\S+\s.*)$")


class Normaliser:
    """Replaces what differs between two runs of the same request, nothing else."""

    def __init__(self, ports: dict[int, str]) -> None:
        self.ports = ports
        # A port stands alone, or follows "%23" ("#") in a share URL's nameservers.
        self._port_text = (
            re.compile(r"(?:(?<=%23)|\b)(" + "|".join(map(str, ports)) + r")\b") if ports else None
        )

    def body(self, body: Any) -> Any:
        """The normalised copy of a whole API body."""
        return self._value(body, key=None, recursive=False)

    def _value(self, value: Any, *, key: str | None, recursive: bool) -> Any:
        if isinstance(value, dict):
            return self._object(value, recursive=recursive)
        if isinstance(value, list):
            items = [self._value(item, key=key, recursive=recursive) for item in value]
            if key in {"answer", "authority", "additional", "records"}:
                # BIND rotates the records of an RRset between replies.
                items.sort(key=lambda item: json.dumps(item, sort_keys=True))
            return items
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, int) and not isinstance(value, bool) and key == "port":
            return f"<port:{self.ports[value]}>" if value in self.ports else value
        return value

    def _object(self, value: dict[str, Any], *, recursive: bool) -> dict[str, Any]:
        server = value.get("server")
        address = server.get("address") if isinstance(server, dict) else value.get("address")
        recursive = recursive or address in RECURSIVE or "ra" in (value.get("flags") or ())
        out = {}
        for key, item in value.items():
            if key == "query_time_ms" or (key == "ttl" and recursive):
                out[key] = VOLATILE
            else:
                out[key] = self._value(item, key=key, recursive=recursive)
        return out

    def _text(self, text: str) -> str:
        for pattern, replacement in _TEXT_NOISE:
            text = pattern.sub(replacement, text)
        if self._port_text is not None:
            text = self._port_text.sub(lambda m: f"<port:{self.ports[int(m.group())]}>", text)
        if "\n" in text:
            text = _dig_records(text)
        return text


def _dig_records(text: str) -> str:
    """Sort each run of record lines (BIND rotates RRsets) and, in replies of a caching
    resolver, hide the TTL column, which counts down."""
    recursive = bool(re.search(r"^;; flags: [^;]*\bra\b", text, re.MULTILINE))
    lines, run, out = text.split("\n"), [], []
    for line in [*lines, None]:
        match = _RECORD_LINE.match(line) if line is not None else None
        if match is not None:
            ttl = "<ttl>" if recursive else match["ttl"]
            run.append(match["owner"] + ttl + match["rest"])
            continue
        out.extend(sorted(run))
        run = []
        if line is not None:
            out.append(line)
    return "\n".join(out)


def assert_keeps(recorded: Any, today: Any, path: str = "$") -> None:
    """Every field of ``recorded`` is in ``today`` with the same value (new fields allowed)."""
    if isinstance(recorded, dict):
        assert isinstance(today, dict), f"{path}: was an object, now {today!r}"
        for key, value in recorded.items():
            assert key in today, f"{path}.{key}: field missing"
            assert_keeps(value, today[key], f"{path}.{key}")
    elif isinstance(recorded, list):
        assert isinstance(today, list), f"{path}: was a list, now {today!r}"
        assert len(today) == len(recorded), f"{path}: {len(recorded)} items, now {len(today)}"
        for index, (was, now) in enumerate(zip(recorded, today, strict=True)):
            assert_keeps(was, now, f"{path}[{index}]")
    elif recorded != VOLATILE:
        assert today == recorded, f"{path}: was {recorded!r}, now {today!r}"


def compare_with_golden(
    name: str, request: dict[str, Any], body: Any, normalise: Normaliser
) -> None:
    """Record ``body`` (under WEBDIG_RECORD_GOLDEN=1) or compare it with the recording."""
    path = GOLDEN_DIR / f"{name}.json"
    normalised = normalise.body(body)
    if RECORD:
        GOLDEN_DIR.mkdir(exist_ok=True)
        document = {"request": request, "body": normalised}
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    recorded = json.loads(path.read_text())
    assert recorded["request"] == request, "the case changed: re-record it (see the docstring)"
    assert_keeps(recorded["body"], normalised)


@pytest.mark.parametrize("name", list(LOOKUPS))
def test_lookup_json_keeps_its_fields(name: str, request: pytest.FixtureRequest) -> None:
    against, query_string = LOOKUPS[name]
    query = dict(parse_qsl(query_string))
    if against == "lab":
        request.getfixturevalue("hierarchy")
        config, ports = lab.APP_CONFIG, {}
    else:
        named: NamedServer = request.getfixturevalue("named")
        config, ports = request.getfixturevalue("settings_config"), {named.port: "named"}
        query.update(ns="self", nameservers=f"127.0.0.1#{named.port}")
    client = create_app({**config, **PATIENT}).test_client()
    response = client.get("/api/v1/lookup", query_string=query)
    assert response.status_code == 200
    compare_with_golden(
        f"lookup-{name}", dict(parse_qsl(query_string)), response.get_json(), Normaliser(ports)
    )


@pytest.mark.parametrize("name", list(CHECKS))
def test_check_json_keeps_its_fields(name: str, renewal_lab: RenewalLab) -> None:
    case: Case = CHECKS[name]
    query = {"domain": case.domain, "expected": " ".join(case.expected)}
    client = create_app({**renewal_lab.config(**case.servers), **PATIENT}).test_client()
    response = client.get("/api/v1/check", query_string=query)
    assert response.status_code == 200
    ports = {port: f"http-{kind}" for kind, port in renewal_lab.http.items()}
    ports |= {port: f"tls-{kind}" for kind, port in renewal_lab.tls.items()}
    ports[int(renewal_lab.status_url.rsplit(":", 1)[1])] = "ca-status"
    ports[renewal_lab.rdap.port] = "rdap"
    request = {**query, **case.servers}
    compare_with_golden(name, request, response.get_json(), Normaliser(ports))


def test_a_changed_status_or_sentence_fails() -> None:
    recorded = Normaliser({}).body({"verdicts": [{"status": "ok", "message": "All 2 agree."}]})
    with pytest.raises(AssertionError, match="status"):
        assert_keeps(recorded, {"verdicts": [{"status": "warn", "message": "All 2 agree."}]})
    with pytest.raises(AssertionError, match="message"):
        assert_keeps(recorded, {"verdicts": [{"status": "ok", "message": "All 3 agree."}]})
    assert_keeps(recorded, {"verdicts": [{"status": "ok", "message": "All 2 agree.", "code": 1}]})


def test_only_run_to_run_noise_is_hidden() -> None:
    normalise = Normaliser({5353: "named"})
    dig = (
        ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4242\n"
        ";; flags: qr aa; QUERY: 1, ANSWER: 2\n"
        "b.lab.\t\t300\tIN\tNS\tns2.lab.\na.lab.\t\t300\tIN\tNS\tns1.lab.\n"
        ";; SERVER: 127.0.0.1#5353(127.0.0.1) (UDP)\n;; Query time: 3 msec"
    )
    assert normalise.body(dig) == (
        ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: <id>\n"
        ";; flags: qr aa; QUERY: 1, ANSWER: 2\n"
        "a.lab.\t\t300\tIN\tNS\tns1.lab.\nb.lab.\t\t300\tIN\tNS\tns2.lab.\n"
        ";; SERVER: 127.0.0.1#<port:named>(127.0.0.1) (UDP)\n;; Query time: <n> msec"
    )
    cached = normalise.body(dig.replace("qr aa", "qr rd ra"))
    assert "\t<ttl>\tIN" in cached
    assert "status: NOERROR" in cached
    assert normalise.body({"server": {"address": lab.RESOLVER}, "answer": [{"ttl": 9}]}) == {
        "server": {"address": lab.RESOLVER},
        "answer": [{"ttl": VOLATILE}],
    }
    assert normalise.body({"server": {"address": lab.NS_A}, "answer": [{"ttl": 9}]})["answer"] == [
        {"ttl": 9}
    ]


@pytest.mark.parametrize(
    "serial", ["-AbC_09xyzQWERTY", "AbC_09xyzQWERTY-", "Ab--C_09xy-QWER_", "________________"]
)
def test_every_trustme_serial_is_hidden(serial: str) -> None:
    # trustme names its certificates with 16 urlsafe-base64 characters, which
    # may start or end with '-' or '_'; the rest of the line must still count.
    line = f"Subject:     OU=Testing cert #{serial},O=trustme v1.2.1"
    assert Normaliser({}).body(line) == "Subject:     OU=Testing cert #<random>,O=trustme v1.2.1"
    assert Normaliser({}).body(line + "7") != Normaliser({}).body(line)
    # One character more or fewer is not trustme's serial, so it is not hidden.
    assert "<random>" not in Normaliser({}).body(line.replace(serial, serial + "x"))
    assert "<random>" not in Normaliser({}).body(line.replace(serial, serial[1:]))
