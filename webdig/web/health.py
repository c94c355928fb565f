"""``/healthz`` for PaaS health checks: answers without touching the network."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Report that the process is up; deliberately sends no DNS query."""
    return {"status": "ok"}, 200
