"""The certificate-renewal checklist ("why did my renewal fail?") and its probes.

May import: ``webdig.engine``, ``webdig.lookup``, ``webdig.dig``, ``webdig.errors``,
``webdig.settings``, ``webdig.findings``, ``webdig.language``. Only the probe modules open
sockets of their own: :mod:`webdig.renewal.connection` (TCP under the target policy and a
deadline), :mod:`webdig.renewal.httpfetch` (HTTP) and :mod:`webdig.renewal.tlsprobe` (TLS);
:mod:`webdig.renewal.registryio` talks to registries (RDAP, WHOIS) through them. Never Flask.
"""
