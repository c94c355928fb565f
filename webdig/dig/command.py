"""A dig command line, read as dig 9.18 reads it, turned into look-up parameters.

``dig @ns1.example.jp www.example.jp CH TXT +noall +answer`` becomes the
same :class:`~webdig.lookup.params.LookupParams` a look-up URL holds, so
the CLI and a command pasted into the page's hostname field run the same
look-up.  Tokens are read in order, as dig does: ``@SERVER``, names, a type
and a class in any order, ``-x ADDRESS``, ``-t TYPE``, ``-c CLASS``,
``-q NAME``, ``-p PORT`` and ``+[no]option[=value]`` (``+noall +answer``
shows the answer only, ``+answer +noall`` nothing).  No Flask here.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import dns.rdatatype

from webdig.dig.display import Display, set_option
from webdig.engine.query import REVERSE
from webdig.errors import InputError
from webdig.language.message import Message
from webdig.lookup.params import LookupParams, Mode, from_values

MODE_TOKENS = {
    "@auth": Mode.AUTH, "@nic": Mode.NIC, "@all": Mode.ALL, "+auth": Mode.AUTH, "+nic": Mode.NIC,
}  # fmt: skip
"""Tokens that pick an ``ns`` mode: every authoritative server, the registry's, all presets."""

# dig's +options that set a look-up flag when on (and the flag that says "off").
_SWITCHES = {
    "tcp": ("tcp", None),
    "vc": ("tcp", None),
    "recurse": (None, "norecursive"),
    "rec": (None, "norecursive"),
    "dnssec": ("dnssec", None),
    "nsid": ("nsid", None),
    "cd": ("cd", None),
    "cdflag": ("cd", None),
    "adflag": (None, "noadflag"),
    "cookie": (None, "nocookie"),
    "short": ("short", None),
    "showcommand": ("showcommand", None),
    "trace": ("trace", None),
    "compare": ("compare", None),
}
_VALUES = {"bufsize": "bufsize", "subnet": "subnet", "retry": "retry", "tries": "tries"}
_CLASSES = {"IN": "IN", "CH": "CH", "CHAOS": "CH", "HS": "HS", "HESIOD": "HS"}

KNOWN_OPTIONS = (
    "+short +tcp +vc +[no]recurse +dnssec +nsid +[no]cd +[no]adflag +[no]cookie +[no]edns "
    "+edns=0 +bufsize=N +subnet=ADDR/PREFIX +retry=N +tries=N +time=N +[no]all +[no]cmd "
    "+[no]comments +[no]question +[no]answer +[no]authority +[no]additional +[no]stats "
    "+[no]multiline +[no]ttlunits +[no]ttlid +[no]class +[no]qr +[no]identify +[no]idnout "
    "+trace +showcommand +compare"
)


class CommandError(InputError):
    """A token dig would take that webdig cannot; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "hostnames")


@dataclass(frozen=True)
class DigCommand:
    """A dig command line, read: the look-up's parameters and how to print it."""

    values: dict[str, str]
    """Look-up URL parameters (``hostnames``, ``type``, ``class``, ``nameservers``, flags…)."""
    args: tuple[str, ...]
    """The arguments as typed, for the banner (``; <<>> webdig <<>> …``)."""
    idnout: bool | None = None
    """``+idnout`` / ``+noidnout`` if given; None leaves dig's default (on for a terminal)."""

    @property
    def params(self) -> LookupParams:
        """The parameters a look-up URL would hold for this command."""
        return from_values(self.values)


def split_command(text: str) -> list[str]:
    """Split a pasted command line like a shell (``dig`` itself dropped)."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        # shlex's only two refusals, in words the catalogs translate (its own are English).
        reason = (
            Message("a quotation mark is not closed")
            if "quotation" in str(exc)
            else Message("it ends with a backslash")
        )
        raise CommandError(
            Message("The dig command cannot be read ({reason}).", reason=reason)
        ) from exc
    return tokens[1:] if tokens[:1] == ["dig"] else tokens


def looks_like_command(text: str) -> bool:
    """Whether a hostname field holds a dig command (``dig …``, ``@server``, ``+option``)."""
    words = text.split()
    return bool(words) and (
        words[0] == "dig" or any(w.startswith(("@", "+")) or w == "-x" for w in words)
    )


def parse_command(tokens: Sequence[str]) -> DigCommand:
    """Read dig's arguments in order; raises :class:`CommandError` for what webdig cannot do."""
    state = _State()
    stream = iter(tokens)
    for token in stream:
        state.take(token, stream)
    return state.finish(tuple(tokens))


