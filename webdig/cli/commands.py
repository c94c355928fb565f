"""What each ``webdig`` command does: ``lookup``, ``check``, ``serve`` and ``db``.

A thin shell over the core: the arguments become the same
:class:`~webdig.lookup.params.LookupParams` the page builds from its query
string (or the same ``check_renewal`` call the check page makes), and the
output is the same text (:mod:`webdig.output.textreport`,
:mod:`webdig.output.checktext`) or JSON (:mod:`webdig.output.jsonbody`); the exit code
comes from :mod:`webdig.cli.exitstatus`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from webdig.cli.exitstatus import (
    EXIT_DATABASE,
    EXIT_OK,
    EXIT_USAGE,
    check_exit_status,
    exit_status,
)
from webdig.dig.command import DigCommand, parse_command
from webdig.errors import InputError, WebdigError
from webdig.language.translator import Translator, from_environment, translator
from webdig.lookup.params import LookupParams, from_values, split_lines
from webdig.lookup.run import InvalidParams, lookup
from webdig.output.checktext import render_check
from webdig.output.jsonbody import decoded_to_json, outcome_to_json, report_to_json
from webdig.output.textreport import render_text
from webdig.renewal.checklist import check_question
from webdig.renewal.failuretext import MAX_TEXT, TextTooLong, read_failure
from webdig.renewal.question import CheckQuestion
from webdig.settings import from_environ

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
APP = "webdig:create_app()"


class UsageError(WebdigError):
    """The command line cannot become a look-up; the message says why."""


def params_from_args(args: argparse.Namespace) -> LookupParams:
    """Turn dig's arguments (``NAME``, ``TYPE``, ``CLASS``, ``@SERVER``, ``-x``, ``+option``)
    and webdig's own options into parameters."""
    values = _command(args).values
    if args.ns:
        values["ns"] = args.ns
    values["expected"] = "\n".join(args.expected)
    return from_values(values)


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


def question_of(args: argparse.Namespace) -> CheckQuestion:
    """The check ``webdig check``'s arguments ask (``--expected`` repeated or comma-separated)."""
    expected = split_lines(" ".join(args.expected))
    return CheckQuestion(tuple(args.domain), expected, only=args.only, method=args.method)


def run_check(args: argparse.Namespace) -> int:
    """``webdig check``: run the renewal checklist; print it as text or JSON.

    ``--error TEXT`` (``-``: read it from stdin) is a failure mail or error: what it
    says comes first, and its domain is checked when none is given.
    """
    words = language_of(args)
    error = sys.stdin.read(MAX_TEXT + 1) if args.error == "-" else args.error
    try:
        decoded = read_failure(error, None, limit=MAX_TEXT)
        question = question_of(args).with_failure(decoded)
        report = check_question(question, from_environ(os.environ))
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
