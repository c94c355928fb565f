"""dig's display options: what is printed, not what is sent.

:class:`Display` holds dig 9.18's everyday printing switches (``+noall``,
``+answer``, ``+nocomments``, ``+multiline``, ``+ttlunits``, ``+qr``,
``+identify``, ``+idnout``…) with dig's defaults.  The URL and the form
carry them as parameters named as in dig (``noall=on``, ``nocomments=on``,
``multiline=on``); :func:`from_flags` and :meth:`Display.flags` convert.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from webdig.dig.records import Style
from webdig.lookup.params import SECTIONS


@dataclass(frozen=True)
class Display:
    """What dig prints (defaults as dig 9.18's, ``+idnout`` as on a pipe)."""

    cmd: bool = True
    comments: bool = True
    question: bool = True
    answer: bool = True
    authority: bool = True
    additional: bool = True
    stats: bool = True
    multiline: bool = False
    ttlunits: bool = False
    ttlid: bool = True
    rrclass: bool = True
    qr: bool = False
    identify: bool = False
    idnout: bool = False

    @property
    def style(self) -> Style:
        """The record layout these options ask for."""
        return _style(self)

    def flags(self) -> list[str]:
        """The URL parameters (``name=on``) that give this display, in the form's order.

        Sections are written the shorter way: ``noall`` plus the parts
        turned back on, or the parts turned off.
        """
        return list(_flags(self))


# A look-up asks for one of a handful of displays, and every dig text it shows needs the
# style and the flags of its display again: they are worked out once per display.
@functools.lru_cache(maxsize=64)
def _style(display: Display) -> Style:
    return Style(
        ttl=display.ttlid,
        rrclass=display.rrclass,
        ttlunits=display.ttlunits,
        multiline=display.multiline,
        idnout=display.idnout,
    )


@functools.lru_cache(maxsize=64)
def _flags(display: Display) -> tuple[str, ...]:
    shown = [name for name in SECTIONS if getattr(display, name)]
    found = []
    if len(shown) <= len(SECTIONS) // 2:
        found.append("noall")
        found += shown
    else:
        found += [f"no{name}" for name in SECTIONS if name not in shown]
    others = (
        (display.multiline, "multiline"),
        (display.ttlunits, "ttlunits"),
        (not display.ttlid, "nottlid"),
        (not display.rrclass, "noclass"),
        (display.qr, "qr"),
        (display.identify, "identify"),
    )
    found += [name for wanted, name in others if wanted]
    return tuple(found)


def from_flags(flag: Callable[[str], bool], *, idnout: bool = False) -> Display:
    """The display a look-up URL asks for (``flag(name)``: whether ``name=on``).

    ``noall`` applies first, then each part named (``answer``), then the
    parts turned off (``nocomments``), as in ``dig +noall +answer``.
    """
    shown = dict.fromkeys(SECTIONS, not flag("noall"))
    for name in SECTIONS:
        if flag(name):
            shown[name] = True
        if flag(f"no{name}"):
            shown[name] = False
    return Display(
        **shown,
        multiline=flag("multiline"),
        ttlunits=flag("ttlunits"),
        ttlid=not flag("nottlid"),
        rrclass=not flag("noclass"),
        qr=flag("qr"),
        identify=flag("identify"),
        idnout=idnout,
    )


def set_option(display: Display, name: str, value: bool) -> Display | None:
    """``display`` with dig's ``+[no]NAME`` applied; None if NAME is not a display option.

    ``all`` sets every part at once (``+noall``); ``multi`` is ``multiline``,
    ``ttlid`` and ``class`` are the TTL and class columns.
    """
    if name == "all":
        return replace(display, **dict.fromkeys(SECTIONS, value))
    field = {"multi": "multiline", "ttlid": "ttlid", "class": "rrclass", "cl": "rrclass"}.get(
        name, name
    )
    if field not in {f.name for f in fields(Display)}:
        return None
    return replace(display, **{field: value})
