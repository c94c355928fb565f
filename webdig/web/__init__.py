"""The web edge: the app factory, pages, forms, the JSON API and its OpenAPI document,
security headers, rate limits and the health check.

The only area that imports Flask, Werkzeug and WTForms. May import every other area
except ``webdig.cli``.
"""
