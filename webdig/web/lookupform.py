"""The look-up form: digwebinterface's field names, validated by the core's parsers.

Every message a field shows comes from the core (``webdig.engine.names``,
``webdig.engine.query``, ``webdig.engine.nameservers``), so the page says exactly what
the API and the CLI say.  Checks that need the whole request or the
network (limits, ``useresolver``, ``hosting``, ``expected`` server names,
resolving nameserver names) stay in :func:`webdig.lookup.planning.plan`; the view
attaches its messages with :meth:`LookupForm.add_errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Field, Form, RadioField, SelectField, StringField, TextAreaField

from webdig.engine.names import Hostname, parse_hostname, reverse_hostname
from webdig.engine.nameservers import parse_nameserver
from webdig.engine.query import COMMON_TYPES, REVERSE, all_types, parse_type
from webdig.errors import InputError
from webdig.lookup.hosting import hosting_presets
from webdig.lookup.params import FLAGS, LookupParams, split_lines
from webdig.settings import SYSTEM, Settings

FLAG_LABELS: dict[str, tuple[str, str]] = {
    "short": ("Short answer only", "Like dig +short: just the data, one record a line."),
    "stats": ("Show the full dig output", "Header, flags, every section and the statistics."),
    "norecursive": ("Don't ask for recursion", "Like dig +norecurse: the server answers alone."),
    "tcp": ("Use TCP", "Like dig +tcp, instead of UDP first."),
    "dnssec": ("Ask for DNSSEC records", "Like dig +dnssec: sets the DO bit."),
    "nsid": ("Ask the server for its ID", "Like dig +nsid: which machine answered."),
    "showcommand": ("Show the dig command", "The command that gives the same answer."),
    "colorize": ("Colour the record columns", "Name, TTL, class, type and data in colours."),
    "trace": ("Trace from the root", "Like dig +trace: every referral from the root down."),
    "compare": ("Compare the servers", "A table of what each server answered."),
}
"""The on-flags as the form shows them: a plain label and one line of help."""


# Choices use WTForms' shorthand dicts ({value: label}, {group: {value: label}}):
# tuples and lists of groups are deprecated since WTForms 3.3.


def type_choices() -> dict[str, dict[str, str]]:
    """Every type the form offers, common ones (and Reverse) first."""
    types = all_types()
    common = {*COMMON_TYPES, REVERSE}
    return {
        "Common": {
            **{t: t for t in types if t in COMMON_TYPES},
            REVERSE: "Reverse (IP address → name, like dig -x)",
        },
        "All other types": {t: t for t in types if t not in common},
    }


def resolver_choices(settings: Settings) -> dict[str, str]:
    """The ``useresolver`` options: this server's own resolver, then the presets."""
    return {
        SYSTEM: "This webdig server's own resolver",
        **{
            preset.key: preset.choice + (" (shut down)" if preset.retired else "")
            for preset in settings.presets
        },
    }


def hosting_choices() -> dict[str, str]:
    """The ``hosting`` options: none, then every provider webdig knows."""
    return {
        "": "(none: ask the nameservers typed above)",
        **{p.key: f"{p.label}: {', '.join(p.nameservers)}" for p in hosting_presets()},
    }


def form_data(params: LookupParams) -> MultiDict[str, str]:
    """The form's input for ``params``: every field, every nameserver choice kept."""
    items = [
        ("hostnames", "\n".join(params.hostnames)),
        ("type", params.type),
        ("ns", params.ns),
        ("useresolver", params.useresolver),
        ("nameservers", "\n".join(params.nameservers)),
        ("hosting", params.hosting),
        ("expected", " ".join(params.expected)),
    ]
    items.extend((name, "on") for name in FLAGS if params.flag(name))
    return MultiDict(items)


def _add(field: Field, messages: Iterable[str]) -> None:
    """Add ``messages`` to ``field``'s errors, each once."""
    errors = list(field.errors)
    errors.extend(m for m in messages if m not in errors)
    field.errors = errors


def _each(field: Field, parse: Callable[[str], object]) -> None:
    """Run ``parse`` on every entry of ``field`` and keep every message."""
    messages: list[str] = []
    for text in split_lines(field.data):
        try:
            parse(text)
        except InputError as exc:
            messages.append(exc.message)
        except ValueError as exc:
            messages.append(str(exc))
    _add(field, messages)


_PLAIN_TEXT = {"spellcheck": "false", "autocapitalize": "none"}
"""Hostnames and addresses: no spelling marks, no capital first letter on phones."""


