"""The renewal checklist's sentences: each item's findings, the summary, their sub-phrases."""

from __future__ import annotations

from webdig.findings.markers import N_, NP_, V, v

CHECKLIST: dict[str, tuple[V, ...]] = {
    # The renewal checklist, item by item.  Per-address sentences start "On <addresses>, ".
    "summary.cause": (v(N_("Most likely cause:")),),
    "summary.attention": (v(N_("Nothing blocks the renewal for sure, but:")),),
    "summary.more": (v(NP_("({count} more item below.)", "({count} more items below.)"), count="count"),),  # noqa: E501
    "summary.busy": (
        v(N_("Not every item could be checked: webdig is busy; try again in {wait} s.")),
    ),
    "summary.names": (
        v(NP_("Let's Encrypt refuses the whole certificate when one name fails: {names:unit} fails.", "Let's Encrypt refuses the whole certificate when one name fails: {names:unit} fail."), "level=fail", count="count"),  # noqa: E501
        v(N_("This concerns {names:unit}.")),
    ),
    "names.counterpart-absent": (
        v(N_("{host} does not exist: fine if your certificate does not include it.")),
    ),
    "names.wildcard": (
        v(N_("The certificate also covers {name}: a wildcard name, which Let's Encrypt validates only through DNS (DNS-01), so webdig checks its TXT record (the dns-01 item) instead of probing it.")),  # noqa: E501
    ),
    "names.not-checked": (
        v(NP_("{names:unit} was not checked: one check covers at most {limit} names.", "{names:unit} were not checked: one check covers at most {limit} names."), count="count"),  # noqa: E501
    ),
    "summary.ready": (
        v(N_("Everything Let's Encrypt checks looks right. Press renew in your hosting panel, then open your site and check that the certificate's expiry date moved.")),  # noqa: E501
    ),
    "domain.missing": (
        v(N_("{host} does not exist in DNS (only {zone} answers): the domain is not registered, has expired, or the registry has suspended it."), "zone"),  # noqa: E501
        v(N_("{host} does not exist in DNS: the domain is not registered, has expired, or the registry has suspended it.")),  # noqa: E501
    ),
    "domain.unconfirmed": (
        v(N_("Could not confirm that the registry delegates {zone}: {problems:sentences}"), "problems"),  # noqa: E501
        v(N_("Could not confirm that the registry delegates {zone}: the registry's servers gave no delegation")),  # noqa: E501
    ),
    "domain.delegated": (v(N_("The registry delegates {zone} to {nameservers:unit}.")),),
    # The registration (RDAP, or WHOIS for .jp): part of the domain-exists item.
    "registration.active": (
        v(N_("{domain} is registered at {registrar} until {expiry:day} ({days:days} left)."), "registrar", "expiry"),  # noqa: E501
        v(N_("{domain} is registered until {expiry:day} ({days:days} left)."), "expiry"),
        v(N_("{domain} is registered at {registrar}; the registry gives no expiry date."), "registrar"),  # noqa: E501
        v(N_("{domain} is registered; the registry gives no expiry date.")),
    ),
    "registration.expiring": (
        v(N_("{domain} expires on {expiry:day} ({days:days} left): renew it at {registrar} before then, or the site and its certificate stop working."), "registrar"),  # noqa: E501
        v(N_("{domain} expires on {expiry:day} ({days:days} left): renew it at your registrar before then, or the site and its certificate stop working.")),  # noqa: E501
    ),
    "registration.expired": (
        v(N_("{domain} expired on {expiry:day} ({days:days} ago); its registrar is {registrar}. An expired domain stops resolving, and Let's Encrypt cannot validate it."), "registrar"),  # noqa: E501
        v(N_("{domain} expired on {expiry:day} ({days:days} ago). An expired domain stops resolving, and Let's Encrypt cannot validate it.")),  # noqa: E501
    ),
    "registration.suspended": (
        v(N_("The registry lists {domain} as {statuses:semicolon}: the domain does not work until this is resolved.")),  # noqa: E501
    ),
    "registration.statuses": (v(N_("Status at the registry: {statuses:semicolon}.")),),
    "registration.not-registered": (
        v(N_("The registry's server {server} has no record of {domain}: it is not registered, or it has been deleted.")),  # noqa: E501
    ),
    "registration.unavailable": (
        v(N_("webdig could not read the registration of {domain} from the registry's {protocol} server {server} ({reason}), so its expiry date was not checked.")),  # noqa: E501
    ),
    "registration.no-service": (
        v(N_("The registry of .{tld} has no RDAP service and no WHOIS server webdig can read, so the expiry date of {domain} was not checked.")),  # noqa: E501
    ),
    "registration.no-bootstrap": (
        v(N_("IANA's list of registry servers ({server}) could not be read ({reason}), so the expiry date of {domain} was not checked.")),  # noqa: E501
    ),
    "registration.not-checked": (
        v(N_("This webdig is not set up to ask registries (WEBDIG_RDAP_BOOTSTRAP_URL is empty), so the expiry date of {domain} was not checked.")),  # noqa: E501
    ),
    "dnssec.unsigned": (
        v(N_("{zone} is not signed with DNSSEC, and the registry publishes no DS record for it: resolvers have nothing to validate.")),  # noqa: E501
    ),
    "dnssec.keys-without-ds": (
        v(N_("The nameservers of {zone} serve DNSKEY records, but the registry publishes no DS record, so resolvers treat the zone as unsigned: this does not stop the renewal.")),  # noqa: E501
    ),
    "dnssec.valid": (
        v(N_("DNSSEC is valid for {zone}: the registry's DS record matches the key its nameservers serve (key tag {tags:unit}, {algorithms:unit}), and the signatures are valid until {expiry:day}."), "expiry"),  # noqa: E501
        v(N_("DNSSEC is valid for {zone}: the registry's DS record matches the key its nameservers serve (key tag {tags:unit}, {algorithms:unit}), and the signatures are valid.")),  # noqa: E501
    ),
    "dnssec.no-dnskey": (
        v(N_("The registry still publishes a DS record for {zone}, but your nameservers ({servers:unit}) serve no DNSKEY: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.ds-algorithm": (
        v(N_("The registry's DS record for {zone} is for algorithm {ds_algorithms:or}, but {servers:unit} sign the zone with {key_algorithms:unit} only: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.ds-mismatch": (
        v(N_("The registry's DS record for {zone} (key tag {ds_tags:or}) matches none of the keys {servers:unit} serve (key tag {key_tags:unit}): every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.expired": (
        v(N_("On {servers:unit}, the DNSSEC signatures on {records:unit} expired on {expiry:day}: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.expiring": (
        v(N_("The DNSSEC signatures on {records:unit} (key tag {tags:unit}) expire on {expiry:day} at {expiry:time}, in {left:duration}. Signers renew signatures well before that, so the zone's signer may have stopped: unless {zone} is signed again by then, every validating resolver, Let's Encrypt's included, answers SERVFAIL from that moment."), "tags"),  # noqa: E501
        v(N_("The DNSSEC signatures on {records:unit} expire on {expiry:day} at {expiry:time}, in {left:duration}. Signers renew signatures well before that, so the zone's signer may have stopped: unless {zone} is signed again by then, every validating resolver, Let's Encrypt's included, answers SERVFAIL from that moment.")),  # noqa: E501
    ),
    "dnssec.not-yet-valid": (
        v(N_("On {servers:unit}, the DNSSEC signatures on {records:unit} are not valid before {start:day}: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.bad-signature": (
        v(N_("On {servers:unit}, the DNSSEC signatures on {records:unit} do not verify with the zone's keys: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.unsigned-records": (
        v(N_("On {servers:unit}, {records:unit} carry no DNSSEC signature, although the registry publishes a DS record for {zone}: every validating resolver, Let's Encrypt's included, answers SERVFAIL.")),  # noqa: E501
    ),
    "dnssec.unsupported": (
        v(N_("The registry's DS record for {zone} uses {algorithms:unit}, which webdig cannot validate (resolvers that cannot either treat the zone as unsigned).")),  # noqa: E501
    ),
    "dnssec.silent": (
        v(N_("{servers:unit} did not answer, so webdig could not check their keys and signatures.")),  # noqa: E501
    ),
    "dnssec.no-replies": (
        v(N_("No nameserver of {zone} answered the DNSKEY question, so webdig cannot tell whether its DNSSEC is valid.")),  # noqa: E501
    ),
    "dnssec.registry-silent": (
        v(N_("The registry's servers did not answer whether {zone} has a DS record, so webdig cannot check DNSSEC.")),  # noqa: E501
    ),
    "dnssec.no-zone": (v(N_("The zone of {host} was not found, so DNSSEC was not checked.")),),
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
    "dns01.present": (
        v(N_("{name} is an alias (CNAME) for {target}, and every nameserver of {zone} ({nameservers:unit}) answers its TXT record: {values:unit}."), "target"),  # noqa: E501
        v(N_("Every nameserver of {zone} ({nameservers:unit}) answers the TXT record at {name}: {values:unit}.")),  # noqa: E501
    ),
    "dns01.missing": (
        v(N_("{name} is an alias (CNAME) for {target}, and the nameservers of {zone} ({nameservers:unit}) have no TXT record there, so Let's Encrypt finds none."), "target"),  # noqa: E501
        v(N_("{name} does not exist at the nameservers of {zone} ({nameservers:unit}), so Let's Encrypt finds no TXT record there."), "rcode=NXDOMAIN"),  # noqa: E501
        v(N_("The nameservers of {zone} ({nameservers:unit}) have no TXT record at {name}, so Let's Encrypt finds none.")),  # noqa: E501
    ),
    "dns01.between-renewals": (
        v(N_("That is normal between renewals when your hosting company or ACME client adds the record only while it renews; if you add it yourself, add it before pressing renew.")),  # noqa: E501
    ),
    "dns01.negative-cache": (
        v(N_("Resolvers that have asked already, Let's Encrypt's included, may keep this \"no record\" answer for up to {wait:duration} (the negative-cache time of {zone}: the smaller of its SOA record's TTL and minimum).")),  # noqa: E501
    ),
    "dns01.doubled": (
        v(N_("The TXT record was created at {found} instead of {name}: the name was typed with a part the panel adds by itself, so Let's Encrypt does not find it.")),  # noqa: E501
    ),
    "dns01.alias-missing": (
        v(N_("{name} is an alias (CNAME) for {target}, which does not exist at the nameservers of {zone} ({nameservers:unit}), so Let's Encrypt finds no TXT record.")),  # noqa: E501
    ),
    "dns01.alias-broken": (
        v(N_("{name} is an alias (CNAME) for {target}, but the nameservers of {target} cannot be asked: {problem}.")),  # noqa: E501
    ),
    "dns01.alias-loop": (
        v(N_("The aliases (CNAME) from {name} go round in a loop or go on for more than {limit} steps, so Let's Encrypt stops following them.")),  # noqa: E501
    ),
    "dns01.differ": (
        v(N_("The nameservers answer differently for {name} ({answers:semicolon}). Let's Encrypt may ask any of them, so validation fails whenever it asks one without the right record.")),  # noqa: E501
    ),
    "dns01.silent": (
        v(N_("{servers:unit} gave no answer for {name} ({problems:semicolon}), so its TXT record could not be compared there.")),  # noqa: E501
    ),
    "dns01.no-replies": (
        v(N_("No nameserver of {zone} answered for {name}, so webdig cannot tell whether the TXT record is there.")),  # noqa: E501
    ),
    "dns01.not-asked": (v(N_("The nameservers of {name} could not be asked: {problem}.")),),
    "web.no-address": (v(N_("{host} has no address.")),),
    "web.no-addresses": (
        v(N_("{host} has no address to connect to: {problems:sentences}"), "problems"),
        v(N_("{host} has no address to connect to (it has no A or AAAA record).")),
    ),
    "web.not-allowed": (v(N_("On {addresses}, {reason}.")),),
    "web.families-differ": (v(N_("IPv4 and IPv6 behave differently.")),),
    "web.reach-only": (
        v(N_("Port {port} accepts connections on {addresses:unit}. For addresses you did not give as your server, webdig only tries a connection."), "addresses"),  # noqa: E501
        v(N_("No address was tried. For addresses you did not give as your server, webdig only tries a connection.")),  # noqa: E501
    ),
    "web.reach-none": (v(N_("Nothing accepts connections on port {port} of {host}.")),),
    "web.not-probed": (
        v(NP_("{count} more address was not probed (at most {per_family} per address family and {per_check} per check).", "{count} more addresses were not probed (at most {per_family} per address family and {per_check} per check)."), count="count"),  # noqa: E501
    ),
    "check.busy": (
        v(N_("Not checked: webdig is busy; try again in {wait} s. webdig limits how many queries and connections it sends to each server, to protect other people's servers.")),  # noqa: E501
    ),
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
    "http.blocks-letsencrypt": (
        v(N_("On {addresses}, your server answers browsers but refuses Let's Encrypt: the challenge path answers {answer} to Let's Encrypt's User-Agent but {browser} to a browser's. A WAF rule or a country/robot block is doing this.")),  # noqa: E501
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
    "http.not-used": (
        v(N_("Your renewal uses DNS-01, so Let's Encrypt does not fetch this file: this item cannot block it and is shown for reference only.")),  # noqa: E501
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
        v(N_("On {addresses}, the certificate from {issuer} has {days:days} left of its {lifetime:days} (valid until {expiry:date}). Hosts renew it with more than a fifth of its lifetime left (20 to 30 days before expiry for a 90-day certificate), so auto-renewal has failed at least once.")),  # noqa: E501
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
}  # fmt: skip
"""Finding code → its wordings, first match wins."""

CHECKLIST_PHRASES: dict[str, tuple[V, ...]] = {
    "dns01.answer-txt": (v(N_("{servers:unit}: TXT {values:unit}")),),
    "dns01.answer-alias": (v(N_("{servers:unit}: an alias (CNAME) for {target}")),),
    "dns01.answer-nxdomain": (v(N_("{servers:unit}: does not exist (NXDOMAIN)")),),
    "dns01.answer-nodata": (v(N_("{servers:unit}: no TXT record")),),
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
    # Why a registry could not be read (registration.unavailable, registration.no-bootstrap).
    "registry.no-answer": (v(N_("no answer: {error}")),),
    "registry.http-status": (v(N_("it answered HTTP {status}")),),
    "registry.too-large": (v(N_("its answer is larger than {kb} KB")),),
    "registry.unreadable": (v(N_("its answer could not be read")),),
    # Registry statuses (RFC 8056) in plain words.
    "status.active": (v(N_("active")),),
    "status.inactive": (v(N_("inactive: no nameservers are set (inactive)")),),
    "status.client-hold": (v(N_("on hold by the registrar, which takes it out of DNS (client hold)")),),  # noqa: E501
    "status.server-hold": (v(N_("on hold by the registry, which takes it out of DNS (server hold)")),),  # noqa: E501
    "status.redemption-period": (v(N_("expired and about to be deleted; the registrar can still restore it, for a fee (redemption period)")),),  # noqa: E501
    "status.pending-delete": (v(N_("about to be deleted (pending delete)")),),
    "status.pending-restore": (v(N_("being restored after it expired (pending restore)")),),
    "status.pending-transfer": (v(N_("moving to another registrar (pending transfer)")),),
    "status.pending-renew": (v(N_("being renewed (pending renew)")),),
    "status.pending-update": (v(N_("being changed (pending update)")),),
    "status.pending-create": (v(N_("being registered (pending create)")),),
    "status.client-transfer-prohibited": (v(N_("locked against transfer by the registrar (client transfer prohibited)")),),  # noqa: E501
    "status.server-transfer-prohibited": (v(N_("locked against transfer by the registry (server transfer prohibited)")),),  # noqa: E501
    "status.client-update-prohibited": (v(N_("locked against changes by the registrar (client update prohibited)")),),  # noqa: E501
    "status.server-update-prohibited": (v(N_("locked against changes by the registry (server update prohibited)")),),  # noqa: E501
    "status.client-delete-prohibited": (v(N_("locked against deletion by the registrar (client delete prohibited)")),),  # noqa: E501
    "status.server-delete-prohibited": (v(N_("locked against deletion by the registry (server delete prohibited)")),),  # noqa: E501
    "status.client-renew-prohibited": (v(N_("renewal blocked by the registrar (client renew prohibited)")),),  # noqa: E501
    "status.server-renew-prohibited": (v(N_("renewal blocked by the registry (server renew prohibited)")),),  # noqa: E501
    "status.auto-renew-period": (v(N_("just renewed automatically (auto renew period)")),),
    "status.renew-period": (v(N_("just renewed (renew period)")),),
    "status.add-period": (v(N_("just registered (add period)")),),
    "status.transfer-period": (v(N_("just moved to another registrar (transfer period)")),),
    "status.locked": (v(N_("locked by the registry (locked)")),),
    "status.reserved": (v(N_("reserved, not yet in use (reserved)")),),
    "status.other": (v(N_("{status}")),),
}  # fmt: skip
"""Sub-phrase code → wordings (see :mod:`webdig.findings.catalog`)."""
