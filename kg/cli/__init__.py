"""The ``kg`` command line. Each command group lives in its own module with a ``register``
function that adds its sub-commands; this module only dispatches and turns user errors into
one line on stderr and exit code 2."""
from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys

from ..model import KGError

COMMAND_MODULES = ("parse", "build", "extract", "query", "export", "validate", "load", "diff")
#: commands registered by a module of another name
COMMAND_ALIASES = {"add": "build"}


def int_at_least(minimum: int):
    """An argparse ``type`` for whole numbers >= *minimum*, with a one-line message otherwise.

    >>> int_at_least(1)("3")
    3
    >>> int_at_least(1)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be at least 1 (got 0)
    """
    def convert(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {n})")
        return n

    convert.__name__ = f"int>={minimum}"
    return convert


def _modules_for(argv: list[str] | None) -> tuple[str, ...]:
    """The command modules a command line needs: only the named command's (so that
    ``kg query`` does not import the exporters), or all of them (no or an unknown command).

    >>> _modules_for(["query", "coauthors", "X"]), _modules_for(["add", "x"]), _modules_for([]) == COMMAND_MODULES
    (('query',), ('build',), True)
    """
    args = sys.argv[1:] if argv is None else argv
    first = next((a for a in args if not a.startswith("-")), None)
    name = COMMAND_ALIASES.get(first, first)
    return (name,) if name in COMMAND_MODULES else COMMAND_MODULES


def make_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser with the commands *argv* needs registered (every command when
    *argv* names none; see :func:`_modules_for`).

    >>> "build" in make_parser([]).format_help()
    True
    """
    from .. import __version__

    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graph of papers, authors, "
                                     "methods and benchmarks from paper listings.")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for(argv):
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser




class Terminated(BaseException):
    """Raised in the main thread on SIGTERM, so that a terminated run cleans up (staging
    folders, locks) on its way out instead of dying mid-write."""


@contextlib.contextmanager
def _terminate_as_exception():
    def on_term(signum, frame):
        raise Terminated()

    try:
        old = signal.signal(signal.SIGTERM, on_term)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def main(argv: list[str] | None = None) -> int:
    """Run the ``kg`` command; return its exit code (0 ok, 2 user error).

    >>> main(["parse", "no/such/file.txt"])
    2
    >>> main(["build", "--no-extract", "--out", "/dev/null/x"])  # an OSError: one line, no traceback
    2
    """
    parser = make_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a usage line
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with _terminate_as_exception():
            return int(args.func(args) or 0)
    except Terminated:
        print("kg: terminated", file=sys.stderr)
        return 143
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # an unwritable --out, a full disk, a folder given for a file...
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {where}{(exc.strerror or str(exc)).lower()}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
