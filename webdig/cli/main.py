"""The ``webdig`` command: ``webdig lookup`` (dig-like), ``webdig check`` (the renewal
checklist), ``webdig serve`` (gunicorn) and ``webdig db`` (the snapshot database).

A thin shell over the core: the arguments become the same
:class:`~webdig.lookup.params.LookupParams` the page builds from its query
string (or the same ``check_renewal`` call the check page makes), and the
output is the same text (:mod:`webdig.output.textreport`) or JSON
(:mod:`webdig.output.jsonbody`).  :func:`exit_status` and :func:`check_exit_status`
are the places that turn results into exit codes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from webdig.dig.command import KNOWN_OPTIONS, DigCommand, parse_command
from webdig.errors import InputError, WebdigError
from webdig.findings.catalog import sentence
from webdig.findings.model import Level
from webdig.language.translator import LANGUAGES, Translator, from_environment, translator
from webdig.lookup.params import LookupParams, Mode, from_getter, split_lines
from webdig.lookup.run import InvalidParams, Outcome, lookup
from webdig.lookup.typed import normalise
from webdig.output.jsonbody import decoded_to_json, outcome_to_json, report_to_json
from webdig.output.textreport import render_text
from webdig.renewal.checklist import check_renewal
from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import (
    MAX_TEXT,
    Decoded,
    TextTooLong,
    domains_to_check,
    pointed,
    read_failure,
)
from webdig.renewal.items import CHECK_WORDS
from webdig.renewal.report import RenewalReport
from webdig.settings import from_environ

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
APP = "webdig:create_app()"

LANG_HELP = "language of webdig's own lines (default: from LANG/LC_MESSAGES, else English)"

EXIT_OK = 0
EXIT_MISMATCH = 1
"""``lookup``: the expected address is not confirmed; ``check``: a checklist item fails."""
EXIT_USAGE = 2
EXIT_NO_REPLY = 9
"""dig's status when no server replied."""
EXIT_DATABASE = 3
"""``db``: the database could not be reached or changed."""


class UsageError(WebdigError):
    """The command line cannot become a look-up; the message says why."""


def exit_status(outcome: Outcome) -> int:
    """The exit code of a look-up: the one place that decides it.

    9 when no server replied at all (as dig).  1 when the expected address
    is not confirmed: a block answers another address, or a main block has
    no such record, a refusal or no reply.  A companion block (AAAA next to
    A) without a record is fine: no AAAA record cannot lead elsewhere.
    Otherwise 0.
    """
    if outcome.blocks and not any(block.result.ok for block in outcome.blocks):
        return EXIT_NO_REPLY
    for block in outcome.blocks:
        status = block.verdict.status if block.verdict is not None else "match"
        if status == "mismatch" or (status != "match" and not block.companion):
            return EXIT_MISMATCH
    return EXIT_OK


def check_exit_status(report: RenewalReport) -> int:
    """The exit code of a renewal check: 1 when an item fails, else 0.

    Warnings and skipped items do not stop a renewal, so they exit 0: a
    script may go on to renew when the check succeeds.
    """
    return EXIT_MISMATCH if any(c.level is Level.FAIL for c in report.checks) else EXIT_OK


def params_from_args(args: argparse.Namespace) -> LookupParams:
    """Turn dig's arguments (``NAME``, ``TYPE``, ``CLASS``, ``@SERVER``, ``-x``, ``+option``)
    and webdig's own options into parameters."""
    values = _command(args).values
    if args.ns:
        values["ns"] = args.ns
    values["expected"] = "\n".join(args.expected)
    return from_getter(values.get)


def idnout_default(command: DigCommand) -> bool:
    """Whether names print as U-labels: as ``+[no]idnout`` says, else when stdout is a
    terminal (dig's default)."""
    return command.idnout if command.idnout is not None else sys.stdout.isatty()


def _command(args: argparse.Namespace) -> DigCommand:
    try:
        return parse_command(args.tokens)
    except InputError as exc:
        raise UsageError(exc.message) from exc


