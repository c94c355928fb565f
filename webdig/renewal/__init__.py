"""The certificate-renewal checklist ("why did my renewal fail?") and its probes.

May import: ``webdig.engine``, ``webdig.lookup``, ``webdig.dig``, ``webdig.errors``,
``webdig.settings``, ``webdig.findings``, ``webdig.language``. Only :mod:`webdig.renewal.probe`
opens sockets of its own (HTTP and TLS). Never Flask.
"""
