"""What every `pl-diag` command shares: the --db option, user errors, and loading a framework or the database."""

from __future__ import annotations

import argparse

DEFAULT_FRAMEWORK = "dps-driver-model"


class UserError(Exception):
    """A mistake in the user's input: printed without a traceback, exit status 2."""


def db_option() -> argparse.ArgumentParser:
    """The parent parser that gives a command the one shared `--db URL` option."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--db", metavar="URL", help="database URL (default: PL_DATABASE_URL or the embedded SQLite)")
    return parent


def framework(framework_id: str):
    """The framework with this id, or a UserError naming the ids there are."""
    from ..frameworks import FrameworkError, load_framework

    try:
        return load_framework(framework_id)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    except FrameworkError as exc:
        raise UserError(str(exc)) from None


def engine(args: argparse.Namespace):
    """The database the command's --db (or the configured default) names, migrated to the newest schema."""
    from ..services.catalog import DatabaseUnavailable, open_engine

    try:
        return open_engine(getattr(args, "db", None))
    except DatabaseUnavailable as exc:
        raise UserError(str(exc)) from None


def viewer():
    """The command line runs where the database's credentials are: it is the district's trusted local user."""
    from ..services.access import LOCAL

    return LOCAL
