"""Which servers a running look-up still waits for, so the page can name a slow one meanwhile.

When the form is sent, webdig.js puts a random token in a short-lived cookie and asks
``/progress/<token>`` every half second; the look-up that arrives with that cookie writes
the servers its session still waits for (:class:`~webdig.engine.session.Progress`) to a
small SQLite table, which every gunicorn worker of the machine shares (a file next to the
rate limits', ``<WEBDIG_RATE_LIMIT_STORE>.progress``), since the poll may reach another
worker than the look-up.
Only server names the visitor asked about are kept, for a minute.  Without JavaScript
nothing of this happens: the page arrives when the look-up is done.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from webdig.engine.session import Progress, Reporter
from webdig.web.language import current_translator

COOKIE = "webdig-progress"
"""The cookie webdig.js sets when the form is sent (SameSite=Strict, one minute)."""
TOKEN = re.compile(r"[0-9a-f]{32}")
KEEP_SECONDS = 60.0
_EXTENSION = "webdig.progress"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS progress (
    token TEXT PRIMARY KEY, waiting TEXT NOT NULL, expires REAL NOT NULL
) WITHOUT ROWID;
"""

bp = Blueprint("progress", __name__)


class ProgressBoard:
    """The servers each running look-up waits for, by token; safe to share between threads."""

    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            path or ":memory:", timeout=2, check_same_thread=False, isolation_level=None
        )
        if path:
            # Worth nothing after a crash: no fsync, a write-ahead log (as the rate limits).
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = OFF")
        with self._lock:
            self._db.executescript(_SCHEMA)

    def post(self, token: str, waiting: list[str]) -> None:
        """Say that the look-up of ``token`` now waits for ``waiting``."""
        now = time.time()
        with self._lock:
            self._db.execute("DELETE FROM progress WHERE expires <= ?", (now,))
            self._db.execute(
                "INSERT OR REPLACE INTO progress VALUES (?, ?, ?)",
                (token, json.dumps(waiting), now + KEEP_SECONDS),
            )

    def read(self, token: str) -> list[str] | None:
        """The servers the look-up of ``token`` waits for; None if no such look-up is known."""
        with self._lock:
            row = self._db.execute(
                "SELECT waiting FROM progress WHERE token = ? AND expires > ?", (token, time.time())
            ).fetchone()
        return None if row is None else list(json.loads(row[0]))


def install(app: Flask) -> None:
    """Give the app its board (next to the rate limits' shared file) and the polling route."""
    store = app.config.get("RATE_LIMIT_STORE")
    app.extensions[_EXTENSION] = ProgressBoard(f"{store}.progress" if store else None)
    app.register_blueprint(bp)


def _board() -> ProgressBoard:
    board: ProgressBoard = current_app.extensions[_EXTENSION]
    return board


def reporter() -> Reporter | None:
    """For this request's session: post what it waits for under the cookie's token, if any."""
    token = request.cookies.get(COOKIE, "")
    if not TOKEN.fullmatch(token):
        return None
    board, say = _board(), current_translator().text
    last: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def report(progress: Progress) -> None:
        # Called from the session's threads on every reply: write only what changed.
        with lock:
            if last and last[0] == progress.waiting:
                return
            last[:] = [progress.waiting]
            board.post(token, [say(server) for server in progress.waiting])

    return report


@bp.get("/progress/<token>")
def progress(token: str) -> Response:
    """``{"waiting": [servers]}`` for the look-up sent with ``token`` (``null``: not known)."""
    waiting = _board().read(token) if TOKEN.fullmatch(token) else None
    response = jsonify({"waiting": waiting})
    response.headers["Cache-Control"] = "no-store"
    return response
