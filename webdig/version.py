"""The version of this webdig, as its package metadata says (saved with every snapshot)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("webdig")
except PackageNotFoundError:  # a checkout run without installing it
    VERSION = "unknown"
