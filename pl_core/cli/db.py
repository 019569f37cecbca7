"""`pl-diag db upgrade|republish|check` and `pl-diag backup`: database maintenance."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import UserError, engine


def add_parsers(sub, db) -> None:
    """Register `db` and `backup`."""
    p = sub.add_parser("db", parents=[db], help="database maintenance")
    p.add_argument(
        "action",
        choices=["upgrade", "republish", "check"],
        help="upgrade: apply migrations up to the latest; republish: decide every round's figures again "
        "(after changing PL_MIN_GROUP_SIZE); check: look for stored answers that point at no import or "
        "person (exit status 1 if there are any)",
    )
    p.set_defaults(func=cmd_db)

    p = sub.add_parser(
        "backup",
        parents=[db],
        help="copy the embedded SQLite database safely while the app runs (PostgreSQL: prints the pg_dump command)",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="the backup file to write, e.g. pl-2026-11-01.db")
    p.set_defaults(func=cmd_backup)


def cmd_db(args) -> int:
    from ..services.catalog import schema_revision

    db = engine(args)
    current, head = schema_revision(db)
    print(f"database at revision {current} (head {head})")
    if args.action == "republish":
        from ..services.releases import republish_all

        print(f"figures decided again for {republish_all(db)} round(s)")
    if args.action == "check":
        from ..services.catalog import misplaced_answers

        found = misplaced_answers(db)
        if not found.total:
            print("every stored answer points at its import and at a person of that import's school")
            return 0
        print(
            f"{found.total:,} stored answer(s) point nowhere: {found.no_batch:,} at no import, "
            f"{found.no_respondent:,} at no person, {found.other_school:,} at a person of another school. "
            "Something wrote to the database around PL Diagnostics; restore the latest backup, or report it.",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_backup(args) -> int:
    from ..services import catalog

    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no folder {out.parent} to write {out.name} into")
    try:
        result = catalog.backup(args.db, out)
    except catalog.BackupNotSupported as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except (ValueError, FileNotFoundError) as exc:
        raise UserError(str(exc)) from None
    counts = ", ".join(f"{n} {table}" for table, n in result.tables.items())
    print(f"backed up to {result.path} ({result.size:,} bytes: {counts})")
    return 0
