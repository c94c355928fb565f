"""Zones for the ``dns-01`` check, served by the hierarchy's BIND instances.

- ``dns01.lab`` (nameservers A and B): ``_acme-challenge`` TXT at the apex (two values, as
  a wildcard and its bare name need) and at ``www``; ``alias`` delegates the record by
  CNAME to ``acme-dns.lab``; ``dangling`` points at a name that zone does not have,
  ``nowhere`` at a domain nobody registered; ``twice`` and ``full`` hold the record under
  the doubled names a panel makes (``_acme-challenge._acme-challenge.twice.dns01.lab``,
  ``_acme-challenge.full.dns01.lab.dns01.lab``); ``none`` has no record (SOA minimum
  300 s); ``loop``'s aliases go round.
- ``slowneg.lab`` (A and B): no record anywhere, SOA minimum 3600 s, SOA TTL one day.
- ``txtsplit.lab``: A and B serve different TXT records at ``_acme-challenge.www``.
- ``silent.lab``: delegated only to lame.lab's dead nameserver.
- ``acme-dns.lab``: served only by the "old" server, like an acme-dns service of its own.
"""

from __future__ import annotations

from tests.support.bind import Zone

ACME_DNS_SERVER = "127.0.53.5"
"""hierarchy.OLD (this module cannot import it: the hierarchy imports this one)."""
# The TXT values as dig shows them (ACME tokens are no secrets: they are published in DNS).
WWW_TOKEN = '"www-token-Xy1"'  # noqa: S105
APEX_TOKENS = ('"apex-token-1"', '"apex-token-2"')
DELEGATED_TOKEN = '"delegated-token-Q9"'  # noqa: S105


TLD_RECORDS = f"""
dns01.lab.              IN NS ns1.good.lab.
dns01.lab.              IN NS ns2.good.lab.
slowneg.lab.            IN NS ns1.good.lab.
slowneg.lab.            IN NS ns2.good.lab.
txtsplit.lab.           IN NS ns1.good.lab.
txtsplit.lab.           IN NS ns2.good.lab.
acme-dns.lab.           IN NS ns1.acme-dns.lab.
silent.lab.             IN NS ns2.lame.lab.
ns1.acme-dns.lab.       IN A  {ACME_DNS_SERVER}
"""
"""The delegations the ``lab.`` zone adds for these zones."""


DNS01 = Zone.of_records(
    "dns01.lab.",
    f"""
dns01.lab.              IN NS    ns1.good.lab.
dns01.lab.              IN NS    ns2.good.lab.
dns01.lab.              IN A     127.0.0.1
www                     IN A     127.0.0.1
_acme-challenge         IN TXT   {APEX_TOKENS[0]}
_acme-challenge         IN TXT   {APEX_TOKENS[1]}
_acme-challenge.www     IN TXT   {WWW_TOKEN}
_acme-challenge.alias   IN CNAME alias.acme-dns.lab.
_acme-challenge.dangling IN CNAME gone.acme-dns.lab.
_acme-challenge.nowhere IN CNAME x.nobody-registered.lab.
_acme-challenge._acme-challenge.twice IN TXT "doubled-token"
_acme-challenge.full.dns01.lab IN TXT "appended-token"
_acme-challenge.loop    IN CNAME _acme-challenge.loop2.dns01.lab.
_acme-challenge.loop2   IN CNAME _acme-challenge.loop.dns01.lab.
""",
    ttl=300,
)

SLOWNEG = Zone.of_records(
    "slowneg.lab.",
    """
slowneg.lab.            IN NS ns1.good.lab.
slowneg.lab.            IN NS ns2.good.lab.
www                     IN A  127.0.0.1
""",
    ttl=86400,
    minimum=3600,
)


def _txtsplit(token: str) -> Zone:
    return Zone.of_records(
        "txtsplit.lab.",
        f"""
txtsplit.lab.           IN NS  ns1.good.lab.
txtsplit.lab.           IN NS  ns2.good.lab.
_acme-challenge.www     IN TXT "{token}"
""",
        ttl=300,
    )


ACME_DNS = Zone.of_records(
    "acme-dns.lab.",
    f"""
acme-dns.lab.           IN NS  ns1.acme-dns.lab.
ns1                     IN A   {ACME_DNS_SERVER}
alias                   IN TXT {DELEGATED_TOKEN}
""",
    ttl=300,
)

ZONES_A = [DNS01, SLOWNEG, _txtsplit("new-token")]
"""Zones of nameserver A (ns1.good.lab)."""
ZONES_B = [DNS01, SLOWNEG, _txtsplit("old-token")]
"""Zones of nameserver B (ns2.good.lab): txtsplit.lab still has the old token."""
ZONES_OLD = [ACME_DNS]
"""Zones of the "old" server, which no zone above delegates to."""
