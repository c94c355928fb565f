"""Running the real ``dig`` and putting its text next to webdig's.

:func:`comparable` takes out what changes from one query to the next (the
message id, the query time, the cookie value, the date) and sorts each
section's records, since BIND rotates the order of an RRset;
:func:`same_as_dig` also drops ``+identify``'s time and webdig's own
``;; webdig:`` notes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

NOTE = re.compile(r"^;; webdig: .*\n", re.MULTILINE)


def dig_path() -> str | None:
    """The real dig, or None when bind9-dnsutils is not installed."""
    return shutil.which("dig")


def dig_text(dig: str, args: list[str], home: Path, *, tty: bool = False) -> str:
    """dig's stdout; with ``tty``, dig writes to a pseudo-terminal under LANG=C.UTF-8.

    An empty ``home`` keeps a developer's ``~/.digrc`` out of the comparison.
    """
    env = {**os.environ, "HOME": str(home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if not tty:
        done = subprocess.run(
            [dig, *args], capture_output=True, text=True, timeout=30, env=env, check=False
        )
        return done.stdout
    leader, follower = os.openpty()
    with subprocess.Popen([dig, *args], stdout=follower, stderr=subprocess.DEVNULL, env=env) as p:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: dig closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        p.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def comparable(text: str) -> list[str]:
    """dig text without what changes per query, each section's records sorted."""
    text = re.sub(r"<<>> DiG \S+ <<>>", "<<>> webdig <<>>", text)
    text = re.sub(r"id: \d+$", "id: ID", text, flags=re.MULTILINE)
    text = re.sub(r"; COOKIE: [0-9a-f]+", "; COOKIE: VALUE", text)
    text = re.sub(r"Query time: \d+ msec", "Query time: T msec", text)
    text = re.sub(r";; WHEN: .*", ";; WHEN: DATE", text)
    lines: list[str] = []
    records: list[str] = []
    for line in text.split("\n"):
        if line.startswith("\t") and records:
            records[-1] += "\n" + line  # +multiline: the record goes on
            continue
        if line and not line.startswith(";"):
            records.append(line)
            continue
        lines += sorted(records)
        records = []
        lines.append(line)
    return lines + sorted(records)


def same_as_dig(text: str) -> list[str]:
    """:func:`comparable`, also without +identify's time and webdig's own ``;; webdig:`` notes."""
    text = NOTE.sub("", text)
    text = re.sub(r" in \d+ ms", " in T ms", text)
    return comparable(text)
