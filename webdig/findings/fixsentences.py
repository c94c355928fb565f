"""What to do: the fix that goes with a checklist finding, where to press renew, host retries."""

from __future__ import annotations

from webdig.findings.markers import N_, V, v

FIXES: dict[str, tuple[V, ...]] = {
    # The last step of every fix: where to press renew, by hosting company.
    "fix.press-renew": (
        v(N_("When that is fixed, open Server Panel → [SSL settings] and press [Renew]."), "host=xserver"),  # noqa: E501
        v(N_("When that is fixed, open the Control Panel → [Domain/SSL] and press [Renew]."), "host=sakura"),  # noqa: E501
        v(N_("When that is fixed, open the user page → [Security] → [Free SSL] and press [Renew]."), "host=lolipop"),  # noqa: E501
        v(N_("When that is fixed, open the Control Panel → [Site management] → [Site security] → [Free SSL] and press [Renew]."), "host=conoha"),  # noqa: E501
        v(N_("When that is fixed, press [Renew] in your hosting panel's SSL settings.")),
    ),
    "fix.confirm-expiry": (
        v(N_("Then open your site in the browser and check that the certificate's expiry date has moved about 90 days ahead.")),  # noqa: E501
    ),
    "renewal.retries": (
        v(N_("{host} renews the certificate by itself {days} days before it expires: on {dates:day}."), "dates"),  # noqa: E501
        v(N_("Your hosting company also renews the certificate by itself before it expires: if you do not press renew now, it tries again on its own.")),  # noqa: E501
    ),
    "fix.renew-domain": (
        v(N_("Check the domain's expiry date at your registrar and renew it; after renewal it can take a few hours to come back.")),  # noqa: E501
    ),
    "fix.check-registrar": (v(N_("Check the domain at your registrar.")),),
    "fix.renew-before-expiry": (
        v(N_("Renew the domain at your registrar, or turn on its automatic renewal, before it expires.")),  # noqa: E501
    ),
    "fix.release-hold": (
        v(N_("Ask your registrar why the domain is on hold and have the hold lifted: registrars hold a domain whose owner's e-mail address was not confirmed, whose fee was not paid, or that was reported for abuse.")),  # noqa: E501
    ),
    "fix.restore-domain": (
        v(N_("Ask your registrar to restore the domain now (a restore fee applies): once it is deleted, anyone can register it.")),  # noqa: E501
    ),
    "fix.remove-ds": (
        v(N_("Remove the DS record for {zone} at your registrar (お名前.com, Xserverドメイン …), or have your DNS provider sign the zone. Resolvers may keep the old DS record for up to {ttl:duration} after it is removed."), "ttl"),  # noqa: E501
        v(N_("Remove the DS record for {zone} at your registrar (お名前.com, Xserverドメイン …), or have your DNS provider sign the zone.")),  # noqa: E501
    ),
    "fix.replace-ds": (
        v(N_("Replace the DS record for {zone} at your registrar with the one for the key your nameservers serve now ({ds:semicolon}), or remove it if you no longer use DNSSEC."), "ds"),  # noqa: E501
        v(N_("Replace the DS record for {zone} at your registrar with the one your DNS provider shows for the current key, or remove it if you no longer use DNSSEC.")),  # noqa: E501
    ),
    "fix.resign-zone": (
        v(N_("Ask your DNS provider to sign {zone} again (its signatures must be renewed automatically); if you no longer use DNSSEC, remove the DS record at your registrar instead.")),  # noqa: E501
    ),
    "fix.resign-before-expiry": (
        v(N_("Before {expiry:day}, sign {zone} again (or ask your DNS provider to), and check that its automatic signing runs: a signing job that stopped, or a panel that signed the zone only once, is the usual cause. If you no longer want DNSSEC, remove the DS record at your registrar first, and remove the keys from the zone only {ttl:duration} later, when resolvers have forgotten the DS record: removing the keys first makes every look-up fail at once."), "ttl"),  # noqa: E501
        v(N_("Before {expiry:day}, sign {zone} again (or ask your DNS provider to), and check that its automatic signing runs: a signing job that stopped, or a panel that signed the zone only once, is the usual cause. If you no longer want DNSSEC, remove the DS record at your registrar first, and remove the keys from the zone only when resolvers have forgotten the DS record (after its TTL, often a day): removing the keys first makes every look-up fail at once.")),  # noqa: E501
    ),
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
    "fix.dns01-add": (
        v(N_("Add a TXT record at {name} with the value your hosting panel or ACME client shows (in the panel's host name field, enter only {label}: the panel adds {zone} itself)."), "label"),  # noqa: E501
        v(N_("Check that your ACME client or DNS-01 service (such as acme-dns) updates the TXT record at {name}.")),  # noqa: E501
    ),
    "fix.dns01-move": (
        v(N_("Create the TXT record at {name}: in the panel's host name field, enter only {label} (the panel adds {zone} itself). The record at {found} is read by nobody and can then be deleted.")),  # noqa: E501
    ),
    "fix.dns01-wait": (
        v(N_("After adding it, wait {wait:duration} before pressing renew, so that no resolver still remembers the old \"no record\" answer.")),  # noqa: E501
    ),
    "fix.dns01-alias": (
        v(N_("Point the alias (CNAME) at {name} to the name your DNS-01 service (such as acme-dns) gave you; {target} is not usable.")),  # noqa: E501
    ),
    "fix.dns01-same": (
        v(N_("Make every nameserver answer the same TXT records at {name} (a secondary that has not copied the zone yet, or a record added at only one DNS provider), then press renew.")),  # noqa: E501
    ),
    "fix.remove-forwarding": (
        v(N_("Remove the site forwarding (サイト転送) setting in your hosting panel while renewing, or exclude /.well-known/acme-challenge/ from it.")),  # noqa: E501
    ),
    "fix.remove-restriction": (
        v(N_("Turn off the access restriction (アクセス制限: Basic authentication or an IP allow/deny list) while renewing, or exempt /.well-known/acme-challenge/ from it.")),  # noqa: E501
    ),
    "fix.allow-letsencrypt": (
        v(N_("Allow Let's Encrypt's validation server through the WAF, robot blocking or country restriction (国外IPアクセス制限) in your hosting panel, or exempt /.well-known/acme-challenge/ from them, while renewing.")),  # noqa: E501
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
        v(N_("Check that every other item of this checklist passes: the certificate is renewed only when they all do.")),  # noqa: E501
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
    "fix.retry-once": (
        v(N_("Let's Encrypt allows only 5 failed validations per name per hour, so fix this first, then press renew once: retrying while it still fails only makes you wait.")),  # noqa: E501
    ),
    "fix.same-certificate": (v(N_("Make every address serve the renewed certificate.")),),
    "fix.ca-status-page": (v(N_("Look at {url} before pressing renew.")),),
    "fix.ca-wait": (
        v(N_("Wait until {url} shows all systems operational, then press renew again.")),
    ),
}  # fmt: skip
"""Finding code → its wordings, first match wins."""
