"""The look-up form: digwebinterface's field names, showing the errors :func:`plan` reports.

The form only holds and shows the input: :func:`webdig.lookup.planning.plan`
validates every field once (the page, the API and the CLI say exactly the
same), and the view attaches its messages by field with
:meth:`LookupForm.add_errors`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField

from webdig.engine.query import CLASSES, COMMON_TYPES, REVERSE, all_types, parse_type
from webdig.errors import InputError
from webdig.lookup.hosting import hosting_presets
from webdig.lookup.params import (
    CLASS_HELP,
    ON_OPTIONS,
    DigFlag,
    DigValue,
    Flag,
    LookupParams,
    Mode,
)
from webdig.settings import SYSTEM, Settings
from webdig.web.plannedform import PlannedForm
from webdig.web.wording import FLAG_CHOICES, MODE_CHOICES

# Choices use WTForms' shorthand dicts ({value: label}, {group: {value: label}}):
# tuples and lists of groups are deprecated since WTForms 3.3.


def type_choices() -> dict[str, dict[str, str]]:
    """Every type the form offers, common ones (and Reverse) first."""
    types = all_types()
    common = {*COMMON_TYPES, REVERSE}
    return {
        gettext("Common"): {
            **{t: t for t in types if t in COMMON_TYPES},
            REVERSE: gettext("Reverse (IP address → name, like dig -x)"),
        },
        gettext("All other types"): {t: t for t in types if t not in common},
    }


def resolver_choices(settings: Settings) -> dict[str, str]:
    """The ``useresolver`` options: this server's own resolver, then the presets."""
    return {
        SYSTEM: gettext("This webdig server's own resolver"),
        **{
            preset.key: preset.choice + (gettext(" (shut down)") if preset.retired else "")
            for preset in settings.presets
        },
    }


def hosting_choices() -> dict[str, str]:
    """The ``hosting`` options: none, then every provider webdig knows."""
    return {
        "": gettext("(none: ask the nameservers typed above)"),
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
        ("class", params.rdclass.upper()),
    ]
    items.extend((str(name), "on") for name in ON_OPTIONS if params.flag(name))
    items.extend((str(name), value) for name, value in params.values)
    return MultiDict(items)


DIG_FORM_FLAGS = (
    DigFlag.NOALL, DigFlag.ANSWER, DigFlag.NOCOMMENTS, DigFlag.NOQUESTION, DigFlag.NOAUTHORITY,
    DigFlag.NOADDITIONAL, DigFlag.NOSTATS, DigFlag.NOCMD, DigFlag.MULTILINE, DigFlag.TTLUNITS,
    DigFlag.NOTTLID, DigFlag.NOCLASS, DigFlag.QR, DigFlag.IDENTIFY, DigFlag.CD, DigFlag.NOADFLAG,
    DigFlag.NOCOOKIE, DigFlag.NOEDNS,
)  # fmt: skip
"""dig's options offered under "More options", labelled with their dig names."""
DIG_FORM_VALUES = (DigValue.BUFSIZE, DigValue.SUBNET)


def _flag_field(flag: Flag) -> BooleanField:
    wording = FLAG_CHOICES[flag]
    return BooleanField(wording.label, description=wording.help)


_PLAIN_TEXT = {"spellcheck": "false", "autocapitalize": "none"}
"""Hostnames and addresses: no spelling marks, no capital first letter on phones."""


