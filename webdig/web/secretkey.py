"""A secret key that every worker and every restart share, even when none is configured.

The key signs the "save" form's token (:mod:`webdig.web.csrf`).  ``SECRET_KEY``
wins when it is set to something other than the development default; otherwise
the first process generates one into ``<instance folder>/secret_key`` (mode 0600)
and every later process reads it.  On a PaaS whose disk is wiped on each deploy,
set ``SECRET_KEY``: a new key only means that a form opened before the restart
has to be reloaded.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from webdig.settings import DEFAULTS

KEY_FILE = "secret_key"


def install(app: Flask) -> None:
    """Give ``app`` a real secret key: the configured one, or the instance folder's."""
    configured = app.config.get("SECRET_KEY")
    if configured and configured != DEFAULTS["SECRET_KEY"]:
        return
    path = Path(app.instance_path) / KEY_FILE
    try:
        app.config["SECRET_KEY"] = _read_or_create(path)
    except OSError as exc:
        # A read-only instance folder: this process gets a key of its own, so a
        # form may need one reload when another worker answers its POST.
        app.logger.error("cannot keep a secret key in %s (%s); set SECRET_KEY", path, exc)
        app.config["SECRET_KEY"] = secrets.token_hex(32)


def _read_or_create(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return path.read_text().strip()
    # Written aside, then linked into place: a worker starting at the same moment
    # finds either no file or the whole key, and exactly one key wins.
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another worker's key won
    finally:
        draft.unlink()
    return path.read_text().strip()
