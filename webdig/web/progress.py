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
from collections.abc import Callable

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
    """The servers each running look-up waits for, by token; safe to share between threads.

    The board is a nicety: when its file cannot be opened, written or read (a full or
    read-only ``/dev/shm``, a folder removed under the app), ``on_error`` hears of it and
    the look-up goes on without it.
    """

    def __init__(
        self,
        path: str | None = None,
        *,
        timeout: float = 2.0,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """A board in the SQLite file ``path`` (None: this process's memory), waiting up to
        ``timeout`` seconds for another worker's write."""
        self._lock = threading.Lock()
        self._on_error = on_error
        self._quiet_until = 0.0
        try:
            self._db = _connect(path, timeout)
        except sqlite3.Error as exc:
            self._failed(
                f"cannot open the progress board {path} ({exc}): only this worker's "
                "look-ups can be followed from the page"
            )
            self._db = _connect(None, timeout)

    def post(self, token: str, waiting: list[str]) -> None:
        """Say that the look-up of ``token`` now waits for ``waiting``."""
        now = time.time()
        try:
            with self._lock:
                self._db.execute("DELETE FROM progress WHERE expires <= ?", (now,))
                self._db.execute(
                    "INSERT OR REPLACE INTO progress VALUES (?, ?, ?)",
                    (token, json.dumps(waiting), now + KEEP_SECONDS),
                )
        except sqlite3.Error as exc:
            self._failed(f"cannot write the progress board ({exc})")

    def read(self, token: str) -> list[str] | None:
        """The servers the look-up of ``token`` waits for; None if no such look-up is known."""
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT waiting FROM progress WHERE token = ? AND expires > ?",
                    (token, time.time()),
                ).fetchone()
        except sqlite3.Error as exc:
            self._failed(f"cannot read the progress board ({exc})")
            return None
        return None if row is None else list(json.loads(row[0]))

    def _failed(self, problem: str) -> None:
        # Every reply of a look-up posts: say it once a minute, not hundreds of times.
        now = time.monotonic()
        if self._on_error is not None and now >= self._quiet_until:
            self._quiet_until = now + 60
            self._on_error(problem)


def _connect(path: str | None, timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(
        path or ":memory:", timeout=timeout, check_same_thread=False, isolation_level=None
    )
    try:
        if path:
            # Worth nothing after a crash: no fsync, a write-ahead log (as the rate limits).
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = OFF")
        db.executescript(_SCHEMA)
    except BaseException:
        db.close()
        raise
    return db


def install(app: Flask) -> None:
    """Give the app its board (next to the rate limits' shared file) and the polling route."""
    store = app.config.get("RATE_LIMIT_STORE")
    app.extensions[_EXTENSION] = ProgressBoard(
        f"{store}.progress" if store else None, on_error=app.logger.error
    )
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
