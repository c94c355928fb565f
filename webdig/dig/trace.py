"""``dig +trace`` text for a :class:`~webdig.lookup.trace.Trace`."""

from __future__ import annotations

import dns.rdatatype

from webdig.dig.records import record_lines
from webdig.lookup.trace import Trace


def render_trace(walk: Trace) -> str:
    """The walk as dig +trace prints it: each step's records, then where they came from."""
    command = dig_command_for(walk)
    lines = ["", f"; <<>> webdig <<>> {command}", ";; global options: +cmd"]
    for step in walk.steps:
        result = step.result
        server = result.query.server
        if result.error is not None:
            lines.append(result.error.dig_line)
            continue
        for rrset in step.records:
            lines.extend(record_lines(rrset))
        lines.append(
            f";; Received {result.wire_size} bytes from {server.endpoint()}"
            f"({server.label}) in {result.elapsed_ms} ms"
        )
        lines.append("")
    if walk.problem:
        lines.append(f";; webdig: the trace stopped: {walk.problem}")
    return "\n".join(lines).rstrip("\n") + "\n"


def dig_command_for(walk: Trace) -> str:
    """The dig arguments of the trace, e.g. ``+trace www.example.com A``."""
    name = walk.hostname.ascii.rstrip(".") or "."
    return f"+trace {name} {dns.rdatatype.to_text(walk.rdtype)}"
