"""A registry on loopback: an RDAP server with IANA's bootstrap file, and a JPRS WHOIS server.

:class:`RdapServer` answers ``/<scenario>/dns.json`` with a bootstrap file (RFC 9224)
that sends the ``lab`` TLD to ``/<scenario>/``, and ``/<scenario>/domain/<name>``
with the scenario's RDAP answer (:data:`RDAP_SCENARIOS`); ``gone.lab`` is never
registered; the ``held`` scenario answers as ``active`` once the test releases it
(:meth:`RdapServer.hold`), so that a test can ask twice while one request is in flight.
:class:`WhoisServer` answers JPRS-format records (:data:`WHOIS_RECORDS`)
in Japanese (ISO-2022-JP), or in English for a query ending in ``/e``.  Dates are
relative to the day the answer is made, so no test depends on today's date.
"""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from http.server import ThreadingHTTPServer
from typing import Any

from tests.support.threadedservers import QuietHandler, ThreadedServer

REGISTRAR = "Lab Registrar, Inc."
UNREGISTERED = "gone.lab"


def _day(offset: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=offset)


def rdap_domain(
    name: str, *, expires_in: int, statuses: tuple[str, ...] = ("active",)
) -> dict[str, Any]:
    """An RDAP domain object (RFC 9083) as registries send it, expiring in ``expires_in`` days."""
    moment = f"{_day(expires_in).isoformat()}T12:00:00Z"
    return {
        "rdapConformance": ["rdap_level_0"],
        "objectClassName": "domain",
        "ldhName": name.upper(),
        "status": list(statuses),
        "events": [
            {"eventAction": "registration", "eventDate": "2019-04-01T00:00:00Z"},
            {"eventAction": "expiration", "eventDate": moment},
        ],
        "entities": [
            {
                "objectClassName": "entity",
                "roles": ["registrar"],
                "vcardArray": [
                    "vcard",
                    [["version", {}, "text", "4.0"], ["fn", {}, "text", REGISTRAR]],
                ],
            }
        ],
    }


RDAP_SCENARIOS: dict[str, Callable[[str], tuple[int, bytes]]] = {
    "active": lambda n: (200, json.dumps(rdap_domain(n, expires_in=400, statuses=("active", "client transfer prohibited"))).encode()),  # noqa: E501
    "expiring": lambda n: (200, json.dumps(rdap_domain(n, expires_in=12)).encode()),
    "expired": lambda n: (200, json.dumps(rdap_domain(n, expires_in=-10)).encode()),
    "hold": lambda n: (200, json.dumps(rdap_domain(n, expires_in=200, statuses=("client hold",))).encode()),  # noqa: E501
    "camelhold": lambda n: (200, json.dumps(rdap_domain(n, expires_in=200, statuses=("clientHold",))).encode()),  # noqa: E501
    "redemption": lambda n: (200, json.dumps(rdap_domain(n, expires_in=-35, statuses=("redemption period",))).encode()),  # noqa: E501
    "pending-delete": lambda n: (200, json.dumps(rdap_domain(n, expires_in=-70, statuses=("pending delete",))).encode()),  # noqa: E501
    "404": lambda n: (404, b'{"errorCode": 404, "title": "Not Found"}'),
    "malformed": lambda n: (200, b'{"objectClassName": "domain", "status": "act'),
    "not-rdap": lambda n: (200, b'{"objectClassName": "entity"}'),
    "500": lambda n: (500, b"oops"),
    "huge": lambda n: (200, b" " * (300 * 1024) + json.dumps(rdap_domain(n, expires_in=400)).encode()),  # noqa: E501
}  # fmt: skip
"""Scenario → (HTTP status, body) for a registered domain."""


class _RdapHandler(QuietHandler):
    server: _RdapHttpServer
    # Headers and body leave in one segment: written apart, Nagle's algorithm and the
    # client's delayed ACK would hold the body ~40 ms, which no registry's server does.
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        scenario, _, rest = self.path.strip("/").partition("/")
        with self.server.arrivals:
            self.server.requests.append((self.path, self.headers.get("Accept", "")))
            self.server.arrivals.notify_all()
        if scenario == "held":
            self.server.released.wait(timeout=30)
        if scenario == "broken-bootstrap" and rest == "dns.json":
            self._send(200, b'{"services": "nope"}')
        elif rest == "dns.json":
            base = f"http://127.0.0.1:{self.server.server_address[1]}/{scenario}/"
            bootstrap = {
                "version": "1.0",
                "publication": "2026-01-01T00:00:00Z",
                "services": [[["example"], ["https://rdap.example/"]], [["lab"], [base]]],
            }
            self._send(200, json.dumps(bootstrap).encode())
        elif scenario in (*RDAP_SCENARIOS, "held") and rest.startswith("domain/"):
            name = rest.removeprefix("domain/").lower()
            if name == UNREGISTERED:
                self._send(404, b'{"errorCode": 404}')
            else:
                answer = RDAP_SCENARIOS["active" if scenario == "held" else scenario]
                self._send(*answer(name))
        else:
            self._send(404, b"{}")

    def _send(self, status: int, body: bytes) -> None:
        self.send_body(status, body, "application/rdap+json")


class _RdapHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    requests: list[tuple[str, str]]
    arrivals: threading.Condition
    released: threading.Event