def run_lookup(args: argparse.Namespace) -> int:
    """``webdig lookup``: print the look-up as dig text or JSON; return the exit code."""
    params = params_from_args(args)
    command = _command(args)
    try:
        outcome = lookup(params, from_environ(os.environ))
    except InvalidParams as exc:
        return _invalid(exc.fields, language_of(args))
    words = language_of(args)
    if args.json:
        body = outcome_to_json(outcome, share_url=None, translations=words)
        print(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        # As dig: the banner shows the arguments as typed.
        text = render_text(
            outcome, words, command=" ".join(args.tokens), idnout=idnout_default(command)
        )
        sys.stdout.write(text)
    return exit_status(outcome)


def language_of(args: argparse.Namespace) -> Translator:
    """``--lang``, else the terminal's LANGUAGE/LC_ALL/LC_MESSAGES/LANG, else English."""
    return translator(args.lang or from_environment(os.environ))


def _invalid(fields: Mapping[str, Sequence[str]], language: Translator) -> int:
    """Print the core's messages by field on stderr, in ``language``; return the usage exit
    code."""
    for field, messages in fields.items():
        for message in messages:
            print(f"webdig: {field}: {language.text(message)}", file=sys.stderr)
    return EXIT_USAGE


def render_check(
    report: RenewalReport,
    *,
    evidence: bool = False,
    translations: Translator | None = None,
    decoded: Decoded | None = None,
) -> str:
    """The checklist as text: the summary sentence, then each item with its detail and fix,
    under the name it is about (as the page groups them), in the reader's language.

    With ``evidence``, each item's raw material (dig output, HTTP exchanges,
    certificate fields) follows it, indented.  With ``decoded`` (``--error``), what the
    failure text says comes first, in ``words``' language, and its item is marked.
    """
    say = translations.gettext if translations is not None else (lambda text: text)
    indent = " " * 4
    lines = [say("Checklist for %(domain)s") % {"domain": ", ".join(report.domains)}]
    if report.expected:
        lines.append(f"{say('Compared with your server:')} {', '.join(report.expected)}")
    lines.append("")
    if decoded is not None:
        said = sentence(decoded.finding, translations)
        lines += [*_wrap(f"{say('Your mail says:')} {said}" if decoded.recognised else said), ""]
    lines += _wrap(f"{report.headline.level.mark} {report.summary_in(translations)}")
    lines += [
        line
        for note in report.notes
        for line in _wrap(f"{note.level.mark} {sentence(note, translations)}")
    ]
    marked = pointed(report.checks, decoded)
    shown_name: str | None = None
    for number, check in enumerate(report.checks, start=1):
        if check.name is not None and check.name != shown_name:
            lines += ["", "== " + say("Name: %(name)s") % {"name": check.name}]
        shown_name = check.name
        word = say(CHECK_WORDS[check.level])
        mark = f"  ← {say('Your mail points here')}" if check in marked else ""
        lines += ["", f"{number}. {check.level.mark} {word}: {say(check.title)}{mark}"]
        lines += _wrap(check.detail_in(translations), indent)
        advice = check.fix_in(translations)
        lines += _wrap(f"{say('What to do:')} {advice}", indent) if advice else []
        for piece in check.evidence if evidence else ():
            title = translations.text(piece.title) if translations is not None else piece.title
            lines += ["", f"{indent}--- {title}"]
            lines += [f"{indent}{line}".rstrip() for line in piece.text.strip("\n").split("\n")]
    return "\n".join([*lines, ""])


def _wrap(text: str, indent: str = "") -> list[str]:
    # URLs and host names stay whole, so they can be copied from the terminal.
    return textwrap.wrap(
        text, 88, initial_indent=indent, subsequent_indent=indent,
        break_long_words=False, break_on_hyphens=False,
    )  # fmt: skip


def run_check(args: argparse.Namespace) -> int:
    """``webdig check``: run the renewal checklist; print it as text or JSON.

    ``--error TEXT`` (``-``: read it from stdin) is a failure mail or error: what it
    says comes first, and its domain is checked when none is given.
    """
    expected = tuple(entry for value in args.expected for entry in split_lines(value))
    words = language_of(args)
    error = sys.stdin.read(MAX_TEXT + 1) if args.error == "-" else args.error
    try:
        decoded = read_failure(error, None, limit=MAX_TEXT)
        domains = domains_to_check(args.domain, decoded)
        report = check_renewal(
            domains, expected, from_environ(os.environ), only=args.only, method=args.method
        )
    except TextTooLong as exc:
        print(f"webdig: error: {words.text(exc.message)}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidParams as exc:
        return _invalid(exc.fields, words)
    if args.json:
        body = report_to_json(report, share_url=None, translations=words)
        if decoded is not None:
            body["decoded"] = decoded_to_json(decoded, words)
        print(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        text = render_check(report, evidence=args.evidence, translations=words, decoded=decoded)
        sys.stdout.write(text)
    return check_exit_status(report)


def gunicorn_argv(host: str, port: int, workers: int | None) -> list[str]:
    """The gunicorn command that serves the app factory, using gunicorn.conf.py if present.

    Flags given here override the configuration file, so ``webdig serve``
    listens where it says even when the file binds ``$PORT`` for a PaaS.
    """
    argv = [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONF.is_file():
        argv += ["--config", str(GUNICORN_CONF)]
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv += ["--bind", bind]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return [*argv, APP]


def run_serve(args: argparse.Namespace) -> int:
    """``webdig serve``: replace this process with gunicorn (signals then reach it directly)."""
    argv = gunicorn_argv(args.host, args.port, args.workers)
    os.execv(argv[0], argv)  # noqa: S606 - our own interpreter, fixed arguments


def run_db(args: argparse.Namespace) -> int:
    """``webdig db upgrade|downgrade REV|current|sweep``: manage the snapshot database.

    The app is built (lazily, so other commands never import Flask) to find the very
    database the server uses: ``DATABASE_URL``, or the SQLite file in its instance folder.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from webdig import create_app
    from webdig.storage import migrate
    from webdig.storage.snapshots import SnapshotStore, StorageUnavailable

    app = create_app({"DATABASE_AUTO_UPGRADE": False})
    store = SnapshotStore.from_config(app.config, app.instance_path, os.environ)
    where = store.engine.url.render_as_string(hide_password=True)
    try:
        if args.action == "upgrade":
            migrate.upgrade(store.engine)
        elif args.action == "downgrade":
            migrate.downgrade(store.engine, args.revision)
        elif args.action == "sweep":
            print(f"{where}: deleted {store.sweep()} expired snapshot(s)")
            return EXIT_OK
        print(f"{where}: at revision {migrate.current(store.engine) or 'base (empty)'}"
              f" (this webdig: {migrate.head()})")  # fmt: skip
    except (StorageUnavailable, SQLAlchemyError, OSError) as exc:
        print(f"webdig: {where}: {exc}", file=sys.stderr)
        return EXIT_DATABASE
    finally:
        store.engine.dispose()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``webdig`` command."""
    parser = argparse.ArgumentParser(prog="webdig", description="dig, with a verdict.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="start the web app under gunicorn")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--workers", type=int, help="worker processes (default: config)")
    serve.set_defaults(run=run_serve)

    found = commands.add_parser(
        "lookup",
        help="look names up, as dig does",
        usage="webdig lookup [@SERVER...] NAME [NAME...] [CLASS] [TYPE] [-x ADDRESS] [+OPTION...] "
        "[--expected IP] [--ns MODE] [--json]",
        description="Arguments as dig takes them, in dig's order: @SERVER, names, a class "
        "(IN, CH, HS), a record type, -x ADDRESS, -t TYPE, -c CLASS, -q NAME, -p PORT and "
        f"+options ({KNOWN_OPTIONS}). Without @SERVER, the configured resolver is asked.",
    )
    found.add_argument("tokens", nargs="*", metavar="NAME|TYPE|CLASS|@SERVER|+OPTION")
    found.add_argument(
        "--expected", action="append", default=[], metavar="IP",
        help="your server's IP (or server name); repeat it or separate with commas",
    )  # fmt: skip
    found.add_argument(
        "--ns", choices=[str(mode) for mode in Mode],
        help=f"which servers to ask: {Mode.summary()}",
    )  # fmt: skip
    found.add_argument("--json", action="store_true", help="print the API's JSON")
    found.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)
    found.set_defaults(run=run_lookup)

    check = commands.add_parser(
        "check",
        help="run the checklist of a failed Let's Encrypt renewal",
        description="Checks, all at once: the domain exists; DNS points at your server; CAA "
        "allows Let's Encrypt; port 80 serves the challenge path; the certificate served now; "
        "Let's Encrypt's status. Exit status: 0 when nothing fails, 1 when an item fails, "
        "2 for bad input.",
    )
    check.add_argument(
        "domain", metavar="DOMAIN", nargs="*",
        help="the website's domain, e.g. www.example.jp; several: one after another (with "
        "--error: none, to check the one the text names)",
    )  # fmt: skip
    check.add_argument(
        "--only", action="store_true",
        help="check only the names given: not their www/bare counterpart, not the names on "
        "the certificate the site serves now",
    )  # fmt: skip
    check.add_argument(
        "--method", choices=[str(m) for m in Method], default=str(Method.AUTO),
        help="dns-01: the renewal uses a TXT record at _acme-challenge (every name is checked "
        "for it, and port 80 is shown for reference only); auto: HTTP-01, and DNS-01 for a "
        "wildcard on the certificate",
    )  # fmt: skip
    check.add_argument(
        "--expected", action="append", default=[], metavar="IP|SERVER",
        help="your server's IP or server name (from your hosting panel); repeat it or "
        "separate with commas",
    )  # fmt: skip
    check.add_argument(
        "--error", metavar="TEXT",
        help="the failure mail or error message you got ('-': read it from stdin): webdig "
        f"says which item it means (at most {MAX_TEXT} characters)",
    )  # fmt: skip
    check.add_argument("--json", action="store_true", help="print the API's JSON")
    check.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)
    check.add_argument(
        "--evidence", action="store_true",
        help="also print the raw evidence: dig output, HTTP exchanges, certificate fields",
    )  # fmt: skip
    check.set_defaults(run=run_check)

    database = commands.add_parser(
        "db",
        help="manage the snapshot database (DATABASE_URL, or SQLite in the instance folder)",
        description="upgrade: apply the schema migrations (the server also does on start-up); "
        "downgrade REV: undo them down to REV (base: drop every saved result); current: show "
        "the revision; sweep: delete snapshots older than WEBDIG_SNAPSHOT_DAYS.",
    )
    database.add_argument("action", choices=("upgrade", "downgrade", "current", "sweep"))
    database.add_argument("revision", nargs="?", default="base", help="for downgrade")
    database.set_defaults(run=run_db)
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (argparse exits with status 2 on a usage error)."""
    parser = build_parser()
    # Full-width input (１９２．０．２．１０, pasted from a Japanese page) reads as ASCII.
    argv = [normalise(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    if argv[:1] != ["lookup"]:
        return parser.parse_args(argv)
    # dig's arguments keep their order (the banner shows them as typed, and
    # +noall +answer is not +answer +noall); only webdig's own options go
    # through argparse.
    own, tokens = _split_lookup(argv[1:])
    args = parser.parse_args(["lookup", *own])
    args.tokens = tokens
    return args


_OWN_WITH_VALUE = ("--expected", "--ns", "--lang")
_OWN_FLAGS = ("--json", "-h", "--help")


def _split_lookup(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """webdig's own options (``--expected IP``, ``--ns``, ``--json``) apart from dig's tokens."""
    own: list[str] = []
    tokens: list[str] = []
    stream = iter(argv)
    for arg in stream:
        if arg in _OWN_FLAGS or arg.startswith(tuple(f"{o}=" for o in _OWN_WITH_VALUE)):
            own.append(arg)
        elif arg in _OWN_WITH_VALUE:
            own += [arg, *(value for value in [next(stream, None)] if value is not None)]
        else:
            tokens.append(arg)
    return own, tokens


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``webdig`` command; return its exit status."""
    try:
        args = parse_args(argv)
        status: int = args.run(args)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except UsageError as exc:
        print(f"webdig: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return status


if __name__ == "__main__":
    sys.exit(main())
