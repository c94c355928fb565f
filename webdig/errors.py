"""The exceptions webdig's core raises.

Every error derives from :class:`WebdigError`, as in dnspython's
``dns.exception``.  DNS outcomes (timeouts, SERVFAIL, garbage replies) are
*not* exceptions: they are data on a :class:`webdig.engine.result.QueryResult`.
Exceptions are kept for input that cannot become a query at all.
"""

from __future__ import annotations


class WebdigError(Exception):
    """Base class of every error webdig raises on purpose."""


class InputError(WebdigError):
    """A value typed by the user cannot be used; ``message`` is shown to them.

    ``field`` names the form/query-string field the value came from, so the
    page can put the message next to it and the API can key it in ``fields``.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PolicyError(InputError):
    """A nameserver address the target policy does not allow webdig to query."""
