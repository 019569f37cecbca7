"""`pl-diag export` and `pl-diag backup`: spreadsheet exports and online database backups."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import DEFAULT_FRAMEWORK, UserError, _engine, _framework

ROW_LEVEL_HELP = (
    "responses only: one row per answer with the pseudonymous respondent key, role and grade band. "
    "For a district data team; never share it with schools, as small groups become identifiable"
)


def cmd_export(args) -> int:
    from . import auth, export, store

    try:
        fmt = export.format_for(args.out)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.row_level and args.kind != "responses":
        raise UserError("--row-level applies to the responses export only")
    if args.kind == "goals" and args.round is not None:
        raise UserError("goals span rounds: drop --round (use --school to narrow)")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no folder {out.parent} to write {out.name} into")
    framework = _framework(args.framework)
    engine = _engine(args.db)
    if args.school is not None and args.school not in store.list_schools(engine):
        raise UserError(f"no school {args.school!r}; schools: {', '.join(store.list_schools(engine)) or 'none'}")
    if args.round is not None and args.round not in store.list_rounds(engine):
        raise UserError(f"no round {args.round!r}; rounds: {', '.join(store.list_rounds(engine)) or 'none'}")
    # The command line runs where the database's credentials are: it is the district's trusted local user.
    table = export.export_table(
        engine, auth.LOCAL, args.kind, framework, school=args.school, round=args.round, row_level=args.row_level
    )
    out.write_bytes(export.write(table, fmt, sheet=args.kind))
    what = "row-level responses" if args.row_level else args.kind
    print(f"wrote {len(table)} rows of {what} ({framework.id}, {fmt}) to {out}")
    if table.empty:
        print("the export is empty: check --school, --round and --framework", file=sys.stderr)
    return 0


def cmd_backup(args) -> int:
    from . import export, settings

    url = args.db or settings.database_url()
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no folder {out.parent} to write {out.name} into")
    try:
        result = export.backup_database(url, out)
    except export.BackupNotSupported as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (ValueError, FileNotFoundError) as exc:
        raise UserError(str(exc)) from None
    counts = ", ".join(f"{n} {table}" for table, n in result.tables.items())
    print(f"backed up to {result.path} ({result.size:,} bytes: {counts})")
    return 0


# The kinds pl_core.export writes, named here so registering the command does not load pandas and openpyxl
# (tests/test_export.py checks the two lists agree).
EXPORT_KINDS = ("scores", "responses", "votes", "goals", "district")


def add_export_parsers(sub: argparse._SubParsersAction) -> None:
    """Register `pl-diag export` and `pl-diag backup` on the main parser's subcommands."""
    p = sub.add_parser(
        "export",
        help="write scores, responses, workshop votes, goals or the district file as CSV or XLSX",
        description="Exports are aggregate unless --row-level is given; text that a spreadsheet could run "
        "as a formula is prefixed with an apostrophe.",
    )
    p.add_argument("kind", choices=EXPORT_KINDS)
    p.add_argument("--out", required=True, metavar="FILE", help="output file; .csv or .xlsx decides the format")
    p.add_argument("--school", help="only this school (default: every school)")
    p.add_argument("--round", help="only this round (default: every round)")
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--row-level", action="store_true", help=ROW_LEVEL_HELP)
    p.add_argument("--db", metavar="URL", help="database URL (default: PL_DATABASE_URL or the embedded SQLite)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "backup",
        help="copy the embedded SQLite database safely while the app runs (PostgreSQL: prints the pg_dump command)",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to write, e.g. pl-2026-11-01.db")
    p.add_argument("--db", metavar="URL", help="database URL (default: PL_DATABASE_URL or the embedded SQLite)")
    p.set_defaults(func=cmd_backup)


def main(argv: list[str] | None = None) -> int:
    """Run just these subcommands (`python -m pl_core.cli_export export ...`), as `pl-diag` would."""
    parser = argparse.ArgumentParser(prog="pl-diag", description=__doc__)
    add_export_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
