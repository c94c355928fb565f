"""The base of webdig's forms: they hold and show input, and validate nothing themselves.

:func:`webdig.lookup.planning.plan` (for the check form, through
:func:`webdig.renewal.checklist.check_renewal`) checks every field once and
reports its messages by field; the page shows them next to those fields, so
it says exactly what the API and the CLI say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wtforms import Form


class PlannedForm(Form):
    """A GET form (read-only, so no CSRF token) showing the core's messages by field."""

    class Meta:
        csrf = False

    def add_errors(self, fields: Mapping[str, Sequence[str]]) -> None:
        """Show the core's messages next to their fields (in the form's box for any other)."""
        for name, messages in fields.items():
            if name in self:
                self[name].errors = [*self[name].errors, *messages]
            else:
                self.form_errors.extend(messages)

    @property
    def has_errors(self) -> bool:
        """Whether any field or the form itself has a message to show."""
        return bool(self.form_errors) or any(field.errors for field in self)
