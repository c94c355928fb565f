"""The look-up's sentences: per-answer verdicts, cross-checks, notes, the result page's tallies
and +trace steps."""

from __future__ import annotations

from webdig.findings.markers import N_, NP_, V, v

LOOKUP: dict[str, tuple[V, ...]] = {
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
    "note.busy": (
        v(N_("Some queries were not sent: webdig is busy; try again in {wait} s. webdig limits how many queries it sends to each server, to protect other people's nameservers.")),  # noqa: E501
    ),
    "note.queries-skipped": (
        v(N_("{count} queries were not sent: one look-up may send at most {limit}. Ask about fewer hostnames or nameservers at once.")),  # noqa: E501
    ),
    "note.trace-stopped": (v(N_("{host}: the trace stopped: {problem}")),),
    "note.discovery": (v(N_("{problem}")),),
    # How a digwebinterface link was read.
    "note.host-understood": (v(N_("Understood “{given}” as {host}.")),),
    "note.address-as-name": (
        v(N_("{address} is an IP address, not a domain name, so it has no A or AAAA record of its own. To check that your domain points at this server, enter the domain as the name and {address} as your server's IP; to see which name the address belongs to, choose the record type Reverse.")),  # noqa: E501
    ),
    "note.resolver-not-preset": (
        v(N_("{address} is not one of webdig's preset resolvers; it was asked like a nameserver you entered.")),  # noqa: E501
    ),
    "note.save-offered": (
        v(N_("This link asks to save the result: press “Save a link to this result” below to keep it at a link of its own. Opening a link never stores anything by itself.")),  # noqa: E501
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
        v(N_("{server}, {role}, did not reply: {reason} webdig asked the next server."), "next"),
        v(N_("{server}, {role}, did not reply: {reason}")),
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
    # Headlines: the answer to the question asked, one per hostname, first on every page.
    "headline.match": (
        v(N_("{host} points at your server: all {many} servers asked answer {matched:unit}."), "many"),  # noqa: E501
        v(NP_("{host} points at your server: {servers} answers {matched:unit}.", "{host} points at your server: {servers} answer {matched:unit}."), count="count"),  # noqa: E501
    ),
    "headline.mismatch": (
        v(N_("{host} does not point at your server ({expected:unit}): {many} of the servers asked answer {answers:unit}."), "many", "answers"),  # noqa: E501
        v(NP_("{host} does not point at your server ({expected:unit}): {servers} answers {answers:unit}.", "{host} does not point at your server ({expected:unit}): {servers} answer {answers:unit}."), "answers", count="count"),  # noqa: E501
        v(N_("{host} does not point at your server ({expected:unit}): {many} of the servers asked give no address for it."), "many"),  # noqa: E501
        v(NP_("{host} does not point at your server ({expected:unit}): {servers} gives no address for it.", "{host} does not point at your server ({expected:unit}): {servers} give no address for it."), count="count"),  # noqa: E501
    ),
    "headline.match-some": (
        v(NP_("{servers} answers your server ({matched:unit}) for {host}, but {silent} did not reply, so webdig cannot say what it answers.", "{servers} answer your server ({matched:unit}) for {host}, but {silent} did not reply, so webdig cannot say what it answers."), count="count"),  # noqa: E501
    ),
    "headline.match-unsure": (
        v(NP_("{servers} answers your server ({matched:unit}) for {host}. It also has the address {unjudged:unit}, which webdig cannot judge: is it your server's? See below.", "{servers} answer your server ({matched:unit}) for {host}. It also has the address {unjudged:unit}, which webdig cannot judge: is it your server's? See below."), count="count"),  # noqa: E501
    ),
    "headline.match-but": (
        v(NP_("{servers} answers your server ({matched:unit}) for {host}, but something below needs a look.", "{servers} answer your server ({matched:unit}) for {host}, but something below needs a look."), count="count"),  # noqa: E501
    ),
    "headline.match-undelegated": (
        v(NP_("{servers} answers your server ({matched:unit}) for {host}, but the registry delegates {zone} to {parent}: resolvers and Let's Encrypt never ask {servers}, so the name does not point at your server for them yet.", "{servers} answer your server ({matched:unit}) for {host}, but the registry delegates {zone} to {parent}: resolvers and Let's Encrypt never ask {servers}, so the name does not point at your server for them yet."), count="count"),  # noqa: E501
    ),
    "headline.unknown": (
        v(N_("No server answered for {host}, so webdig cannot tell whether it points at your server.")),  # noqa: E501
    ),
    "headline.answers": (v(N_("{host} ({type}): {groups}.")),),
    "headline.no-reply": (v(N_("No server answered for {host}.")),),
    "note.pasted-command": (
        v(N_("Read as the dig command “{command}”: the form below is filled in from it.")),
    ),
}  # fmt: skip
"""Finding code → its wordings, first match wins."""

LOOKUP_PHRASES: dict[str, tuple[V, ...]] = {
    "consistency.still-answers": (v(N_("{servers} still answers {answer}")),),
    "role.root": (v(N_("a root server")),),
    "role.registry": (v(N_("a server of the .{zone} registry")),),
    "role.zone": (v(N_("a nameserver of {zone}")),),
    "cache.still-answers": (
        v(N_("{server} still answers {answer} for {host} and may serve it for up to {ttl:duration} more (until {until:time})")),  # noqa: E501
    ),
    "headline.data": (
        v(N_("{many} servers answer {data}"), "many"),
        v(NP_("{servers} answers {data}", "{servers} answer {data}"), count="count"),
    ),
    "headline.nxdomain": (
        v(N_("{many} servers say it does not exist (NXDOMAIN)"), "many"),
        v(NP_("{servers} says it does not exist (NXDOMAIN)", "{servers} say it does not exist (NXDOMAIN)"), count="count"),  # noqa: E501
    ),
    "headline.no-record": (
        v(N_("{many} servers have no {type} record"), "many"),
        v(NP_("{servers} has no {type} record", "{servers} have no {type} record"), count="count"),
    ),
    "headline.silent": (
        v(N_("{many} servers did not reply"), "many"),
        v(N_("{servers} did not reply")),
    ),
}  # fmt: skip
"""Sub-phrase code → wordings (see :mod:`webdig.findings.catalog`)."""
