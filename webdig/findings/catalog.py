"""The one place where a finding becomes a sentence: code + parameters → words.

Every template is a whole sentence with named placeholders, marked with
:func:`N_` (or :func:`NP_` for plural forms) so that
``pybabel extract -k N_ -k NP_:1,2`` finds it for the translators.  A code may
have several variants (with or without an alias, after a redirect or not);
:func:`sentence` picks the first variant whose conditions the parameters meet.

Placeholders take a format spec for values that need words of their own:
lists join as "a, b and c" (``{x}``), "a, b, c" (``{x:unit}``), "a or b"
(``{x:or}``) or "a; b" (``{x:semicolon}``) in the reader's language through
Babel; ``{x:duration}`` reads seconds as "5 minutes", ``{x:days}`` a count as
"3 days", ``{x:time}`` and ``{x:date}`` an ISO moment as "23:10 UTC" and
"2026-12-01".  A mapping is a sub-phrase (a list of mappings is several, then
joined): its ``code`` names a phrase of :data:`PHRASES`, rendered with the
mapping's other keys.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from babel.lists import format_list

from webdig.findings.model import Finding

DEFAULT_LOCALE = "en_GB"
"""English as webdig writes it: "a, b and c", without the serial comma."""


class Translations(Protocol):
    """What :func:`sentence` needs of a translations object (``gettext.NullTranslations``)."""

    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...

    def __hash__(self) -> int: ...


def N_(message: str) -> str:
    """Mark ``message`` as a catalog template for extraction; returns it unchanged."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a template with a plural form (``-k NP_:1,2``); returns both unchanged."""
    return singular, plural


@dataclass(frozen=True)
class V:
    """One wording of a code, used when every condition holds.

    A condition ``"name"`` holds when the parameter is present and not empty;
    ``"name=value"`` when its text equals ``value``.  ``count`` names the
    parameter that picks the plural form of a :func:`NP_` template.
    """

    template: str | tuple[str, str]
    when: tuple[str, ...] = ()
    count: str | None = None

    def holds(self, params: Mapping[str, Any]) -> bool:
        """Whether ``params`` meet every condition of this wording."""
        for condition in self.when:
            name, _, value = condition.partition("=")
            if "=" in condition:
                if str(params.get(name)) != value:
                    return False
            elif params.get(name) in (None, "", (), [], 0, False):
                return False
        return True


def v(template: str | tuple[str, str], *when: str, count: str | None = None) -> V:
    """A wording with its conditions: ``v(N_("…"), "alias")``."""
    return V(template, when, count)


