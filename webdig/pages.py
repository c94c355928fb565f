"""The look-up page (placeholder until the page is written)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
