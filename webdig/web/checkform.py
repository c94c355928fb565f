"""The renewal-check form: the domain, and the server it should point at.

Every message comes from the core (:func:`webdig.renewal.checklist.check_renewal`
validates both fields, and only it can resolve a server name given as
``expected``), so the page says exactly what the API and the CLI say.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from webdig.renewal.dns01 import Method
from webdig.renewal.question import switched_on
from webdig.web.plannedform import PlannedForm
from webdig.web.wording import METHOD_CHOICES

_PLAIN_TEXT = {"spellcheck": "false", "autocapitalize": "none", "autocomplete": "off"}
"""Hostnames and addresses: no spelling marks, no capital first letter on phones."""


class CheckForm(PlannedForm):
    """The renewal-check form."""

    domain = TextAreaField(
        _l("Your website's domain"),
        description=_l(
            "The address whose certificate did not renew, for example "
            "www.example.com or example.com. Several: one per line. webdig also checks "
            "www.example.com for example.com (and the reverse) and every name on the "
            "certificate your site serves now."
        ),
        render_kw={"inputmode": "url", "rows": 2, **_PLAIN_TEXT},
    )
    expected = StringField(
        _l("Your server's IP or server name (from your hosting panel)"),
        description=_l(
            "For example 192.0.2.10 or sv12345.xserver.jp. Without it, webdig shows "
            "where DNS points but cannot tell whether that is your server. "
            "Several: separate them with spaces."
        ),
        render_kw={"inputmode": "url", **_PLAIN_TEXT},
    )

    only = BooleanField(
        _l("Only these names"),
        description=_l("Do not add the www/bare counterpart or the certificate's names."),
    )
    method = SelectField(
        _l("How the certificate is validated"),
        default=str(Method.AUTO),
        # The core reads the value and says what is wrong with it, as for every field.
        validate_choice=False,
        description=_l(
            "Choose DNS-01 when your hosting panel or ACME client asked you to add a TXT "
            "record. A wildcard certificate (*.example.com) is checked for it anyway."
        ),
    )

    def __init__(self, formdata: MultiDict[str, str] | None = None) -> None:
        super().__init__(formdata)
        # WTForms reads a choice label that is not a str as a group: word them now.
        self.method.choices = [(str(m), gettext(label)) for m, label in METHOD_CHOICES.items()]

    @classmethod
    def from_args(cls, args: Mapping[str, str] | MultiDict[str, str]) -> CheckForm:
        """The form from a query string: ``domain`` repeated is one name per line."""
        values = MultiDict(args)
        if isinstance(args, MultiDict) and len(args.getlist("domain")) > 1:
            values.setlist("domain", ["\n".join(args.getlist("domain"))])
        form = cls(values)
        # WTForms ticks the box for any value but "false"; the question reads only on/1/
        # true/yes as on, and the box shows what the check did.
        form.only.data = switched_on(values.get("only"))
        return form
