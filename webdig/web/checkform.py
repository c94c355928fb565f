"""The renewal-check form: the domain, and the server it should point at.

Every message comes from the core (:func:`webdig.renewal.checklist.check_renewal`
validates both fields, and only it can resolve a server name given as
``expected``), so the page says exactly what the API and the CLI say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wtforms import Form, StringField

from webdig.lookup.params import split_lines

_PLAIN_TEXT = {"spellcheck": "false", "autocapitalize": "none", "autocomplete": "off"}
"""Hostnames and addresses: no spelling marks, no capital first letter on phones."""


class CheckForm(Form):
    """The renewal-check form (GET, read-only, so no CSRF token)."""

    class Meta:
        csrf = False

    domain = StringField(
        "Your website's domain",
        description="The address whose certificate did not renew, for example "
        "www.example.com or example.com.",
        render_kw={"inputmode": "url", **_PLAIN_TEXT},
    )
    expected = StringField(
        "Your server's IP or server name (from your hosting panel)",
        description="For example 192.0.2.10 or sv12345.xserver.jp. Without it, webdig shows "
        "where DNS points but cannot tell whether that is your server. "
        "Several: separate them with spaces.",
        render_kw={"inputmode": "url", **_PLAIN_TEXT},
    )

    @property
    def domain_text(self) -> str:
        """The domain as typed, without surrounding spaces."""
        return (self.domain.data or "").strip()

    @property
    def expected_texts(self) -> tuple[str, ...]:
        """The expected addresses or server names, one entry each."""
        return split_lines(self.expected.data)

    def add_errors(self, fields: Mapping[str, Sequence[str]]) -> None:
        """Attach the core's messages to their fields (others to the form), each once."""
        for name, messages in fields.items():
            if name in self:
                shown = list(self[name].errors)
                self[name].errors = shown + [m for m in messages if m not in shown]
            else:
                self.form_errors.extend(m for m in messages if m not in self.form_errors)

    @property
    def has_errors(self) -> bool:
        """Whether any field or the form itself has a message to show."""
        return bool(self.form_errors) or any(field.errors for field in self)
