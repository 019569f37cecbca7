"""`pl-diag`: the command line of PL Diagnostics. Each command parses its input and calls one service."""

from __future__ import annotations

import argparse
import sys

from . import db, export, frameworks, imports, manage, plan, report, rounds, sample, scores, staff, users
from .common import DEFAULT_FRAMEWORK, UserError  # noqa: F401 - the names callers know

COMMANDS = (frameworks, db, imports, manage, rounds, staff, scores, sample, plan, report, export, users)


def build_parser() -> argparse.ArgumentParser:
    """The whole `pl-diag` parser: every command module registers its subcommands."""
    from .common import db_option

    parser = argparse.ArgumentParser(prog="pl-diag", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    parent = db_option()
    for module in COMMANDS:
        module.add_parsers(sub, parent)
    return parser


def exit_status(exc: Exception) -> int | None:
    """The exit status for an error the user can act on, whichever command met it (None: a bug, let it show).

    2: the input needs fixing (a name, a setting, an account's rights); 3: the database could not save
    (a full disk, a read-only file), which the message explains.
    """
    from ..domain.names import InvalidName
    from ..services.access import AccessDenied
    from ..services.catalog import StorageError
    from ..settings import SettingError

    if isinstance(exc, StorageError):
        return 3
    if isinstance(exc, (InvalidName, SettingError, AccessDenied)):
        return 2
    return None


def main(argv: list[str] | None = None) -> int:
    """Run one command; user errors print one line and exit with status 2 (3: the database could not save)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
    except Exception as exc:
        status = exit_status(exc)
        if status is None:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return status


if __name__ == "__main__":
    sys.exit(main())
