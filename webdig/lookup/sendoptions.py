"""dig's options that change what is sent (``+tcp``, ``+bufsize``, ``+subnet``, ``+retry``…),
read from look-up parameters and validated into :class:`~webdig.engine.query.QueryOptions`."""

from __future__ import annotations

from webdig.engine.query import QueryOptions, parse_subnet
from webdig.errors import InputError
from webdig.lookup.params import DigFlag, DigValue, Flag, LookupParams

MAX_RETRY = 5
MAX_TIME = 10


def query_options(params: LookupParams) -> QueryOptions:
    """The dig options of ``params`` that change what is sent, validated."""
    bufsize = _number(params, DigValue.BUFSIZE, 0, 65535, "+bufsize=4096")
    retry = _number(params, DigValue.RETRY, 0, MAX_RETRY, "+retry=2")
    seconds = _number(params, DigValue.TIME, 1, MAX_TIME, "+time=3")
    subnet = params.value(DigValue.SUBNET)
    return QueryOptions(
        tcp=params.flag(Flag.TCP),
        recurse=not params.flag(Flag.NORECURSIVE),
        dnssec=params.flag(Flag.DNSSEC),
        nsid=params.flag(Flag.NSID),
        cd=params.flag(DigFlag.CD),
        adflag=not params.flag(DigFlag.NOADFLAG),
        edns=not params.flag(DigFlag.NOEDNS),
        bufsize=1232 if bufsize is None else bufsize,
        cookie=not params.flag(DigFlag.NOCOOKIE),
        subnet=None if subnet is None else _subnet(subnet),
        tries=None if retry is None else retry + 1,
        timeout=None if seconds is None else float(seconds),
    )


def _subnet(text: str) -> str:
    try:
        return parse_subnet(text)
    except InputError as exc:
        raise InputError(exc.message, str(DigValue.SUBNET)) from exc


def _number(params: LookupParams, name: DigValue, low: int, high: int, example: str) -> int | None:
    text = params.value(name)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise InputError(
            f"+{name}={text[:12]} is not allowed: give a whole number from {low} to {high}, "
            f"for example {example}.",
            field=str(name),
        )
    return int(text)