class LookupForm(PlannedForm):
    """The look-up form."""

    hostnames = TextAreaField(
        _l("Domain names to check"),
        # Pressing "Look up" with the box empty stays on the form and the script says
        # why (a link with an empty hostnames= still opens the form, as on digwebinterface).
        render_kw={
            "rows": 3,
            "required": True,
            "data-missing": _l("Enter a hostname, for example www.example.com."),
            **_PLAIN_TEXT,
        },
    )
    type = SelectField(
        _l("Record type"),
        default="A",
        validate_choice=False,
        description=_l("A is the IPv4 address of a website, AAAA its IPv6 address."),
    )
    ns = RadioField(
        _l("Nameserver to ask"),
        default=str(Mode.RESOLVER),
        validate_choice=False,
    )
    useresolver = SelectField(_l("Public resolver"), default=SYSTEM, validate_choice=False)
    nameservers = TextAreaField(
        _l("Nameservers, one per line"),
        description=_l(
            "From your hosting manual, for example ns1.xserver.jp. "
            "A hostname, an IP address, or IP:port."
        ),
        render_kw={"rows": 2, **_PLAIN_TEXT},
    )
    hosting = SelectField(
        _l("Or your hosting company's nameservers"),
        default="",
        validate_choice=False,
    )
    expected = StringField(
        _l("Your server's IP (from your hosting panel)"),
        description=_l(
            "Optional. Each A and AAAA answer is then marked as matching it or not. "
            "Several: separate with spaces. A server name such as sv12345.xserver.jp works too."
        ),
        render_kw={"inputmode": "url", **_PLAIN_TEXT},
    )
    short = _flag_field(Flag.SHORT)
    stats = _flag_field(Flag.STATS)
    norecursive = _flag_field(Flag.NORECURSIVE)
    tcp = _flag_field(Flag.TCP)
    dnssec = _flag_field(Flag.DNSSEC)
    nsid = _flag_field(Flag.NSID)
    showcommand = _flag_field(Flag.SHOWCOMMAND)
    colorize = _flag_field(Flag.COLORIZE)
    sort = _flag_field(Flag.SORT)
    onlyfirst = _flag_field(Flag.ONLYFIRST)
    save = _flag_field(Flag.SAVE)
    trace = _flag_field(Flag.TRACE)
    compare = _flag_field(Flag.COMPARE)
    rdclass = SelectField(
        _l("Class"),
        choices={name: name for name in CLASSES},
        default="IN",
        name="class",  # ``class`` is a Python keyword: the attribute cannot be named so
        validate_choice=False,
        description=_l(CLASS_HELP),  # marked N_ in the core, worded per request
    )

    def __init__(self, formdata: MultiDict[str, str] | None = None, *, settings: Settings) -> None:
        super().__init__(formdata)
        self.settings = settings
        # Choices and help are worded per request, in the reader's language.
        self.type.choices = type_choices()
        # WTForms reads a choice label that is not a str as a group: word them now.
        self.ns.choices = {str(mode): gettext(w.label) for mode, w in MODE_CHOICES.items()}
        self.hosting.choices = hosting_choices()
        self.useresolver.choices = resolver_choices(settings)
        self._show_resolver()
        self.hostnames.description = gettext(
            "One per line, for example www.example.com and example.com. Up to %(count)s.",
            count=settings.max_hostnames,
        )
        self._show_type()

    @classmethod
    def for_params(cls, params: LookupParams, settings: Settings) -> LookupForm:
        """The form filled in with ``params`` (as parsed from a query string)."""
        return cls(form_data(params), settings=settings)

    @property
    def flags(self) -> list[BooleanField]:
        """The on-flag checkboxes, in digwebinterface's order."""
        return [getattr(self, name) for name in Flag]

    @property
    def dig_flags(self) -> list[BooleanField]:
        """dig's display and query options, named as in dig."""
        return [getattr(self, name) for name in DIG_FORM_FLAGS]

    @property
    def dig_values(self) -> list[StringField]:
        """dig's ``+NAME=VALUE`` options offered on the page."""
        return [getattr(self, name) for name in DIG_FORM_VALUES]

    def add_errors(self, fields: Mapping[str, Sequence[str]]) -> None:
        """As the base form, with ``class`` shown next to the class selector."""
        super().add_errors({("rdclass" if k == "class" else k): v for k, v in fields.items()})

    def _show_resolver(self) -> None:
        """Select the preset a link names by service or spelling, or offer back another address."""
        choices = resolver_choices(self.settings)
        chosen = (self.useresolver.data or "").strip()
        if not chosen or chosen in choices:
            return
        preset = self.settings.preset(chosen)
        if preset is not None:
            self.useresolver.data = preset.key
        else:
            # A resolver the link names by address is asked; show it, not a wrong default.
            self.useresolver.choices = {**choices, chosen: chosen}

    def _show_type(self) -> None:
        """Spell the chosen type canonically, and offer back one the list does not have."""
        # A type plan() refuses keeps its spelling: the select shows what was asked.
        with contextlib.suppress(InputError):
            self.type.data = parse_type(self.type.data or "")
        choices = type_choices()
        if self.type.data and not any(self.type.data in group for group in choices.values()):
            # TYPE65534, or a refused AXFR: show what was asked, not a silent "A".
            self.type.choices = {**choices, gettext("Asked for"): {self.type.data: self.type.data}}


# dig's options, one field each, labelled with dig's spelling (+noall, +bufsize=).
for _flag in DIG_FORM_FLAGS:
    # The help is the core's N_-marked text, worded in the reader's language when shown.
    setattr(LookupForm, str(_flag), BooleanField(f"+{_flag}", description=_l(_flag.description)))
for _value in DIG_FORM_VALUES:
    setattr(
        LookupForm,
        str(_value),
        StringField(
            f"+{_value}=",
            description=_l(_value.description),
            render_kw={"size": 18, **_PLAIN_TEXT},
        ),
    )