class LookupForm(Form):
    """The look-up form (GET, read-only, so no CSRF token)."""

    class Meta:
        csrf = False

    hostnames = TextAreaField(
        "Domain names to check",
        description="One per line, for example www.example.com and example.com.",
        render_kw={"rows": 3, **_PLAIN_TEXT},
    )
    type = SelectField(
        "Record type",
        choices=type_choices(),
        default="A",
        validate_choice=False,
        description="A is the IPv4 address of a website, AAAA its IPv6 address.",
    )
    ns = RadioField(
        "Nameserver to ask",
        choices={
            "resolver": "A public resolver",
            "self": "The nameservers I enter",
            "auth": "Every nameserver of the domain (found automatically)",
            "nic": "The registry's servers (who the domain is delegated to)",
            "all": "All public resolvers and the domain's own nameservers",
        },
        default="resolver",
        validate_choice=False,
    )
    useresolver = SelectField("Public resolver", default=SYSTEM, validate_choice=False)
    nameservers = TextAreaField(
        "Nameservers, one per line",
        description="From your hosting manual, for example ns1.xserver.jp. "
        "A hostname, an IP address, or IP:port.",
        render_kw={"rows": 2, **_PLAIN_TEXT},
    )
    hosting = SelectField(
        "Or your hosting company's nameservers",
        choices=hosting_choices(),
        default="",
        validate_choice=False,
    )
    expected = StringField(
        "Your server's IP (from your hosting panel)",
        description="Optional. Each A and AAAA answer is then marked as matching it or not. "
        "Several: separate with spaces. A server name such as sv12345.xserver.jp works too.",
        render_kw={"inputmode": "url", **_PLAIN_TEXT},
    )
    short = BooleanField(FLAG_LABELS["short"][0], description=FLAG_LABELS["short"][1])
    stats = BooleanField(FLAG_LABELS["stats"][0], description=FLAG_LABELS["stats"][1])
    norecursive = BooleanField(
        FLAG_LABELS["norecursive"][0], description=FLAG_LABELS["norecursive"][1]
    )
    tcp = BooleanField(FLAG_LABELS["tcp"][0], description=FLAG_LABELS["tcp"][1])
    dnssec = BooleanField(FLAG_LABELS["dnssec"][0], description=FLAG_LABELS["dnssec"][1])
    nsid = BooleanField(FLAG_LABELS["nsid"][0], description=FLAG_LABELS["nsid"][1])
    showcommand = BooleanField(
        FLAG_LABELS["showcommand"][0], description=FLAG_LABELS["showcommand"][1]
    )
    colorize = BooleanField(FLAG_LABELS["colorize"][0], description=FLAG_LABELS["colorize"][1])
    trace = BooleanField(FLAG_LABELS["trace"][0], description=FLAG_LABELS["trace"][1])
    compare = BooleanField(FLAG_LABELS["compare"][0], description=FLAG_LABELS["compare"][1])

    def __init__(self, formdata: MultiDict[str, str] | None = None, *, settings: Settings) -> None:
        super().__init__(formdata)
        self.settings = settings
        self.useresolver.choices = resolver_choices(settings)
        self.hostnames.description = f"{self.hostnames.description} Up to {settings.max_hostnames}."

    @classmethod
    def for_params(cls, params: LookupParams, settings: Settings) -> LookupForm:
        """The form filled in with ``params`` (as parsed from a query string)."""
        return cls(form_data(params), settings=settings)

    @property
    def flags(self) -> list[BooleanField]:
        """The on-flag checkboxes, in digwebinterface's order."""
        return [getattr(self, name) for name in FLAGS]

    def is_reverse(self) -> bool:
        """Whether the chosen type turns IP addresses into names."""
        try:
            return parse_type(self.type.data or "") == REVERSE
        except InputError:
            return False

    def validate_hostnames(self, field: TextAreaField) -> None:
        """Each line is a hostname (or an IP address for Reverse)."""
        parse: Callable[[str], Hostname] = reverse_hostname if self.is_reverse() else parse_hostname
        _each(field, parse)

    def validate_type(self, field: SelectField) -> None:
        """A known, non-transfer type, spelled canonically so the select shows it."""
        try:
            field.data = parse_type(field.data or "")
        except InputError as exc:
            _add(field, [exc.message])
        choices = type_choices()
        if field.data and not any(field.data in group for group in choices.values()):
            # TYPE65534, or a refused AXFR: show what was asked, not a silent "A".
            field.choices = {**choices, "Asked for": {field.data: field.data}}

    def validate_nameservers(self, field: TextAreaField) -> None:
        """Each line is an address, ``address:port`` or a hostname (when they are asked)."""
        if self.ns.data == "self":
            _each(field, parse_nameserver)

    # ``expected`` has no field check: an entry may be an address or a server
    # name (sv12345.xserver.jp) that only lookup.plan() can resolve, so plan()
    # owns its messages.

    def add_errors(self, fields: Mapping[str, Sequence[str]]) -> None:
        """Attach the core's messages to their fields, skipping ones already shown."""
        for name, messages in fields.items():
            if name in self:
                _add(self[name], messages)
            else:
                self.form_errors.extend(m for m in messages if m not in self.form_errors)

    @property
    def has_errors(self) -> bool:
        """Whether any field or the form itself has a message to show."""
        return bool(self.form_errors) or any(field.errors for field in self)
