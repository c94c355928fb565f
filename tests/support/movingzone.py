"""moving.test: a zone on a BIND of its own that a test changes with dynamic updates (the
record fixed between two runs), and the look-up that asks it."""

from __future__ import annotations

import dns.query
import dns.update

from tests.support.bind import NamedServer, Zone

MOVING_ZONE = """$TTL 300
@   IN SOA ns1.moving.test. hostmaster.moving.test. 1 3600 600 86400 300
@   IN NS  ns1.moving.test.
ns1 IN A   127.0.0.1
www IN A   192.0.2.99
"""
"""www.moving.test points at 192.0.2.99 until :func:`point_www_at` moves it."""


def updatable(origin: str, text: str, *, extra_options: str = "") -> NamedServer:
    """A started BIND serving the zone ``origin`` (master-file ``text``), which accepts dynamic
    updates from 127.0.0.1; the caller stops it."""
    return NamedServer(
        zones=[Zone(origin, text=text)],
        extra_options=f"allow-update {{ 127.0.0.1; }}; {extra_options}".strip(),
        also_ipv6=False,
    ).start()


def send_update(server: NamedServer, update: dns.update.UpdateMessage) -> None:
    """Apply ``update`` on ``server``, which must accept it."""
    reply = dns.query.tcp(update, server.address, port=server.port, timeout=5)
    assert reply.rcode() == 0


def point_www_at(server: NamedServer, address: str) -> None:
    """Make www.moving.test's A record ``address`` (the fix a watch waits for)."""
    update = dns.update.UpdateMessage("moving.test.")
    update.replace("www", 300, "A", address)
    send_update(server, update)


def moving_question(server: NamedServer, **extra: str) -> dict[str, str]:
    """The look-up of www.moving.test at ``server``, expecting 192.0.2.10, plus ``extra``."""
    return {
        "hostnames": "www.moving.test",
        "ns": "self",
        "nameservers": f"127.0.0.1#{server.port}",
        "expected": "192.0.2.10",
        **extra,
    }
