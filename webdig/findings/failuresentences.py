"""A pasted failure mail or ACME error in plain words (what `renewal.failuretext` read)."""

from __future__ import annotations

from webdig.findings.markers import N_, V, v

FAILURES: dict[str, tuple[V, ...]] = {
    "decode.caa-lookup": (
        v(N_("Let's Encrypt could not read the domain's CAA records: its DNS query got SERVFAIL. A DS record left at the registry (broken DNSSEC) or nameservers that mishandle CAA queries cause this, and Let's Encrypt refuses to issue until they answer.")),  # noqa: E501
    ),
    "decode.caa": (
        v(N_("A CAA record of the domain does not allow Let's Encrypt, so it refused to issue the certificate.")),  # noqa: E501
    ),
    "decode.rate-limited": (
        v(N_("Let's Encrypt's rate limit was reached (too many failed validations or certificates): it refuses new attempts for a while (failed validations: one hour). Fix what the checklist finds, wait, then press renew once.")),  # noqa: E501
    ),
    "decode.port-80": (
        v(N_("Let's Encrypt could not connect to port 80 of the server the domain points at (a timeout): a firewall blocks it, or the server is not running at that address.")),  # noqa: E501
    ),
    "decode.challenge-404": (
        v(N_("Let's Encrypt reached a web server, but it answered 404 for the challenge file: the domain points at another server, or site forwarding or a rewrite rule sends the request elsewhere.")),  # noqa: E501
    ),
    "decode.no-address": (
        v(N_("Let's Encrypt found no A or AAAA record for the domain: its DNS does not point it at any server.")),  # noqa: E501
    ),
    "decode.domain-missing": (
        v(N_("Let's Encrypt found that the name does not exist in DNS (NXDOMAIN): the domain has expired or is not registered, or the record is missing.")),  # noqa: E501
    ),
    "decode.connection": (
        v(N_("Let's Encrypt could not connect to the server to fetch the challenge file (a connection error): port 80 is closed or the domain points at the wrong server.")),  # noqa: E501
    ),
    "decode.unauthorized": (
        v(N_("Let's Encrypt reached the server, but did not get the challenge file it expected: site forwarding, an access restriction, or DNS pointing at another server.")),  # noqa: E501
    ),
    "decode.dns": (
        v(N_("Let's Encrypt's DNS look-up for the domain failed: the nameservers did not answer it properly.")),  # noqa: E501
    ),
    "decode.hosting-mail": (
        v(N_("Your hosting company's mail is about the certificate's renewal but does not say what went wrong: every item of the checklist may be the cause.")),  # noqa: E501
    ),
    "decode.not-recognised": (
        v(N_("webdig does not recognise this text, so it cannot tell which item it means: the whole checklist runs.")),  # noqa: E501
    ),
}  # fmt: skip
"""Finding code → its wordings, first match wins."""
