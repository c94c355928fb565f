"""``dig +trace`` text for a :class:`~webdig.lookup.trace.Trace`."""

from __future__ import annotations

import dns.rdatatype

from webdig.dig.records import record_lines
from webdig.lookup.trace import Trace, TraceStep


def render_trace(walk: Trace) -> str:
    """The walk as dig +trace prints it: each step's records, then where they came from."""
    command = dig_command_for(walk)
    lines = ["", f"; <<>> webdig <<>> {command}", ";; global options: +cmd"]
    for step in walk.steps:
        lines.extend(step_lines(step))
        if step.result.error is None:
            lines.append("")
    if walk.problem:
        lines.append(f";; webdig: the trace stopped: {walk.problem}")
    return "\n".join(lines).rstrip("\n") + "\n"


def step_lines(step: TraceStep) -> list[str]:
    """One step as dig +trace prints it: its records and where they came from, or the failure."""
    result = step.result
    server = result.query.server
    if result.error is not None:
        return [result.error.dig_line]
    return [
        *(line for rrset in step.records for line in record_lines(rrset)),
        f";; Received {result.wire_size} bytes from {server.endpoint()}"
        f"({server.label}) in {result.elapsed_ms} ms",
    ]


def dig_command_for(walk: Trace) -> str:
    """The dig arguments of the trace, e.g. ``+trace www.example.com A``."""
    name = walk.hostname.ascii.rstrip(".") or "."
    return f"+trace {name} {dns.rdatatype.to_text(walk.rdtype)}"
