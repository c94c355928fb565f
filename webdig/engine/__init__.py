"""The DNS engine: names, queries and their results, wire messages, the one transport
module that sends packets, the per-request query session, and the target policy.

May import: ``webdig.errors``, ``webdig.settings``, ``webdig.findings``, ``webdig.language``,
the standard library, dnspython and idna. Never Flask, and nothing from the other areas.
"""

from webdig.engine import bindtypes

# dig names and prints types dnspython does not read: teach it before any reply is read.
bindtypes.register()
