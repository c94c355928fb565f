"""The pages' words for webdig's closed sets: ``ns`` modes, server roles, options, checklist items.

One table per set, keyed by its enum, so a template never spells a mode or
an id.  Strings marked ``N_`` are extracted for the catalog and translated
where the template shows them.  Sentences about
findings live in :mod:`webdig.findings.catalog`, not here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from webdig.findings.markers import N_
from webdig.lookup.modes import Role
from webdig.lookup.params import Flag, Mode
from webdig.renewal.dns01 import Method
from webdig.renewal.items import CheckId


class Wording(NamedTuple):
    """A label and one line of help under it ("" for none)."""

    label: str
    help: str = ""


MODE_CHOICES: dict[Mode, Wording] = {
    Mode.RESOLVER: Wording(N_("A public resolver")),
    Mode.SELF: Wording(N_("The nameservers I enter")),
    Mode.AUTH: Wording(
        N_("Every nameserver of the domain (found automatically)"),
        N_("webdig finds the domain's nameservers and asks each of them directly."),
    ),
    Mode.NIC: Wording(
        N_("The registry's servers (who the domain is delegated to)"),
        N_(
            "Asks the parent zone's servers (such as those of .jp) which nameservers they send "
            "everyone to."
        ),
    ),
    Mode.ALL: Wording(
        N_("All public resolvers and the domain's own nameservers"),
        N_("Asks every public resolver and the domain's own nameservers, side by side."),
    ),
}
"""The ``ns`` choices as the look-up form shows them."""

FLAG_CHOICES: dict[Flag, Wording] = {
    Flag.SHORT: Wording(
        N_("Short answer only"), N_("Like dig +short: just the data, one record a line.")
    ),
    Flag.STATS: Wording(
        N_("Show the full dig output"), N_("Header, flags, every section and the statistics.")
    ),
    Flag.NORECURSIVE: Wording(
        N_("Don't ask for recursion"), N_("Like dig +norecurse: the server answers alone.")
    ),
    Flag.TCP: Wording(N_("Use TCP"), N_("Like dig +tcp, instead of UDP first.")),
    Flag.DNSSEC: Wording(N_("Ask for DNSSEC records"), N_("Like dig +dnssec: sets the DO bit.")),
    Flag.NSID: Wording(
        N_("Ask the server for its ID"), N_("Like dig +nsid: which machine answered.")
    ),
    Flag.SHOWCOMMAND: Wording(
        N_("Show the dig command"), N_("The command that gives the same answer.")
    ),
    Flag.COLORIZE: Wording(
        N_("Colour the record columns"), N_("Name, TTL, class, type and data in colours.")
    ),
    Flag.SORT: Wording(
        N_("Sort the records"), N_("Each section's records in order, easier to compare.")
    ),
    Flag.ONLYFIRST: Wording(
        N_("Only the first nameserver"),
        N_("With every or the registry's nameservers: ask only the first of each zone by name."),
    ),
    Flag.SAVE: Wording(
        N_("Save the result"), N_("Not available yet: the page's address runs the look-up again.")
    ),
    Flag.TRACE: Wording(
        N_("Trace from the root"), N_("Like dig +trace: every referral from the root down.")
    ),
    Flag.COMPARE: Wording(N_("Compare the servers"), N_("A table of what each server answered.")),
}
"""The on-flags as the look-up form shows them."""

ROLE_NAMES: dict[Role, str] = {
    Role.RESOLVER: N_("public resolver"),
    Role.SELF: N_("you entered it"),
    Role.AUTH: N_("the domain's nameserver"),
    Role.NIC: N_("registry"),
    Role.TRACE: N_("end of the trace"),
}
"""A server's role in a few words, for the comparison table's rows (the template translates)."""

COMPANION = "companion"
"""The group of the other address family's blocks (AAAA next to A, or A next to AAAA)."""