class _State:
    """What the tokens read so far ask for."""

    def __init__(self) -> None:
        self.hostnames: list[str] = []
        self.servers: list[str] = []
        self.types: list[str] = []
        self.classes: list[str] = []
        self.flags: dict[str, bool] = {}
        self.values: dict[str, str] = {}
        self.display = Display()
        self.idnout: bool | None = None
        self.mode: Mode | None = None
        self.port: str | None = None

    def take(self, token: str, rest: Iterator[str]) -> None:
        if token.lower() in MODE_TOKENS:
            self.mode = MODE_TOKENS[token.lower()]
        elif token.startswith("@"):
            self.servers.append(token[1:])
        elif token.startswith("+"):
            self._option(token)
        elif token in ("-x", "-t", "-c", "-q", "-p"):
            value = next(rest, None)
            if value is None:
                raise CommandError(Message("{option} needs a value after it.", option=token))
            self._dash(token, value)
        elif token.startswith("-") and len(token) > 1:
            raise CommandError(
                Message(
                    "unknown option {option}; webdig takes -x, -t, -c, -q and -p.", option=token
                )
            )
        elif token.upper() in _CLASSES:
            self.classes.append(_CLASSES[token.upper()])
        elif _is_type(token):
            self.types.append(token)
        else:
            self.hostnames.append(token)

    def _dash(self, flag: str, value: str) -> None:
        if flag == "-x":
            self.hostnames.append(value)
            self.types.append(REVERSE)
        elif flag == "-t":
            self.types.append(value)
        elif flag == "-c":
            self.classes.append(_CLASSES.get(value.upper(), value))
        elif flag == "-q":
            self.hostnames.append(value)
        else:
            self.port = value

    def _option(self, token: str) -> None:
        word = token[1:].lower()
        name, has_value, value = word.partition("=")
        on = not name.startswith("no")
        base = name[2:] if not on else name
        if name in ("norec", "norecurse"):
            base, on = "recurse", False
        if base in _SWITCHES and not has_value:
            set_flag, clear_flag = _SWITCHES[base]
            if set_flag is not None:
                self.flags[set_flag] = on
            if clear_flag is not None:
                self.flags[clear_flag] = not on
            if on and base in ("nsid", "cookie"):
                # As dig 9.18: asking for an EDNS option turns EDNS back on (a later
                # +noedns turns it off again).  +dnssec, +subnet and +bufsize send EDNS
                # whatever the order: lookup.sendoptions sees to those.
                self.flags["noedns"] = False
        elif base == "edns":
            if has_value and value != "0":
                raise CommandError(
                    Message("webdig sends EDNS version 0 only: use +edns=0 or +noedns.")
                )
            self.flags["noedns"] = not on
        elif base in _VALUES and on and has_value:
            self._value(base, value)
        elif base == "time" and on and has_value:
            self.values["time"] = value
        elif base == "idnout" and not has_value:
            self.idnout = on
        elif base == "stats" and not has_value:
            self.display = set_option(self.display, "stats", on) or self.display
            self.flags["stats"] = on
        else:
            changed = None if has_value else set_option(self.display, base, on)
            if changed is None:
                raise CommandError(
                    Message(
                        "unknown option {option}; webdig understands {known}",
                        option=token,
                        known=KNOWN_OPTIONS,
                    )
                )
            self.display = changed

    def _value(self, name: str, value: str) -> None:
        if name == "tries":
            # +tries=N is N tries; the URL keeps dig's +retry=N (N+1 tries).
            if not value.isdigit() or int(value) < 1:
                raise CommandError(
                    Message(
                        "+tries={value}: give a whole number of tries, 1 or more.", value=value[:12]
                    )
                )
            self.values["retry"] = str(int(value) - 1)
        else:
            self.values[name] = value

    def finish(self, args: tuple[str, ...]) -> DigCommand:
        if len({t.upper() for t in self.types}) > 1:
            raise CommandError(
                Message("Give one record type, not {types}.", types=" and ".join(self.types))
            )
        if len(set(self.classes)) > 1:
            raise CommandError(
                Message("Give one class, not {classes}.", classes=" and ".join(self.classes))
            )
        servers = self.servers
        if self.port is not None:
            servers = [s if "#" in s or s.startswith("[") else f"{s}#{self.port}" for s in servers]
        values = {
            "hostnames": "\n".join(self.hostnames),
            "type": self.types[0] if self.types else "A",
            "ns": self.mode or (Mode.SELF if servers else Mode.RESOLVER),
            "nameservers": "\n".join(servers),
            **({"class": self.classes[0]} if self.classes else {}),
            **{name: "on" for name, on in self.flags.items() if on},
            **dict.fromkeys(self.display.flags(), "on"),
            **self.values,
        }
        return DigCommand(values=values, args=args, idnout=self.idnout)


def _is_type(token: str) -> bool:
    if token.lower() == REVERSE.lower():
        return True
    try:
        dns.rdatatype.from_text(token.upper())
    except (dns.rdatatype.UnknownRdatatype, ValueError):
        return False
    return True
