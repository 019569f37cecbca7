"""`pl-diag export`: scores, aggregated staff answers, workshop votes, goals or the district file as CSV or XLSX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer

ROW_LEVEL_HELP = (
    "responses only: one row per answer with the pseudonymous respondent key, role and grade band. "
    "For a district data team; never share it with schools, as small groups become identifiable"
)
# The kinds pl_core.services.exports writes, named here so registering the command does not load pandas and
# openpyxl (tests/test_export.py checks the two lists agree).
EXPORT_KINDS = ("scores", "responses", "votes", "goals", "district")


def add_parsers(sub: argparse._SubParsersAction, db) -> None:
    """Register `export`."""
    p = sub.add_parser(
        "export",
        parents=[db],
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
    p.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    from ..present.export import format_for, write
    from ..services import catalog, exports

    try:
        fmt = format_for(args.out)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if args.row_level and args.kind != "responses":
        raise UserError("--row-level applies to the responses export only")
    if args.kind == "goals" and args.round is not None:
        raise UserError("goals span rounds: drop --round (use --school to narrow)")
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no folder {out.parent} to write {out.name} into")
    fw = framework(args.framework)
    db = engine(args)
    schools = catalog.list_schools(db, viewer())
    if args.school is not None and args.school not in schools:
        raise UserError(f"no school {args.school!r}; schools: {', '.join(schools) or 'none'}")
    rounds = catalog.list_rounds(db)
    if args.round is not None and args.round not in rounds:
        raise UserError(f"no round {args.round!r}; rounds: {', '.join(rounds) or 'none'}")
    table = exports.export_table(
        db, viewer(), args.kind, fw, school=args.school, round=args.round, row_level=args.row_level
    )
    out.write_bytes(write(table, fmt, sheet=args.kind))
    what = "row-level responses" if args.row_level else args.kind
    print(f"wrote {len(table)} rows of {what} ({fw.id}, {fmt}) to {out}")
    if table.empty:
        print("the export is empty: check --school, --round and --framework", file=sys.stderr)
    return 0