def group_heading(
    role: str,
    *,
    mode: Mode,
    registry: str,
    type_text: str,
    say: Callable[[str], str] = str,
) -> Wording:
    """The heading and help above the blocks of one role (or of the ``companion`` group).

    ``registry`` names the zones the registry's servers speak for; ``type_text``
    is the companion blocks' record type; ``say`` translates a catalog entry (the
    template's ``_``), before the parameters go in.
    """
    if role == COMPANION:
        label = say(N_("{type_text} records, checked alongside")).format(type_text=type_text)
        if type_text == "AAAA":
            return Wording(
                label,
                say(
                    N_(
                        "Let's Encrypt tries IPv6 first, so webdig also asked each server for the "
                        "AAAA record (the IPv6 address). No record is fine; a record that is not "
                        "your server is a problem."
                    )
                ),
            )
        return Wording(
            label,
            say(
                N_(
                    "webdig also asked each server for the A record (the IPv4 address): it must "
                    "point at your server too."
                )
            ),
        )
    if role == Role.RESOLVER:
        return Wording(
            say(N_("Public resolvers")) if mode == Mode.ALL else say(N_("The resolver you chose")),
            say(
                N_(
                    "What visitors' browsers and Let's Encrypt are told. A resolver keeps each "
                    "answer for its TTL (in seconds), so it can lag behind a change."
                )
            ),
        )
    if role == Role.SELF:
        return Wording(
            say(N_("The nameservers you entered")),
            say(
                N_(
                    "Asked directly. What they answer counts only if the registry sends "
                    "resolvers to them."
                )
            ),
        )
    if role == Role.AUTH:
        return Wording(
            say(N_("The domain's own nameservers (asked directly, without recursion)")),
            say(
                N_(
                    "Every resolver copies its answer from one of these, picked at random, so "
                    "they must all give the same answer."
                )
            ),
        )
    if role == Role.NIC:
        return Wording(
            say(N_("The registry's servers")) + (f" ({registry})" if registry else ""),
            say(
                N_(
                    "They do not hold your records: they tell resolvers which nameservers do. "
                    "This list, the delegation, is what you change at your domain registrar."
                )
            ),
        )
    return Wording(role)


METHOD_CHOICES: dict[Method, str] = {
    Method.AUTO: N_("Automatically: a file on port 80 (HTTP-01)"),
    Method.DNS01: N_("A TXT record at _acme-challenge (DNS-01)"),
}
"""The check form's ``method`` choices."""

CHECK_ABOUT: dict[CheckId, str] = {
    CheckId.DOMAIN_EXISTS: N_(
        "Step 1 of your hosting manual. Your domain must be registered and "
        "paid for: once it expires, the registry removes it and no certificate can be issued."
    ),
    CheckId.DNSSEC: N_(
        "DNSSEC signs your DNS records so that resolvers can tell they are genuine. It is "
        "optional, but while the registry publishes a DS record for your domain, your "
        "nameservers must serve the matching key and valid signatures: otherwise every "
        "validating resolver, Let's Encrypt's included, refuses to answer. This often happens "
        "after moving to another host."
    ),
    CheckId.DNS_POINTS_HERE: N_(
        "Step 2 of your hosting manual. Let's Encrypt finds your website "
        "through DNS, so every nameserver of your domain must answer your hosting server's address "
        "(the IPv4 “A” record and, if there is one, the IPv6 “AAAA” record)."
    ),
    CheckId.CAA: N_(
        "A CAA record lists the certificate authorities that may issue certificates "
        "for your domain. Most domains have none, which allows all of them."
    ),
    CheckId.HTTP_CHALLENGE: N_(
        "Steps 3 and 4 of your hosting manual. To prove the domain is "
        "yours, Let's Encrypt downloads a test file from "
        "http://your-domain/.well-known/acme-challenge/ on port 80. Site forwarding (a redirect "
        "to another site) or an access restriction (a password or an IP block) gets in its way."
    ),
    CheckId.CERTIFICATE: N_(
        "The certificate your website shows visitors today: who issued it and "
        "until when. After a successful renewal its expiry date moves about 90 days ahead."
    ),
    CheckId.CA_STATUS: N_(
        "Step 5 of your hosting manual. When Let's Encrypt itself is in "
        "maintenance or has trouble, renewals fail for everyone until it is back."
    ),
    CheckId.DNS01: N_(
        "Wildcard certificates (*.example.com) are validated by DNS instead of a file: "
        "Let's Encrypt looks for a TXT record at _acme-challenge.your-domain, asking any of "
        "your nameservers, so every one of them must answer it."
    ),
}
"""What each checklist item is about, for someone who has never heard of DNS records."""
