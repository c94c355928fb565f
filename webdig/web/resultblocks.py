"""The result page's blocks: one (hostname × server) reply with its heading, marked answer
lines and dig texts, and the blocks grouped by the role of the servers asked."""

from __future__ import annotations

import re
from dataclasses import dataclass

import dns.name
import dns.rdatatype
import dns.rrset

from webdig.dig.display import from_flags
from webdig.dig.message import dig_command, record_lines, render_full, render_short
from webdig.engine.result import QueryResult
from webdig.language.message import Message
from webdig.lookup.answers import Verdict, follow_chain
from webdig.lookup.block import Block
from webdig.lookup.delegation import shown as zone_text
from webdig.lookup.modes import Role
from webdig.lookup.params import Flag, LookupParams

RCODE_WORDS = {
    "NOERROR": Message("the server answered"),
    "NXDOMAIN": Message("this name does not exist"),
    "SERVFAIL": Message("the server failed to find an answer"),
    "REFUSED": Message("the server refused to answer this question"),
    "NOTIMP": Message("the server does not support this kind of question"),
    "FORMERR": Message("the server could not read the question"),
}
"""What dig's status means, in a few words, for the line under each block's heading."""

# A dig record line: owner, TTL, class, type, then the data (which may hold
# spaces); dig separates the first four with tabs, or a space after a long owner.
_COLUMNS = re.compile(r"([\t ]+)")
_COLUMN_NAMES = ("owner", "ttl", "class", "type", "data")


@dataclass(frozen=True)
class Line:
    """One ANSWER SECTION line and whether it is the address the user expected."""

    text: str
    mark: bool | None
    """True: matches the expected address; False: does not; None: not judged."""
    columns: tuple[tuple[str, str], ...]
    """(kind, text) pieces for ``colorize=on``; kind is a column name or ``gap``."""
    outside: bool = False
    """The record's name is not the question's (nor an alias of it): not part of the answer."""


@dataclass(frozen=True)
class ShownBlock:
    """One (hostname × server) block, ready for the template."""

    block: Block
    heading: str
    answer: list[Line]
    short: str | None
    full: str
    command: str | None
    status_words: str
    referral: list[str]
    """For a registry server's referral: the delegation's NS and glue lines."""

    @property
    def verdict(self) -> Verdict | None:
        """The block's verdict, when ``expected`` was given and the type is A/AAAA."""
        return self.block.verdict


@dataclass(frozen=True)
class BlockGroup:
    """The blocks of one role (resolvers, the domain's nameservers, the registry…)."""

    role: str
    """A block mode (``resolver``, ``self``, ``auth``, ``nic``), or ``companion``."""
    blocks: list[tuple[int, ShownBlock]]
    """(1-based position on the page, block)."""
    registry: str = ""
    """For ``nic``: the zones the registry's servers speak for, e.g. ``.lab``."""


def group_blocks(shown: list[ShownBlock]) -> list[BlockGroup]:
    """Blocks by role, roles in the order they first appear, the other address family last."""
    roles: dict[str, list[ShownBlock]] = {}
    for item in shown:
        roles.setdefault("companion" if item.block.companion else item.block.mode, []).append(item)
    if "companion" in roles:
        roles["companion"] = roles.pop("companion")
    groups, position = [], 0
    for role, items in roles.items():
        numbered = list(enumerate(items, start=position + 1))
        position += len(items)
        zones = (_registry_zone(item.block.result) for item in items) if role == Role.NIC else ()
        groups.append(BlockGroup(role, numbered, ", ".join(dict.fromkeys(z for z in zones if z))))
    return groups


def _registry_zone(result: QueryResult) -> str | None:
    """The zone a registry server speaks for, read from its reply.

    ``.lab`` for a referral to ``moved.lab`` (the parent of the delegated
    zone), or the zone of the SOA it sends with NXDOMAIN.
    """
    for rrset in result.authority:
        if rrset.rdtype == dns.rdatatype.SOA:
            zone = rrset.name
        elif rrset.rdtype == dns.rdatatype.NS and rrset.name != dns.name.root:
            zone = rrset.name.parent()
        else:
            continue
        return "the root" if zone == dns.name.root else "." + zone_text(zone.to_text())
    return None


def shown_block(block: Block, params: LookupParams) -> ShownBlock:
    """Heading, marked answer lines and dig texts of one block."""
    result, query = block.result, block.query
    server = query.server
    display = from_flags(params.flag)
    hostname = query.hostname
    # An IDN reads as typed (U-label) with the A-label that went on the wire next to it.
    shown_name = (
        f"{hostname.text} ({hostname.ascii.rstrip('.')})" if hostname.is_idn else hostname.text
    )
    heading = f"{shown_name}@{server.label}"
    port = "" if server.port == 53 else f"port {server.port}"
    if server.label != server.address:
        heading += f" ({server.address} {port})" if port else f" ({server.address})"
    elif port:
        heading += f" ({port})"
    chain = {name.to_text().lower() for name in follow_chain(result)[0]}
    answer = [line for rrset in result.answer for line in _lines(rrset, block.verdict, chain)]
    sort = params.flag(Flag.SORT)
    if sort:
        answer.sort(key=lambda line: line.text)
    status = result.rcode or "no reply"
    words: str = RCODE_WORDS.get(status, "")
    referral = _referral(result) if block.mode == Role.NIC and not answer else []
    if referral:
        words = Message(
            "the server answered with the delegation: the nameservers it sends resolvers to"
        )
    elif status == "NOERROR" and not answer:
        words = Message(
            "the server answered, but has no {type} record for this name", type=query.type_text
        )
    return ShownBlock(
        block=block,
        heading=heading,
        answer=answer,
        short=render_short(result, display, sort=sort) if params.flag(Flag.SHORT) else None,
        full=render_full(result, display=display, sort=sort),
        command=dig_command(query, display) if params.flag(Flag.SHOWCOMMAND) else None,
        status_words=words,
        referral=referral,
    )


def _referral(result: QueryResult) -> list[str]:
    """The NS lines of a referral and the glue addresses that come with them."""
    ns = [rrset for rrset in result.authority if rrset.rdtype == dns.rdatatype.NS]
    hosts = {rdata.target for rrset in ns for rdata in rrset}
    glue = [
        rrset
        for rrset in result.additional
        if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA) and rrset.name in hosts
    ]
    return [line for rrset in [*ns, *glue] for line in record_lines(rrset)]


def _lines(rrset: dns.rrset.RRset, verdict: Verdict | None, chain: set[str]) -> list[Line]:
    owner = rrset.name.to_text().lower()
    # A record whose owner is not the question (or an alias it leads to) does
    # not answer it: a lying server may slip one in to poison caches.
    outside = bool(chain) and owner not in chain
    lines = []
    for text, rdata in zip(record_lines(rrset), rrset, strict=False):
        mark = verdict.mark(owner, rrset.rdtype, rdata.to_text()) if verdict else None
        pieces = _COLUMNS.split(text, maxsplit=len(_COLUMN_NAMES) - 1)
        names = iter(_COLUMN_NAMES)
        columns = tuple(
            ("gap", piece) if index % 2 else (next(names), piece)
            for index, piece in enumerate(pieces)
        )
        lines.append(Line(text, mark, columns, outside))
    return lines
