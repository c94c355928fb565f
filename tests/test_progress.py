"""``/progress/<token>``: what a running look-up still waits for, for the page's script."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flask.testing import FlaskClient

from webdig.web.progress import COOKIE, ProgressBoard


def test_progress_board_answers_only_for_a_known_token(client: FlaskClient) -> None:
    token = "0123456789abcdef" * 2
    assert client.get(f"/progress/{token}").get_json() == {"waiting": None}
    assert client.get("/progress/not-a-token").get_json() == {"waiting": None}
    client.set_cookie(COOKIE, token)
    assert client.get("/?hostnames=www.webdig.test&ns=resolver").status_code == 200
    response = client.get(f"/progress/{token}")
    assert response.get_json() == {"waiting": []}  # the look-up is over
    assert response.headers["Cache-Control"] == "no-store"


def test_a_board_that_cannot_be_written_says_so_once_and_the_look_up_goes_on(
    tmp_path: Path,
) -> None:
    problems: list[str] = []
    board = ProgressBoard(str(tmp_path / "board"), timeout=0.1, on_error=problems.append)
    token = "0123456789abcdef" * 2
    board.post(token, ["ns1.example.jp"])
    # Another process holds the write lock (a worker stuck mid-write): posting fails.
    holder = sqlite3.connect(tmp_path / "board", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    board.post(token, [])
    board.post(token, [])
    holder.close()
    assert problems == ["cannot write the progress board (database is locked)"]
    assert board.read(token) == ["ns1.example.jp"]


def test_a_board_that_cannot_be_opened_is_kept_in_memory(tmp_path: Path) -> None:
    problems: list[str] = []
    board = ProgressBoard(str(tmp_path / "missing" / "board"), on_error=problems.append)
    assert len(problems) == 1
    assert problems[0].startswith(f"cannot open the progress board {tmp_path}/missing/board")
    board.post("0" * 32, ["ns1.example.jp"])
    assert board.read("0" * 32) == ["ns1.example.jp"]
