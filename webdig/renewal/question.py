"""What a renewal check asks: the names, the server they should point at, ``only``,
``method`` and the cause a pasted failure named.

Read in one place from a query string or a form (:meth:`CheckQuestion.from_values`), and
written in one place as the canonical query string of a shareable link
(:meth:`CheckQuestion.query_string`): the page, the API, saved results, watches and the
CLI all pass this one object around.  Pure data: no Flask, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable
from urllib.parse import urlencode

from webdig.errors import InputError
from webdig.lookup.params import split_lines
from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import Cause, Decoded, domains_to_check, read_cause
from webdig.renewal.report import RenewalReport

TRUE = ("on", "1", "true", "yes")
"""``only=`` values that switch it on (a checkbox sends ``on``)."""


def switched_on(value: str | None) -> bool:
    """Whether an ``only=`` value switches it on (one of :data:`TRUE`, any case)."""
    return (value or "").strip().lower() in TRUE


@runtime_checkable
class MultiValues(Protocol):
    """A query string or form with repeated names (werkzeug's ``MultiDict``)."""

    def get(self, key: str, /) -> str | None:
        """The first value of ``key``."""

    def getlist(self, key: str) -> list[str]:
        """Every value of ``key``, in order."""


@dataclass(frozen=True)
class CheckQuestion:
    """One renewal check's question, as asked (the report holds what was found)."""

    domains: tuple[str, ...] = ()
    """The names as typed, one each, in order (none: the form is empty)."""
    expected: tuple[str, ...] = ()
    """The server's addresses or names, as typed, one each."""
    only: bool = False
    """Only the names typed: no counterparts, no certificate names."""
    method: str = str(Method.AUTO)
    """``auto`` or ``dns-01``; anything else is kept as given, for the check to refuse next
    to its field."""
    cause: Cause | None = None
    """What the pasted failure mail or error says went wrong (``cause=``), if one was."""

    @classmethod
    def from_values(cls, values: MultiValues | Mapping[str, str]) -> CheckQuestion:
        """The question in a query string or form: ``domain`` repeated or one name per line,
        ``expected`` separated by spaces, commas or lines, ``only``, ``method``, ``cause``.

        Raises :class:`~webdig.lookup.planning.InvalidParams` (field ``cause``) for a cause
        code webdig does not know; every other field is checked when the check runs.
        """
        lines = [line.strip() for value in _every(values, "domain") for line in value.splitlines()]
        cause = (values.get("cause") or "").strip()
        return cls(
            domains=tuple(name for name in lines if name),
            expected=split_lines(" ".join(_every(values, "expected"))),
            only=switched_on(values.get("only")),
            method=_method_text(values.get("method") or ""),
            cause=read_cause(cause) if cause else None,
        )

    @property
    def failure(self) -> Decoded | None:
        """The failure the question names, as a link carries it (its cause alone)."""
        return Decoded(self.cause) if self.cause is not None else None

    def query_items(self) -> list[tuple[str, str]]:
        """The canonical parameters: ``domain`` once per name, then ``expected``, ``only``,
        ``cause`` and ``method`` when they say anything."""
        items = [("domain", name) for name in self.domains]
        if self.expected:
            items.append(("expected", " ".join(self.expected)))
        if self.only:
            items.append(("only", "on"))
        if self.cause is not None:
            items.append(("cause", str(self.cause)))
        if self.method and self.method != Method.AUTO:
            items.append(("method", self.method))
        return items

    def query_string(self) -> str:
        """The query string (without ``?``) of a link that asks this question again."""
        return urlencode(self.query_items())

    def form_fields(self) -> list[tuple[str, str]]:
        """The question as one field per parameter (the names one per line): what a form
        posts back, read as a plain mapping."""
        items = self.query_items()
        names = [value for name, value in items if name == "domain"]
        rest = [(name, value) for name, value in items if name != "domain"]
        return [("domain", "\n".join(names)), *rest] if names else rest

    def with_failure(self, decoded: Decoded | None) -> CheckQuestion:
        """The question a decoded failure text completes: its cause, and its domain when
        none was typed.

        Raises :class:`~webdig.lookup.planning.InvalidParams` (field ``domain``) when
        neither names one, as :func:`~webdig.renewal.failuretext.domains_to_check` does.
        """
        if decoded is None:
            return self
        domains = tuple(name for name in domains_to_check(self.domains, decoded) if name)
        return replace(self, domains=domains, cause=decoded.cause)

    def as_run(self, report: RenewalReport) -> CheckQuestion:
        """The question as ``report`` ran it: its names as understood, its method; the
        addresses as typed (the report keeps only those it understood) and the cause."""
        return replace(
            self, domains=tuple(report.domains), only=report.only, method=str(report.method)
        )


def _every(values: MultiValues | Mapping[str, str], name: str) -> list[str]:
    """Every value of ``name``: a form or query string may repeat it, a mapping holds one."""
    if isinstance(values, MultiValues):
        return list(values.getlist(name))
    value = values.get(name)
    return [value] if value is not None else []


def _method_text(text: str) -> str:
    """``method=`` as the link writes it: the method's own name, or the text as given when it
    names none (the check says why, next to the field)."""
    try:
        return str(Method.from_text(text))
    except InputError:
        return text.strip()