class RdapServer(ThreadedServer):
    """An RDAP server and bootstrap file on 127.0.0.1; :meth:`bootstrap` gives a scenario's URL."""

    server: _RdapHttpServer

    def __init__(self) -> None:
        server = _RdapHttpServer(("127.0.0.1", 0), _RdapHandler)
        server.requests = []
        server.arrivals = threading.Condition()
        server.released = threading.Event()
        server.released.set()
        super().__init__(server)

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(path, Accept header) of every request received."""
        return self.server.requests

    def hold(self) -> None:
        """Keep every request of the ``held`` scenario waiting until :meth:`release`."""
        self.server.released.clear()

    def release(self) -> None:
        """Answer the ``held`` requests waiting, and those to come."""
        self.server.released.set()

    def wait_for(self, count: int, timeout: float) -> bool:
        """Whether ``count`` requests in all have arrived, waiting up to ``timeout`` s."""
        with self.server.arrivals:
            return self.server.arrivals.wait_for(
                lambda: len(self.server.requests) >= count, timeout
            )

    def bootstrap(self, scenario: str) -> str:
        """The bootstrap URL whose ``lab`` entry answers with ``scenario``."""
        return f"http://127.0.0.1:{self.port}/{scenario}/dns.json"

    def __exit__(self, *exc: object) -> None:
        self.release()  # a held request must not keep the server from shutting down
        super().__exit__(*exc)


def jprs_record(name: str, *, english: bool, expires_in: int, state: str = "Active") -> str:
    """A JPRS WHOIS record for a generic .jp name (``[有効期限]``/``[Expires on]``)."""
    expiry = _day(expires_in).strftime("%Y/%m/%d")
    head = (
        "[ JPRS database provides information on network administration. Its use is    ]\n"
        "[ restricted to network administration purposes. For further information,     ]\n"
        "[ use 'whois -h whois.jprs.jp help'. To suppress Japanese output, add'/e'     ]\n"
        "[ at the end of command, e.g. 'whois -h whois.jprs.jp xxx/e'.                 ]\n\n"
    )
    if english:
        return head + (
            f"Domain Information:\n[Domain Name]                   {name.upper()}\n\n"
            "[Registrant]                    Lab Shoten\n\n"
            "[Name Server]                   ns1.good.lab\n[Signing Key]                   \n\n"
            "[Created on]                    2019/04/01\n"
            f"[Expires on]                    {expiry}\n"
            f"[Status]                        {state}\n"
            "[Last Updated]                  2026/04/01 01:05:03 (JST)\n"
        )
    return head + (
        f"Domain Information: [ドメイン情報]\n[Domain Name]                   {name.upper()}\n\n"
        "[登録者名]                      ラボ商店\n[Registrant]                    Lab Shoten\n\n"
        "[Name Server]                   ns1.good.lab\n[Signing Key]                   \n\n"
        f"[登録年月日]                    2019/04/01\n[有効期限]                      {expiry}\n"
        f"[状態]                          {state}\n"
        "[最終更新]                      2026/04/01 01:05:03 (JST)\n"
    )


def jprs_organisation_record(name: str, *, english: bool, expires_in: int) -> str:
    """A JPRS record for a co.jp-style name: the expiry is in ``Connected (date)``."""
    expiry = _day(expires_in).strftime("%Y/%m/%d")
    if english:
        return (
            f"Domain Information:\na. [Domain Name]                 {name.upper()}\n"
            "g. [Organization]                Lab Shoten Co., Ltd.\n"
            "l. [Organization Type]           Corporation\n"
            "p. [Name Server]                 ns1.good.lab\n"
            f"[State]                         Connected ({expiry})\n"
            "[Registered Date]               2019/04/10\n"
        )
    return (
        f"Domain Information: [ドメイン情報]\na. [ドメイン名]                 {name.upper()}\n"
        "f. [組織名]                     ラボ商店株式会社\n"
        "g. [Organization]               Lab Shoten Co., Ltd.\n"
        "k. [組織種別]                   株式会社\n"
        "p. [ネームサーバ]               ns1.good.lab\n"
        f"[状態]                          Connected ({expiry})\n"
        "[登録年月日]                    2019/04/10\n"
    )


NO_MATCH = "No match!!\n\nDon't add '.jp' at the end of the domain name.\n"

WHOIS_RECORDS: dict[str, Callable[[str, bool], str]] = {
    "shop.jp": lambda n, en: jprs_record(n, english=en, expires_in=300),
    "shop.co.jp": lambda n, en: jprs_organisation_record(n, english=en, expires_in=150),
    "old.jp": lambda n, en: jprs_record(n, english=en, expires_in=-5),
    "closing.jp": lambda n, en: jprs_record(n, english=en, expires_in=20, state="To be suspended"),
}  # fmt: skip
"""Registered names → their record; anything else is "No match!!"."""


class _WhoisHandler(socketserver.StreamRequestHandler):
    server: _WhoisTcpServer

    def handle(self) -> None:
        line = self.rfile.readline(1024).decode("ascii", errors="replace").strip()
        self.server.queries.append(line)
        english = line.endswith("/e")
        name = line.removesuffix("/e").strip().lower()
        if self.server.mode == "silent":
            self.rfile.read(1)  # holds the connection until the client gives up
            return
        record = WHOIS_RECORDS.get(name)
        text = record(name, english) if record else NO_MATCH
        if self.server.mode == "huge":
            text += "x" * (100 * 1024)
        self.wfile.write(text.replace("\n", "\r\n").encode("ascii" if english else "iso-2022-jp"))


class _WhoisTcpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    queries: list[str]
    mode: str


class WhoisServer(ThreadedServer):
    """A JPRS-style WHOIS server on ``address`` (``mode``: normal, silent or huge)."""

    server: _WhoisTcpServer

    def __init__(self, address: str = "127.0.0.1", mode: str = "normal") -> None:
        server = _WhoisTcpServer((address, 0), _WhoisHandler)
        server.queries = []
        server.mode = mode
        super().__init__(server)

    @property
    def queries(self) -> list[str]:
        """Every query line received."""
        return self.server.queries
