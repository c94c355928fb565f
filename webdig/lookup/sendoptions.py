"""dig's options that change what is sent (``+tcp``, ``+bufsize``, ``+subnet``, ``+retry``…),
read from look-up parameters and validated into :class:`~webdig.engine.query.QueryOptions`."""

from __future__ import annotations

import functools

from webdig.engine.query import QueryOptions, parse_subnet
from webdig.errors import InputError
from webdig.lookup.params import DigFlag, DigValue, Flag, LookupParams

MAX_RETRY = 5
MAX_TIME = 10

Given = tuple[tuple[DigValue, str], ...]


def query_options(params: LookupParams) -> QueryOptions:
    """The dig options of ``params`` that change what is sent, validated."""
    return _query_options(params.flags, params.values)


# Nearly every look-up gives the same few options (most none at all): reading a dozen
# of them was a tenth of planning's work.  Both arguments and the result are immutable;
# invalid values raise, and an exception is never cached.
@functools.lru_cache(maxsize=256)
def _query_options(flags: frozenset[Flag | DigFlag], values: Given) -> QueryOptions:
    given = dict(values)
    bufsize = _number(given, DigValue.BUFSIZE, 0, 65535, "+bufsize=4096")
    retry = _number(given, DigValue.RETRY, 0, MAX_RETRY, "+retry=2")
    seconds = _number(given, DigValue.TIME, 1, MAX_TIME, "+time=3")
    subnet = given.get(DigValue.SUBNET)
    return QueryOptions(
        tcp=Flag.TCP in flags,
        recurse=Flag.NORECURSIVE not in flags,
        dnssec=Flag.DNSSEC in flags,
        nsid=Flag.NSID in flags,
        cd=DigFlag.CD in flags,
        adflag=DigFlag.NOADFLAG not in flags,
        # dig sends EDNS for the DO bit, a client subnet or a buffer size even after
        # +noedns, so the banner's "+dnssec +noedns" is what was sent.
        edns=DigFlag.NOEDNS not in flags
        or Flag.DNSSEC in flags
        or subnet is not None
        or bufsize is not None,
        bufsize=1232 if bufsize is None else bufsize,
        cookie=DigFlag.NOCOOKIE not in flags,
        subnet=None if subnet is None else _subnet(subnet),
        tries=None if retry is None else retry + 1,
        timeout=None if seconds is None else float(seconds),
    )


def _subnet(text: str) -> str:
    try:
        return parse_subnet(text)
    except InputError as exc:
        raise InputError(exc.message, str(DigValue.SUBNET)) from exc


def _number(
    given: dict[DigValue, str], name: DigValue, low: int, high: int, example: str
) -> int | None:
    text = given.get(name)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError(
            f"+{name}={text[:12]} is not allowed: give a whole number from {low} to {high}, "
            f"for example {example}.",
            field=str(name),
        )
    return int(text)
