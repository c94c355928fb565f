"""The OPT PSEUDOSECTION as BIND 9.18's ``dig`` prints it: EDNS version, flags, size, options.

COOKIE, NSID, CLIENT-SUBNET, EXPIRE, TCP KEEPALIVE, PADDING, KEY-TAG, EDE
and the tags are decoded as dig decodes them; any other option, or one dig
cannot parse, prints as bytes (hex, then the printable characters).
"""

from __future__ import annotations

import ipaddress
import struct

import dns.flags
import dns.message

from webdig.dig.multiline import duration

# dig 9.18's names for EDNS options; others print as "OPT=N".
_OPTION_NAMES = {
    1: "LLQ",
    3: "NSID",
    8: "CLIENT-SUBNET",
    9: "EXPIRE",
    10: "COOKIE",
    11: "TCP KEEPALIVE",
    12: "PAD",
    14: "KEY-TAG",
    15: "EDE",
    16: "CLIENT-TAG",
    17: "SERVER-TAG",
}
_EDE_NAMES = (
    "Other", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer",
    "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired",
    "Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing", "No Zone Key Bit Set",
    "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored", "Filtered",
    "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported",
    "No Reachable Authority", "Network Error", "Invalid Data",
)  # fmt: skip


def opt_lines(message: dns.message.Message, *, sent: bool = False) -> list[str]:
    """The OPT PSEUDOSECTION: EDNS version, flags, buffer size, then each option."""
    if message.opt is None:
        return []
    flags = message.ednsflags
    do = " do" if flags & dns.flags.DO else ""
    mbz = flags & 0x7FFF
    udp = f"; MBZ: 0x{mbz:04x}, udp: " if mbz else "; udp: "
    lines = [
        ";; OPT PSEUDOSECTION:",
        f"; EDNS: version: {message.edns}, flags:{do}{udp}{message.payload}",
    ]
    for option in message.options:
        lines.append(_option_line(int(option.otype), option.to_wire() or b"", sent=sent))
    return lines


def _option_line(code: int, data: bytes, *, sent: bool = False) -> str:
    label = f"; {_OPTION_NAMES[code]}:" if code in _OPTION_NAMES else f"; OPT={code}:"
    special = _option_value(code, data)
    if special is not None:
        return label + special
    if not data:
        return label
    if code == 10 and sent:
        return f"{label} {data.hex()}"
    if code == 10:
        # The transport does not hand back the client cookie it sent, so a
        # full server cookie is taken as echoing it, as from any sane server.
        verdict = " (good)" if len(data) >= 16 else " (echoed)" if len(data) == 8 else ""
        return f"{label} {data.hex()}{verdict}"
    if code == 8:  # an ECS option dig cannot parse: bytes only
        return f"{label} {_hexdump(data)}"
    return f'{label} {_hexdump(data)}("{_printable(data)}")'


def _option_value(code: int, data: bytes) -> str | None:
    """The options dig decodes; None means "print the bytes"."""
    if code == 8:
        return _ecs(data)
    if code == 9 and len(data) == 4:
        (seconds,) = struct.unpack("!I", data)
        return f" {seconds} ({duration(seconds)})"
    if code == 11 and len(data) == 2:
        (tenths,) = struct.unpack("!H", data)
        return f" {tenths // 10}.{tenths % 10} secs"
    if code == 12:
        return f" ({len(data)} bytes)" if data else ""
    if code == 14 and data and len(data) % 2 == 0:
        tags = struct.unpack(f"!{len(data) // 2}H", data)
        return ",".join(f" {tag}" for tag in tags)
    if code in (16, 17) and len(data) == 2:
        return f" {struct.unpack('!H', data)[0]}"
    if code == 15:
        return _ede(data)
    return None


def _ede(data: bytes) -> str:
    if len(data) < 2:
        return f' {data[0]:02x} ("{_printable(data)}")' if data else ""
    (info,) = struct.unpack("!H", data[:2])
    text = f" {info}" + (f" ({_EDE_NAMES[info]})" if info < len(_EDE_NAMES) else "")
    extra = data[2:]
    if not extra:
        return text
    try:
        # Valid UTF-8 extra text is shown without the hex dump; control and
        # format characters (bidi overrides, C1 escapes) become dots.
        shown = "".join(ch if ch.isprintable() else "." for ch in extra.decode())
        return f"{text}: ({shown})"
    except UnicodeDecodeError:
        return f"{text}: {_hexdump(extra)}({_printable(extra)})"


def _ecs(data: bytes) -> str | None:
    if len(data) < 4:
        return None
    family, source, scope = struct.unpack("!HBB", data[:4])
    size = (source + 7) // 8
    address = data[4 : 4 + size]
    if len(address) < size:
        return None
    if family == 0 and source == scope == 0:
        return " 0/0/0"
    limits = {1: (32, 4), 2: (128, 16)}
    if family not in limits or max(source, scope) > limits[family][0]:
        return None
    packed = address.ljust(limits[family][1], b"\0")
    shown = ipaddress.ip_address(packed)
    return f" {shown}/{source}/{scope}"


def _hexdump(data: bytes) -> str:
    return "".join(f"{byte:02x} " for byte in data)


def _printable(data: bytes) -> str:
    return "".join(chr(byte) if 0x20 <= byte < 0x7F else "." for byte in data)
