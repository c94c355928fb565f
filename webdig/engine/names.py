"""Hostnames as users type them, turned into DNS names.

Users paste names with ``https://``, trailing dots, upper case or Unicode
(``bücher.example``).  This module turns one line into a
:class:`Hostname`, or raises :class:`~webdig.errors.InputError` with a
sentence that says what is wrong.  IDNA conversion uses the ``idna``
package (UTS #46 mapping, IDNA 2008), as browsers do.

Case is kept as typed, as dig sends it (``WwW.Example.COM`` goes on the
wire so; the server echoes it), while two hostnames that differ only in
case are the same hostname for de-duplication and caches.  A name with a
backslash is a DNS name in presentation format (dig's master-file escapes:
``with\\032space``, ``dot\\.inside``, ``\\200``), taken as dig takes it.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.reversename
import idna

from webdig.errors import InputError
from webdig.language.message import Message

MAX_NAME_LENGTH = 253
MAX_LABEL_LENGTH = 63

# Letters, digits, hyphen and underscore (_dmarc, _acme-challenge, SRV
# owners).  Anything else in an ASCII label is almost always a typo.
_LABEL_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$|^\*$")


@dataclass(frozen=True, eq=False)
class Hostname:
    """A validated name: as the user wrote it, in Unicode and in ASCII.

    Equal (and hashed) ignoring ASCII case, as DNS compares names, so
    de-duplication and caches treat ``WWW.example.com`` as ``www.example.com``.
    """

    text: str
    """The name as it should be shown to the user (Unicode, no trailing dot)."""
    ascii: str
    """The A-label form with a trailing dot, in the case typed, as sent on the wire."""
    address: str | None = None
    """For a reverse look-up, the address it was made from (``dig -x ADDRESS``)."""

    @functools.cached_property
    def key(self) -> str:
        """The case-folded wire form: what two equal hostnames share."""
        return self.ascii.lower()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hostname) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def is_idn(self) -> bool:
        """Whether the name has an A-label (``xn--``), so its U-label form differs."""
        return self.text != self.ascii.rstrip(".") and "xn--" in self.key

    @functools.cached_property
    def name(self) -> dns.name.Name:
        """The dnspython name (parsed once: each query, verdict and rendering asks for it)."""
        return dns.name.from_text(self.ascii)

    def __str__(self) -> str:
        return self.text


def from_dns_name(name: dns.name.Name | str) -> Hostname:
    """A name that came from DNS or dnspython (a referral, a parent zone, a PTR name).

    It is already a valid DNS name, so none of :func:`parse_hostname`'s
    checks apply: only the shown (Unicode) and the wire (ASCII) forms are made.
    """
    parsed = dns.name.from_text(name) if isinstance(name, str) else name
    return Hostname(text=parsed.to_unicode(omit_final_dot=True) or ".", ascii=parsed.to_text())


def normalize(text: str) -> str:
    """Map full-width letters and ideographic full stops (``ｗｗｗ。``) to ASCII, as browsers do.

    Done before any other check, so ``www。`` cannot slip past the label
    checks as ``www.`` plus an empty label.
    """
    value = text.strip()
    if value.isascii():
        return value
    try:
        return str(idna.uts46_remap(value, std3_rules=False, transitional=False))
    except idna.IDNAError:
        return value


def strip_decoration(text: str) -> str:
    """The host in what people paste, as digwebinterface's "Fix" button finds it.

    A URL gives its host (scheme, credentials, port, path, query dropped),
    an e-mail address its domain (``user@example.com``, ``mailto:`` too),
    ``www.example.com/page`` or ``example.com:443`` its host.  Without a
    scheme, only what leaves a host-like name is taken apart; anything else
    comes back as typed, so a message can quote all of it.
    """
    value = normalize(text)
    if "://" in value:
        host = _URL_TAIL.split(value.split("://", 1)[1], maxsplit=1)[0].rsplit("@", 1)[-1]
        return _without_port(host)
    bare = value[7:] if value[:7].lower() == "mailto:" else value
    host = _without_port(_URL_TAIL.split(bare.lstrip("/"), maxsplit=1)[0].rsplit("@", 1)[-1])
    return host if host != value and _HOST_LIKE.match(host) else value


def _without_port(host: str) -> str:
    # A hostname never holds a colon; IPv6 reverse look-ups do not come here.
    return host.split(":", 1)[0] if host.count(":") == 1 else host


_URL_TAIL = re.compile(r"[/?#]")
_HOST_LIKE = re.compile(r"^[\w*-]+(\.[\w*-]+)+\.?$")


# The same few names come back in request after request, and parsing (IDNA
# included) is a tenth of a look-up's work; the results are immutable.
@functools.lru_cache(maxsize=4096)
def parse_hostname(text: str) -> Hostname:
    """Parse one hostname typed by a user.

    Raises :class:`InputError` with a plain-words reason when the name is
    empty, too long, has an empty or over-long label, has characters that
    cannot be in a hostname, or is not valid IDN.
    """
    if "\\" in text:
        return _presentation_name(text.strip())
    value = strip_decoration(text)
    if not value:
        raise InputError(Message("Enter a hostname, for example www.example.com."))
    if value == ".":
        return Hostname(text=".", ascii=".")
    if any(ch.isspace() for ch in value):
        raise InputError(
            Message("“{value}” contains a space; enter one hostname per line.", value=_clip(value))
        )
    if value.endswith("."):
        value = value[:-1]
    if value.startswith(".") or ".." in value:
        raise InputError(
            Message("“{value}” has an empty label (two dots in a row).", value=_clip(value))
        )
    labels = value.split(".")
    ascii_labels = [_label_to_ascii(label, value) for label in labels]
    ascii_name = ".".join(ascii_labels)
    if len(ascii_name) > MAX_NAME_LENGTH:
        raise InputError(
            Message(
                "“{value}” is {length} characters long; a hostname can have at most {most}.",
                value=_clip(value),
                length=len(ascii_name),
                most=MAX_NAME_LENGTH,
            )
        )
    unicode_name = ".".join(_label_to_unicode(label) for label in ascii_labels)
    return Hostname(text=unicode_name, ascii=ascii_name + ".")


def _label_to_ascii(label: str, whole: str) -> str:
    if label.isascii():
        if len(label) > MAX_LABEL_LENGTH:
            raise InputError(
                Message(
                    "The label “{label}” in “{value}” is {length} characters long; each part "
                    "between dots can have at most {most}.",
                    label=_clip(label),
                    value=_clip(whole),
                    length=len(label),
                    most=MAX_LABEL_LENGTH,
                )
            )
        if not _LABEL_RE.match(label):
            bad = sorted({ch for ch in label if not (ch.isalnum() or ch in "-_*")})
            if bad:
                shown = " ".join(repr(ch) for ch in bad)
                raise InputError(
                    Message(
                        "“{value}” contains characters that cannot be in a hostname: {shown}.",
                        value=_clip(whole),
                        shown=shown,
                    )
                )
            raise InputError(
                Message(
                    "The label “{label}” in “{value}” cannot start or end with a hyphen.",
                    label=_clip(label),
                    value=_clip(whole),
                )
            )
        if label.lower().startswith("xn--"):
            try:
                idna.decode(label.lower())
            except idna.IDNAError as exc:
                raise InputError(
                    Message("“{label}” is not a valid IDN label.", label=_clip(label))
                ) from exc
        # As typed: dig sends the case given, and the server echoes it.
        return label
    try:
        encoded = idna.encode(label, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InputError(_idna_refusal(label, whole, exc)) from exc
    if len(encoded) > MAX_LABEL_LENGTH:
        raise InputError(_too_long_in_ascii(label, encoded, whole))
    return encoded


_CODEPOINT = re.compile(r"U\+[0-9A-F]{4,6}")
"""How idna names the character it refuses (``Codepoint U+200D not allowed at position 3``)."""


def _idna_refusal(label: str, whole: str, exc: idna.IDNAError) -> Message:
    """Why idna refused a label, in a sentence the catalogs translate (idna's own reasons are
    English only): the label too long once in ASCII, the character it refuses, or neither."""
    try:
        encoded = "xn--" + idna.uts46_remap(label).encode("punycode").decode("ascii")
    except (idna.IDNAError, UnicodeError):
        encoded = ""
    if len(encoded) > MAX_LABEL_LENGTH:
        return _too_long_in_ascii(label, encoded, whole)
    codepoint = _CODEPOINT.search(str(exc))
    if codepoint is not None:
        return Message(
            "“{value}” contains the character {codepoint}, which a domain name cannot hold.",
            value=_clip(whole),
            codepoint=codepoint.group(),
        )
    return Message("“{value}” is not a valid internationalised domain name.", value=_clip(whole))


def _too_long_in_ascii(label: str, encoded: str, whole: str) -> Message:
    return Message(
        "The label “{label}” in “{value}” becomes {length} characters in ASCII ({start}…); each "
        "label can have at most {most}.",
        label=_clip(label),
        value=_clip(whole),
        length=len(encoded),
        start=encoded[:20],
        most=MAX_LABEL_LENGTH,
    )


def _label_to_unicode(label: str) -> str:
    if label.lower().startswith("xn--"):
        try:
            return str(idna.decode(label.lower()))
        except idna.IDNAError:
            return label
    return label


def _presentation_name(value: str) -> Hostname:
    """A name with dig's master-file escapes (``\\DDD``, ``\\.``, ``\\;``), as dig reads it."""
    try:
        name = dns.name.from_text(value)
    except dns.exception.DNSException as exc:
        reason = next((r for kind, r in _PRESENTATION if isinstance(exc, kind)), None)
        raise InputError(
            Message(
                "“{value}” is not a valid DNS name in dig's notation: {reason}.",
                value=_clip(value),
                reason=reason,
            )
            if reason is not None
            else Message("“{value}” is not a valid DNS name in dig's notation.", value=_clip(value))
        ) from exc
    shown = name.to_text()
    return Hostname(text=shown if shown == "." else shown[:-1], ascii=shown)


