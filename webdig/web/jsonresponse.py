"""JSON responses encoded by orjson: what every API answer and error body goes through.

Flask's own provider builds a ``json.JSONEncoder`` per response and escapes
every non-ASCII character; for a look-up's answer that was about a twentieth
of the request's work (about 20 µs against orjson's 2).  The body is the same
JSON with the same key order, written as UTF-8 (``"日本"``, not
``"\\u65e5\\u672c"``), and still ends in a newline.  Whatever orjson does not
encode itself goes to Flask's ``default`` as before (dates as HTTP dates,
dataclasses as dicts, ``__html__``), and what it cannot encode at all
(integers over 64 bits, say) is encoded by Flask's provider instead.
Templates' ``tojson`` keeps Flask's ``dumps``.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider
from werkzeug.sansio.response import Response

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)
"""Keys as ``json`` writes them (``1`` → ``"1"``); dates and dataclasses to Flask's
``default``, which writes them as webdig's responses always had them."""


class JSONProvider(DefaultJSONProvider):
    """Flask's provider, with responses encoded by orjson (unsorted keys, compact)."""

    sort_keys = False  # the documented key order

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """``jsonify``'s response; indented, by Flask's provider, when debugging."""
        if self.compact is False or (self.compact is None and self._app.debug):
            return super().response(*args, **kwargs)
        data = self._prepare_response_obj(args, kwargs)
        try:
            body = orjson.dumps(data, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().response(*args, **kwargs)
        # App declares the sans-I/O response class, whose constructor takes no body.
        make: Any = self._app.response_class
        response: Response = make(body + b"\n", mimetype=self.mimetype)
        return response
