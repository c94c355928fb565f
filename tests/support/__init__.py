"""Helpers the tests share: real servers (BIND, web, scripted DNS), the labs built from
them, canned messages and the browser driver. Fixtures that use them live in
tests/conftest.py."""