SENTENCES: dict[str, tuple[V, ...]] = {
    # Per-answer verdicts: does this server answer the address the user expected?
    "answer.match": (
        v(N_("{server} answers {matched:unit} for {host} ({host} is an alias of {alias}): this matches your server."), "alias"),  # noqa: E501
        v(N_("{server} answers {matched:unit} for {host}: this matches your server.")),
    ),
    "answer.mixed": (
        v(N_("{server} answers {matched:unit} for {host} ({host} is an alias of {alias}), which is your server, but also {unexpected:unit}, which is not: visitors and Let's Encrypt may be sent to either."), "alias"),  # noqa: E501
        v(N_("{server} answers {matched:unit} for {host}, which is your server, but also {unexpected:unit}, which is not: visitors and Let's Encrypt may be sent to either.")),  # noqa: E501
    ),
    "answer.mismatch": (
        v(N_("{server} answers {unexpected:unit} for {host} ({host} is an alias of {alias}), not your server ({expected:unit})."), "alias"),  # noqa: E501
        v(N_("{server} answers {unexpected:unit} for {host}, not your server ({expected:unit}).")),
    ),
    "answer.other-family": (
        v(N_("{server} answers {unexpected:unit} for {host} ({host} is an alias of {alias}), but you gave no {family} address to compare with. If your server has no such address, this record sends visitors (and Let's Encrypt) elsewhere."), "alias"),  # noqa: E501
        v(N_("{server} answers {unexpected:unit} for {host}, but you gave no {family} address to compare with. If your server has no such address, this record sends visitors (and Let's Encrypt) elsewhere.")),  # noqa: E501
    ),
    "answer.nxdomain": (
        v(N_("According to {server}, {host} does not exist (NXDOMAIN) ({host} is an alias of {alias})."), "alias"),  # noqa: E501
        v(N_("According to {server}, {host} does not exist (NXDOMAIN).")),
    ),
    "answer.no-record": (
        v(N_("{server} has no {type} record for {host} ({host} is an alias of {alias})."), "alias"),
        v(N_("{server} has no {type} record for {host}.")),
    ),
    "answer.referral": (
        v(N_("{server} does not hold the records of {host}: it referred the question to other nameservers (a referral), so it is not this domain's nameserver.")),  # noqa: E501
    ),
    "answer.records": (
        v(NP_("{server} answers {count} {type} record for {host}: {records:semicolon}.", "{server} answers {count} {type} records for {host}: {records:semicolon}."), count="count"),  # noqa: E501
    ),
    "answer.refused": (
        v(N_("{server} refused to answer for {host}: it is not a nameserver of this domain and does not look up other domains.")),  # noqa: E501
    ),
    "answer.servfail": (
        v(N_("{server} answered SERVFAIL: it failed to find an answer for {host} (often a broken delegation or DNSSEC problem).")),  # noqa: E501
    ),
    "answer.rcode": (v(N_("{server} answered {rcode} for {host}.")),),
    "answer.no-reply": (v(N_("{reason}")),),
    "answer.not-authoritative": (
        v(N_("The answer is not authoritative (no aa flag): {server} answered from its cache or by asking others, so it may differ from what the domain's own nameservers say.")),  # noqa: E501
    ),
    # Across servers: do the domain's nameservers agree?
    "consistency.agree": (v(N_("All {total} nameserver addresses answer {answer} for {host}.")),),
    "consistency.split": (
        v(N_("{count} of your {total} nameserver addresses answer {answer} for {host}; {others:semicolon}. Resolvers pick a nameserver at random, so visitors and Let's Encrypt get either answer.")),  # noqa: E501
    ),
    "consistency.no-replies": (
        v(N_("No nameserver of {host} replied ({servers} did not answer), so webdig cannot tell what they answer. If they do not answer anyone, the name cannot be resolved.")),  # noqa: E501
    ),
    "consistency.silent": (
        v(N_("{servers} did not give a usable answer for {host}: resolvers that try it first wait for a time-out, and if every nameserver fails the name cannot be resolved.")),  # noqa: E501
    ),
    # Delegation: where the registry sends resolvers.
    "delegation.registry-differs": (
        v(N_("The registry delegates {zone} to {parent}, so the records you edit at {outside} are not used. Change the records at {parent}, or change the nameservers at your domain registrar.")),  # noqa: E501
    ),
    "delegation.lists-differ": (
        v(N_("The registry delegates {zone} to {parent}, but the zone itself lists {own}. Resolvers may use either list: make them the same.")),  # noqa: E501
    ),
    "delegation.agrees": (
        v(N_("The registry delegates {zone} to {parent}, including {asked}, which you asked, and the zone lists the same nameservers."), "asked"),  # noqa: E501
        v(N_("The registry delegates {zone} to {parent}, and the zone lists the same nameservers.")),  # noqa: E501
    ),
    # IPv6: the other address family, checked next to the one asked for.
    "ipv6.stray-aaaa": (
        v(N_("{host} has an AAAA record ({addresses:unit}) that is not your server. Let's Encrypt prefers IPv6: this AAAA record sends it to another server. Delete it, or set it to your server's IPv6 address.")),  # noqa: E501
    ),
    "ipv6.unverified-aaaa": (
        v(N_("{host} has an AAAA record ({addresses:unit}), but you gave no IPv6 address to compare it with. Is {addresses:or} your server's IPv6 address? If not, ask your hosting company for the right one and change the record: Let's Encrypt tries IPv6 first.")),  # noqa: E501
    ),
    "ipv6.unverified-a": (
        v(N_("{host} has an A record ({addresses:unit}), but you gave no IPv4 address to compare it with. Is {addresses:or} your server's IPv4 address? If not, ask your hosting company for the right one and change the record.")),  # noqa: E501
    ),
    "ipv6.aaaa-matches": (v(N_("{host}'s AAAA record points at your server.")),),
    "ipv6.no-aaaa": (v(N_("{host} has no AAAA record, so IPv6 cannot lead elsewhere.")),),
    "ipv6.stray-a": (
        v(N_("{host} has an A record ({addresses:unit}) that is not your server.")),
    ),
    # Public resolvers' caches compared with the source.
    "cache.stale": (v(N_("{stale:semicolon}.")),),
    "cache.agree": (
        v(N_("The resolvers that answered give {answer} for {host}, as the source does; {silent} gave no usable answer, so webdig cannot tell what they have cached."), "silent"),  # noqa: E501
        v(N_("Every resolver asked answers {answer} for {host}, as the source does.")),
    ),
    "cache.no-replies": (
        v(N_("None of the resolvers asked ({servers}) gave a usable answer for {host}, so webdig cannot tell what they have cached.")),  # noqa: E501
    ),
    # The expected server given as a name.
    "expected.resolved": (
        v(NP_("{host} resolves to {addresses:unit}; answers are compared with that address.", "{host} resolves to {addresses:unit}; answers are compared with those addresses."), count="count"),  # noqa: E501
    ),
    # Notes on the look-up as a whole: facts, no judgement.
    "note.queries-skipped": (
        v(N_("{count} queries were not sent: one look-up may send at most {limit}. Ask about fewer hostnames or nameservers at once.")),  # noqa: E501
    ),
    "note.trace-stopped": (v(N_("{host}: the trace stopped: {problem}")),),
    "note.discovery": (v(N_("{problem}")),),
    # How a digwebinterface link was read.
    "note.host-understood": (v(N_("Understood “{given}” as {host}.")),),
    "note.resolver-not-preset": (
        v(N_("{address} is not one of webdig's preset resolvers; it was asked like a nameserver you entered.")),  # noqa: E501
    ),
    "note.save-unavailable": (
        v(N_("Saving results is not available yet, so nothing was stored. This page's address runs the same look-up again whenever it is opened: copy it to share the result.")),  # noqa: E501
    ),
    "note.preset-retired": (
        v(N_("{service} has shut down; {address} was asked as the link says, and is now answered by {successor}."), "successor"),  # noqa: E501
        v(N_("{service} has shut down; {address} was asked as the link says.")),
    ),
    "note.any": (
        v(N_("Many nameservers answer ANY with only some records, or with a single HINFO record (RFC 8482). Ask for a specific type to see everything.")),  # noqa: E501
    ),
    "note.expected-addresses-only": (
        v(N_("The expected address is compared with A and AAAA answers only.")),
    ),
    "note.resolver-not-asked": (
        v(N_("You entered {nameservers:unit}, but “A public resolver” is chosen, so it was not asked. Choose “The nameservers I enter” to ask it.")),  # noqa: E501
    ),
    # The result page's own tallies and traces.
    "answers.tally": (
        v(NP_("{matches} of {total} answers match your server; {unanswered} more server did not answer.", "{matches} of {total} answers match your server; {unanswered} more servers did not answer."), "unanswered", count="unanswered"),  # noqa: E501
        v(N_("{matches} of {total} answers match your server.")),
    ),
    "answers.no-replies": (
        v(N_("No server answered, so webdig cannot tell whether they point at your server.")),
    ),
    "answers.replies": (v(N_("{replies} of {total} look-ups got a reply.")),),
    "trace.stopped": (v(N_("The trace of {host} stopped: {problem}")),),
    "trace.walk-stopped": (
        v(N_("The trace stopped: {problem}"), "problem"),
        v(N_("The trace stopped: no server answered")),
    ),
    # A +trace walk's steps: who answered ({role} is a role.* phrase) and what it did.
    "step.failed": (
        v(N_("{server}, {role}, did not reply ({reason}); webdig asked the next server."), "next"),
        v(N_("{server}, {role}, did not reply ({reason}).")),
    ),
    "step.root-servers": (v(N_("{server}, {role}, lists the root servers: {names}.")),),
    "step.nxdomain": (v(N_("{server}, {role}, says {host} does not exist (NXDOMAIN).")),),
    "step.rcode": (
        v(N_("{server}, {role}, answers {rcode}: the server failed to find an answer."), "rcode=SERVFAIL"),  # noqa: E501
        v(N_("{server}, {role}, answers {rcode}: the server refused to answer this question."), "rcode=REFUSED"),  # noqa: E501
        v(N_("{server}, {role}, answers {rcode}: the server does not support this kind of question."), "rcode=NOTIMP"),  # noqa: E501
        v(N_("{server}, {role}, answers {rcode}: the server could not read the question."), "rcode=FORMERR"),  # noqa: E501
        v(N_("{server}, {role}, answers {rcode}: an error.")),
    ),
    "step.no-record": (v(N_("{server}, {role}, answers, but has no {type} record for {host}.")),),
    "step.answer": (v(N_("{server}, {role}, answers {answer}.")),),
    "step.stuck": (
        v(N_("{server}, {role}, neither answered nor referred the question further down.")),
    ),
    "step.referral": (
        v(N_("{server}, {role}, refers the question to the .{zone} registry's servers: {names}."), "to=registry"),  # noqa: E501
        v(N_("{server}, {role}, refers the question to {zone}'s nameservers: {names}."), "to=zone"),
        v(N_("{server}, {role}, refers the question to other servers: {names}.")),
    ),
    # The renewal checklist, item by item.  Per-address sentences start "On <addresses>, ".
    "summary.cause": (v(N_("Most likely cause:")),),
    "summary.attention": (v(N_("Nothing blocks the renewal for sure, but:")),),
    "summary.more": (v(NP_("({count} more item below.)", "({count} more items below.)"), count="count"),),  # noqa: E501
    "summary.ready": (
        v(N_("Everything Let's Encrypt checks looks right. Press renew in your hosting panel, then open your site and check that the certificate's expiry date moved.")),  # noqa: E501
    ),
    "domain.missing": (
        v(N_("{host} does not exist in DNS (only {zone} answers): the domain is not registered, has expired, or the registry has suspended it."), "zone"),  # noqa: E501
        v(N_("{host} does not exist in DNS: the domain is not registered, has expired, or the registry has suspended it.")),  # noqa: E501
    ),
    "domain.unconfirmed": (
        v(N_("Could not confirm that the registry delegates {zone}: {problems:semicolon}"), "problems"),  # noqa: E501
        v(N_("Could not confirm that the registry delegates {zone}: the registry's servers gave no delegation")),  # noqa: E501
    ),
    "domain.delegated": (v(N_("The registry delegates {zone} to {nameservers:unit}.")),),
    "dns.not-compared": (
        v(N_("The nameservers of {host} answer {addresses:unit}."), "addresses"),
        v(N_("The nameservers of {host} answer no address.")),
    ),
    "dns.no-replies": (
        v(N_("No nameserver of {host} answered, so webdig cannot tell whether they point at your server.")),  # noqa: E501
    ),
    "dns.no-nameservers": (v(N_("No nameserver of {host} could be asked.")),),
    "dns.points-here": (v(N_("Every nameserver of {host} answers {addresses:unit}, your server.")),),  # noqa: E501
    "caa.lookup-failed": (
        v(N_("The CAA look-up for {name} failed ({error}). Let's Encrypt refuses to issue when it cannot read CAA records."), "error"),  # noqa: E501
        v(N_("The CAA look-up for {name} failed (the answer was {rcode}). Let's Encrypt refuses to issue when it cannot read CAA records.")),  # noqa: E501
    ),
    "caa.none": (
        v(N_("There is no CAA record for {host} or its parent domains, so any certificate authority may issue.")),  # noqa: E501
    ),
    "caa.allows": (v(N_("The CAA record at {owner} ({records:semicolon}) allows Let's Encrypt.")),),
    "caa.forbids": (
        v(N_("The CAA record at {owner} ({records:semicolon}) does not allow Let's Encrypt, so it will refuse to issue the certificate.")),  # noqa: E501
    ),
    "web.no-address": (v(N_("{host} has no address.")),),
    "web.no-addresses": (
        v(N_("{host} has no address to connect to ({problems:semicolon})."), "problems"),
        v(N_("{host} has no address to connect to (it has no A or AAAA record).")),
    ),
    "web.not-allowed": (v(N_("On {addresses}, {reason}.")),),
    "web.families-differ": (v(N_("IPv4 and IPv6 behave differently.")),),
    "http.redirect-elsewhere": (
        v(N_("On {addresses}, site forwarding is set: the challenge path is redirected to {target}.")),  # noqa: E501
    ),
    "http.not-found": (
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect (Let's Encrypt follows it), as it should for a file that does not exist."), "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it), as it should for a file that does not exist."), "via=https"),  # noqa: E501
        v(N_('On {addresses}, the challenge path answers {answer}, as it should for a file that does not exist.'), "via=direct"),  # noqa: E501
    ),
    "http.access-denied": (
        v(N_("On {addresses}, access restriction is set: the challenge path answers {answer} after a redirect (Let's Encrypt follows it) (a password, Basic auth)."), "status=401", "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, access restriction is set: the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it) (a password, Basic auth)."), "status=401", "via=https"),  # noqa: E501
        v(N_('On {addresses}, access restriction is set: the challenge path answers {answer} (a password, Basic auth).'), "status=401", "via=direct"),  # noqa: E501
        v(N_("On {addresses}, access restriction is set: the challenge path answers {answer} after a redirect (Let's Encrypt follows it) (an IP block or a deny rule)."), "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, access restriction is set: the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it) (an IP block or a deny rule)."), "via=https"),  # noqa: E501
        v(N_('On {addresses}, access restriction is set: the challenge path answers {answer} (an IP block or a deny rule).'), "via=direct"),  # noqa: E501
    ),
    "http.no-file": (
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect (Let's Encrypt follows it), so Let's Encrypt gets no file."), "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it), so Let's Encrypt gets no file."), "via=https"),  # noqa: E501
        v(N_("On {addresses}, the challenge path answers {answer}, so Let's Encrypt gets no file."), "via=direct"),  # noqa: E501
    ),
    "http.served": (
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect (Let's Encrypt follows it) for a file that does not exist."), "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it) for a file that does not exist."), "via=https"),  # noqa: E501
        v(N_('On {addresses}, the challenge path answers {answer} for a file that does not exist.'), "via=direct"),  # noqa: E501
    ),
    "http.unexpected-status": (
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect (Let's Encrypt follows it) instead of 404 Not Found."), "via=redirect"),  # noqa: E501
        v(N_("On {addresses}, the challenge path answers {answer} after a redirect to https (Let's Encrypt follows it) instead of 404 Not Found."), "via=https"),  # noqa: E501
        v(N_('On {addresses}, the challenge path answers {answer} instead of 404 Not Found.'), "via=direct"),  # noqa: E501
    ),
    "http.unreachable": (
        v(N_("On {addresses}, port {port} is not reachable (the site redirects to https): {reason}."), "port=443", "reason"),  # noqa: E501
        v(N_("On {addresses}, port {port} is not reachable (the site redirects to https): no answer."), "port=443"),  # noqa: E501
        v(N_("On {addresses}, port {port} is not reachable: {reason}."), "reason"),
        v(N_("On {addresses}, port {port} is not reachable: no answer.")),
    ),
    "http.redirect-refused": (v(N_("On {addresses}, {reason}.")),),
    "http.https-failed": (v(N_("On {addresses}, the site redirects to https, and {reason}.")),),
    "http.no-answer": (
        v(N_("On {addresses}, port {port} (the site redirects to https) does not answer properly: {reason}."), "port=443", "protocol"),  # noqa: E501
        v(N_("On {addresses}, port {port} (the site redirects to https) does not answer: {reason}."), "port=443"),  # noqa: E501
        v(N_("On {addresses}, port {port} does not answer properly: {reason}."), "protocol"),
        v(N_("On {addresses}, port {port} does not answer: {reason}.")),
    ),
    "http.ipv4-fallback": (
        v(N_("Let's Encrypt retries over IPv4 when it cannot connect over IPv6, so this alone does not stop the renewal, but visitors on IPv6 cannot reach the site.")),  # noqa: E501
    ),
    "tls.unreachable": (v(N_("On {addresses}, nothing answers on port 443: {reason}.")),),
    "tls.silent": (v(N_("On {addresses}, port 443 does not answer: {reason}.")),),
    "tls.failed": (v(N_("On {addresses}, {reason}.")),),
    "certificate.unreadable": (v(N_("On {addresses}, the certificate sent cannot be read.")),),
    "certificate.broken": (v(N_("On {addresses}, {problems:semicolon}.")),),
    "certificate.expires-soon": (
        v(N_("On {addresses}, the certificate from {issuer} is valid until {expiry:date}, only {days:days} left: auto-renewal should have replaced it by now.")),  # noqa: E501
    ),
    "certificate.valid": (
        v(N_("On {addresses}, the certificate from {issuer} is valid until {expiry:date} ({days:days} left) and covers {name}.")),  # noqa: E501
    ),
    "certificate.ipv4-fallback": (
        v(N_("Browsers retry over IPv4 when they cannot connect over IPv6, so most visitors still see the site.")),  # noqa: E501
    ),
    "certificate.differ": (v(N_("The addresses serve different certificates ({served:semicolon}).")),),  # noqa: E501
    "ca.not-checked": (v(N_("This webdig does not check Let's Encrypt's status page itself.")),),
    "ca.unreadable": (v(N_("The status page {reason}.")),),
    "ca.operational": (v(N_("Let's Encrypt reports: {description}.")),),
    "ca.trouble": (
        v(N_("Let's Encrypt reports: {description}. Renewals may fail until it is resolved.")),
    ),
    # What to do: advice that goes with a finding.
    "fix.renew-domain": (
        v(N_("Check the domain's expiry date at your registrar and renew it; after renewal it can take a few hours to come back.")),  # noqa: E501
    ),
    "fix.check-registrar": (v(N_("Check the domain at your registrar.")),),
    "fix.enter-expected": (
        v(N_("Enter your server's IP address (shown in your hosting panel) to check it.")),
    ),
    "fix.check-nameservers": (v(N_("Check the nameserver settings at your registrar.")),),
    "fix.correct-records": (
        v(N_("Correct the A/AAAA records at the nameservers the registry delegates to, so that they all answer your server's address; then wait for the old answers' TTL to pass.")),  # noqa: E501
    ),
    "fix.wait-ttl": (v(N_("Wait until the old answers expire before pressing renew.")),),
    "fix.caa-lookup": (
        v(N_("Ask your DNS provider to fix the nameservers' answers for CAA queries (they must answer NOERROR, even with no record).")),  # noqa: E501
    ),
    "fix.caa-add": (
        v(N_('Add a CAA record "0 issue \\"{ca}\\"" at {owner}, or remove the CAA records there.')),
    ),
    "fix.remove-forwarding": (
        v(N_("Remove the site forwarding (サイト転送) setting in your hosting panel while renewing, or exclude /.well-known/acme-challenge/ from it.")),  # noqa: E501
    ),
    "fix.remove-restriction": (
        v(N_("Turn off the access restriction (アクセス制限: Basic authentication or an IP allow/deny list) while renewing, or exempt /.well-known/acme-challenge/ from it.")),  # noqa: E501
    ),
    "fix.open-port-80": (
        v(N_("Make sure the web server is running and that port 80 is open to the whole internet: Let's Encrypt always validates on port 80.")),  # noqa: E501
    ),
    "fix.open-port-443": (v(N_("Open port 443 or remove the redirect to https.")),),
    "fix.serve-ipv6": (
        v(N_("Make the web server answer on IPv6 too, or remove the name's AAAA record.")),
    ),
    "fix.point-records": (
        v(N_("Point the name's A/AAAA records at your server's public IP address.")),
    ),
    "fix.check-server-log": (
        v(N_("Check the web server's error log and its rewrite rules for /.well-known/.")),
    ),
    "fix.usually-harmless": (
        v(N_("Usually harmless; if renewal fails, check rewrite rules for /.well-known/.")),
    ),
    "fix.remove-redirect": (v(N_("Remove that redirect while renewing.")),),
    "fix.https-setup": (v(N_("Fix the HTTPS setup or the redirect.")),),
    "fix.renew-certificate": (
        v(N_("Fix any failing item above, press renew (更新) in your hosting panel, then check again: the expiry date should move to about 90 days from today.")),  # noqa: E501
    ),
    "fix.add-name": (
        v(N_("Add this name to the free SSL setting in your hosting panel, or check that its DNS points at the server that holds its certificate.")),  # noqa: E501
    ),
    "fix.install-chain": (
        v(N_("Install the full chain (the intermediate certificate) together with the certificate.")),  # noqa: E501
    ),
    "fix.https-port": (
        v(N_("Check that HTTPS is set up for this name on the server and that port 443 is open.")),
    ),
    "fix.same-certificate": (v(N_("Make every address serve the renewed certificate.")),),
    "fix.ca-status-page": (v(N_("Look at {url} before pressing renew.")),),
    "fix.ca-wait": (
        v(N_("Wait until {url} shows all systems operational, then press renew again.")),
    ),
}  # fmt: skip
"""Finding code → its wordings, first match wins."""

PHRASES: dict[str, tuple[V, ...]] = {
    "consistency.still-answers": (v(N_("{servers} still answers {answer}")),),
    "certificate.expired": (v(N_("the certificate expired on {expiry:date}, {days:days} ago")),),
    "certificate.not-yet-valid": (v(N_("the certificate is not valid before {start:date}")),),
    "certificate.expires-very-soon": (
        v(N_("the certificate expires in {days:days} ({expiry:date}) and auto-renewal has stopped"), "days"),  # noqa: E501
        v(N_("the certificate expires within a day ({expiry:date}) and auto-renewal has stopped")),
    ),
    "certificate.wrong-name": (
        v(N_("the certificate does not cover {name}: it is for {names:unit}"), "names"),
        v(N_("the certificate does not cover {name}: it is for no names (no subjectAltName)")),
    ),
    "certificate.chain": (v(N_("its chain does not verify ({error})")),),
    "certificate.served": (v(N_("{address}: one valid until {expiry:date}")),),
    "role.root": (v(N_("a root server")),),
    "role.registry": (v(N_("a server of the .{zone} registry")),),
    "role.zone": (v(N_("a nameserver of {zone}")),),
    "cache.still-answers": (
        v(N_("{server} still answers {answer} for {host} and may serve it for up to {ttl:duration} more (until {until:time})")),  # noqa: E501
    ),
}  # fmt: skip
"""Sub-phrase code → wordings, for the items of a list parameter (joined by its spec)."""

_DURATIONS = (
    (90, 1, NP_("{count} second", "{count} seconds")),
    (90 * 60, 60, NP_("{count} minute", "{count} minutes")),
    (48 * 3600, 3600, NP_("{count} hour", "{count} hours")),
    (None, 86400, NP_("{count} day", "{count} days")),
)
"""Below the first bound, count in the second's unit: 89 s is "89 seconds", 90 s "2 minutes"."""

_DAYS = NP_("{count} day", "{count} days")
_LIST_STYLES: dict[str, Literal["standard", "unit", "or"]] = {
    "": "standard",
    "unit": "unit",
    "or": "or",
}


def codes() -> list[str]:
    """Every finding code, sorted: the enum of ``code`` in the OpenAPI document."""
    return sorted(SENTENCES)


def sentence(
    finding: Finding, translations: Translations | None = None, *, locale: str | None = None
) -> str:
    """The finding in words, translated when ``translations`` is given.

    ``locale`` decides how lists join; by default the translations' own
    language, else English.
    """
    return _sentence(finding, translations, locale)


@functools.lru_cache(maxsize=4096)
def _sentence(finding: Finding, translations: Translations | None, locale: str | None) -> str:
    # People re-check the same name while they fix it, and a page says a finding more than
    # once: wording one costs ~60 µs (str.format and Babel's list patterns), a hit ~5 µs.
    return _render(SENTENCES, finding.code, finding.params, translations, locale)


def paragraph(
    findings: Iterable[Finding],
    translations: Translations | None = None,
    *,
    locale: str | None = None,
) -> str:
    """Several findings as one text: their sentences in order, each finding said once."""
    said = (sentence(finding, translations, locale=locale) for finding in dict.fromkeys(findings))
    return " ".join(text for text in said if text)


def join(items: Sequence[str], style: str = "", translations: Translations | None = None) -> str:
    """``items`` as one list in the reader's language: "a, b and c" (``style`` as in a
    placeholder's spec: "", "unit", "or" or "semicolon")."""
    return _Formatter(translations, _language(translations)).format_field(list(items), style)


def _render(
    table: Mapping[str, Sequence[V]],
    code: str,
    params: Mapping[str, Any],
    translations: Translations | None,
    locale: str | None,
) -> str:
    wordings = table.get(code)
    if wordings is None:
        raise KeyError(f"no wording for finding code {code!r}")
    chosen = next(w for w in wordings if w.holds(params))
    language = locale or _language(translations)
    template = _translate(chosen.template, params.get(chosen.count or "", 1), translations)
    return _Formatter(translations, language).vformat(template, (), params)


def _translate(
    template: str | tuple[str, str], count: object, translations: Translations | None
) -> str:
    if isinstance(template, tuple):
        singular, plural = template
        n = count if isinstance(count, int) else 1
        if translations is None:
            return singular if n == 1 else plural
        return translations.ngettext(singular, plural, n)
    return translations.gettext(template) if translations is not None else template


def _language(translations: Translations | None) -> str:
    """The locale lists join in: the translations' ``language`` (webdig's translator) or the
    ``Language`` of their catalog header (gettext's), else English."""
    language = getattr(translations, "language", None)
    info: Callable[[], Mapping[str, str]] | None = getattr(translations, "info", None)
    if language is None and info is not None:
        language = info().get("language")
    if not language or str(language).split("_")[0] == "en":
        return DEFAULT_LOCALE
    return str(language)


class _Formatter(string.Formatter):
    """str.format with webdig's specs for lists, durations, days and moments."""

    def __init__(self, translations: Translations | None, locale: str) -> None:
        self.translations = translations
        self.locale = locale

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Mapping):
            return self._item(value)
        if isinstance(value, (list, tuple)):
            items = [self._item(item) for item in value]
            if format_spec == "semicolon":
                return "; ".join(items)
            return format_list(items, style=_LIST_STYLES[format_spec], locale=self.locale)
        if format_spec == "duration":
            return self._duration(int(value))
        if format_spec == "days":
            return self._count(_DAYS, int(value))
        if format_spec in ("time", "date"):
            moment = datetime.fromisoformat(str(value))
            return moment.strftime("%H:%M UTC" if format_spec == "time" else "%Y-%m-%d")
        return str(super().format_field(value, format_spec))

    def _item(self, item: Any) -> str:
        if isinstance(item, Mapping):
            rest = {k: v for k, v in item.items() if k != "code"}
            return _render(PHRASES, str(item["code"]), rest, self.translations, self.locale)
        return str(item)

    def _duration(self, seconds: int) -> str:
        for bound, unit, forms in _DURATIONS:
            if bound is None or seconds < bound:
                return self._count(forms, round(seconds / unit))
        raise AssertionError("the last unit has no bound")

    def _count(self, forms: tuple[str, str], count: int) -> str:
        return _translate(forms, count, self.translations).format(count=count)
