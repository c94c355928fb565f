"""gunicorn's access log, with each line's values worked out only when its format asks for them.

gunicorn's own logger builds every atom of a line before formatting it: the
time, the request line, one entry per request header, per response header
and per WSGI environ variable, each escaped.  webdig's responses carry some
twenty security headers, and the default format reads nine atoms: building
the rest was about 30 µs of every request (through gunicorn, an API look-up
went from 3.99 to 3.77 M instructions without it).  :class:`AccessLogger` writes the same lines (any
``access_log_format``; a missing atom is ``-``, double quotes in values are
escaped, ``{header}i``/``{header}o``/``{variable}e`` are case-insensitive)
from a mapping that computes an atom when the format reads it.
gunicorn.conf.py names it as ``logger_class``.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping
from typing import Any

from gunicorn.glogging import Logger

_PLAIN = tuple("hlutrsmUqHbBfaTDMLp")
"""gunicorn's atoms that are not a header or environ variable."""
_MISSING = object()
"""An atom the line has no value for: written ``-``."""


class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no type information
    """gunicorn's logger; access-log atoms are computed when a line's format reads them."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: datetime.timedelta
    ) -> Mapping[str, Any]:
        """The atoms of one line, as a mapping that works each out when asked."""
        return _Atoms(self, resp, req, environ, request_time)

    def atoms_wrapper_class(self, atoms: Mapping[str, Any]) -> Mapping[str, Any]:
        """``atoms`` themselves: :class:`_Atoms` escapes and defaults as gunicorn's
        wrapper does, when each atom is read."""
        return atoms


class _Atoms(Mapping[str, Any]):
    """One access-log line's atoms, as gunicorn names them (see its ``Logger.atoms``)."""

    def __init__(
        self,
        logger: Logger,
        resp: Any,
        req: Any,
        environ: dict[str, Any],
        request_time: datetime.timedelta,
    ) -> None:
        self._logger = logger
        self._resp = resp
        self._req = req
        self._environ = environ
        self._time = request_time

    def __getitem__(self, key: str) -> Any:
        value = self._value(key)
        if value is _MISSING:
            return "-"
        # gunicorn's wrapper escapes double quotes in every text value.
        return value.replace('"', '\\"') if isinstance(value, str) else value

    def __iter__(self) -> Iterator[str]:
        return iter(_PLAIN)

    def __len__(self) -> int:
        return len(_PLAIN)

    def _value(self, key: str) -> Any:
        if key.startswith("{") and len(key) > 3 and key[-2] == "}":
            return self._braced(key[1:-2].lower(), key[-1].lower())
        environ, took = self._environ, self._time
        match key:
            case "h":
                return environ.get("REMOTE_ADDR", "-")
            case "l":
                return "-"
            case "u":
                return self._logger._get_user(environ) or "-"
            case "t":
                return self._logger.now()
            case "r":
                method, uri = environ["REQUEST_METHOD"], environ["RAW_URI"]
                return f"{method} {uri} {environ['SERVER_PROTOCOL']}"
            case "s":
                status = self._resp.status
                return status.split(None, 1)[0] if isinstance(status, str) else status
            case "m":
                return environ.get("REQUEST_METHOD")
            case "U":
                return environ.get("PATH_INFO")
            case "q":
                return environ.get("QUERY_STRING")
            case "H":
                return environ.get("SERVER_PROTOCOL")
            case "b":
                sent = getattr(self._resp, "sent", None)
                return str(sent) if sent is not None else "-"
            case "B":
                return getattr(self._resp, "sent", None)
            case "f":
                return environ.get("HTTP_REFERER", "-")
            case "a":
                return environ.get("HTTP_USER_AGENT", "-")
            case "T":
                return took.seconds
            case "D":
                return took.seconds * 1000000 + took.microseconds
            case "M":
                return took.seconds * 1000 + int(took.microseconds / 1000)
            case "L":
                return f"{took.seconds}.{took.microseconds:06d}"
            case "p":
                return f"<{os.getpid()}>"
        return _MISSING

    def _braced(self, name: str, kind: str) -> Any:
        """A request header (``i``), response header (``o``) or environ variable (``e``);
        as in gunicorn, the last of several with one name."""
        if kind == "e":
            pairs: Any = self._environ.items()
        elif kind == "i":
            pairs = getattr(self._req, "headers", self._req)
        elif kind == "o":
            pairs = self._resp.headers
        else:
            return _MISSING
        if hasattr(pairs, "items"):
            pairs = pairs.items()
        found: Any = _MISSING
        for header, value in pairs:
            if header.lower() == name:
                found = value
        return found