_PRESENTATION: tuple[tuple[type[dns.exception.DNSException], Message], ...] = (
    (
        dns.name.BadEscape,
        Message("a backslash escape in it is not valid (\\DDD is a byte, 0 to 255)"),
    ),
    (dns.name.EmptyLabel, Message("it has an empty label (two dots in a row)")),
    (dns.name.LabelTooLong, Message("a label in it is longer than 63 bytes")),
    (dns.name.NameTooLong, Message("it is longer than 255 bytes")),
)
"""dnspython's reasons for refusing a name, in words a catalog translates."""


def _clip(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@functools.lru_cache(maxsize=1024)
def reverse_hostname(text: str) -> Hostname:
    """Turn an IPv4/IPv6 address into its PTR name, as ``dig -x`` does."""
    value = text.strip()
    try:
        address = ipaddress.ip_address(value)
    except ValueError as exc:
        raise InputError(
            Message(
                "“{value}” is not an IP address; a reverse look-up needs one, "
                "for example 192.0.2.1 or 2001:db8::1.",
                value=_clip(value),
            )
        ) from exc
    # A zone id (fe80::1%eth0) says which interface reaches the address; the
    # PTR name is made of the address alone, as dig -x builds it.
    bare = ipaddress.ip_address(address.packed)
    found = from_dns_name(dns.reversename.from_address(str(bare)))
    return Hostname(text=found.text, ascii=found.ascii, address=value)
