"""The ``webdig`` command line: ``webdig lookup`` (dig-like), ``webdig check`` (the renewal
checklist), ``webdig serve`` (gunicorn) and ``webdig db`` (the snapshot database).

The arguments are read here (dig's own, in dig's order, apart from webdig's options); what
each command then does is in :mod:`webdig.cli.commands`, and its exit code comes from
:mod:`webdig.cli.exitstatus`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from webdig.cli.commands import UsageError, run_check, run_db, run_lookup, run_serve
from webdig.cli.exitstatus import EXIT_USAGE
from webdig.dig.command import KNOWN_OPTIONS
from webdig.language.translator import LANGUAGES
from webdig.lookup.params import Mode
from webdig.lookup.typed import normalise
from webdig.renewal.dns01 import Method
from webdig.renewal.failuretext import MAX_TEXT

LANG_HELP = "language of webdig's own lines (default: from LANG/LC_MESSAGES, else English)"


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
