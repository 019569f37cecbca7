"""`pl-diag import`: check a staff self-assessment file and store it for a school and round."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer


def add_parsers(sub, db) -> None:
    """Register `import`."""
    p = sub.add_parser("import", parents=[db], help="import a staff self-assessment file (CSV or XLSX)")
    p.add_argument("file")
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True, help='e.g. "Fall 2026"')
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--labels", metavar="FILE", help="YAML file of `label: level` pairs for unusual answer labels")
    p.add_argument("--district", help="default: the database's only district, else 'My District'")
    p.add_argument("--by", default="", help="who is importing (kept with the import)")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        default=None,
        help="read dates such as 10/09/2024 day first (10 September), when the file does not settle it",
    )
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read such dates month first (October 9)")  # fmt: skip
    p.add_argument("--sheet", help="the workbook's sheet to read (default: the responses sheet)")
    p.add_argument("--block", type=int, help="which repeated question block is the self-assessment (1, 2, ...)")
    p.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="HEADER=TARGET",
        help="map a column by hand: an item id, or comments, ignore, role, grade_band, email, name (repeatable)",
    )
    p.add_argument(
        "--expected-staff", type=int, metavar="N", help="how many staff were asked to answer (for the response rate)"
    )
    p.set_defaults(func=cmd_import)


# The keyword of read_upload each choice needs, as the command line spells it.
CHOICE_FLAGS = {"dayfirst": "--dayfirst or --monthfirst", "block": "--block N", "sheet": '--sheet "NAME"'}


def _overrides(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        header, sep, target = pair.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise UserError(f'--column {pair!r}: write it as HEADER=TARGET, e.g. --column "Notes=comments"')
        found[header.strip()] = target.strip()
    return found


def cmd_import(args) -> int:
    from ..services import imports

    fw = framework(args.framework)
    # Names first: a mistake in one is reported before the file is read (the service checks them again).
    args.school = imports.check_name("school", args.school)
    args.round = imports.check_name("round", args.round)
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"no file at {path}")
    if args.expected_staff is not None and not 1 <= args.expected_staff <= imports.MAX_STAFF:
        raise UserError(f"--expected-staff must be a whole number from 1 to {imports.MAX_STAFF:,}")
    label_map = None
    if args.labels:
        try:
            label_map = imports.load_label_map(args.labels)
        except imports.LabelMapError as exc:
            raise UserError(str(exc)) from None
    choices = {
        k: v for k, v in (("dayfirst", args.dayfirst), ("sheet", args.sheet), ("block", args.block)) if v is not None
    }
    parsed = imports.check_upload(
        path.read_bytes(),
        path.name,
        fw,
        label_map=label_map,
        column_overrides=_overrides(args.column) or None,
        **choices,
    )
    print(parsed.report.summary())
    for issue in parsed.report.choices:
        options = "; ".join(f"{o.label}" for o in issue.options)
        print(f"choose with {CHOICE_FLAGS.get(issue.choice, issue.choice)}: {options}", file=sys.stderr)
    if not parsed.report.valid:
        print("nothing was imported: fix the errors above and run the import again", file=sys.stderr)
        return 1
    result = imports.save_import(
        engine(args),
        viewer(),
        parsed,
        school=args.school,
        round=args.round,
        framework=fw,
        district=args.district,
        imported_by=args.by,
    )
    replaced = f", replacing import #{result.replaced_batch_id}" if result.replaced_batch_id else ""
    print(f"imported as #{result.batch_id} for {args.school} \u00b7 {args.round}{replaced}")
    if args.expected_staff is not None:
        from .staff import save_expected

        save_expected(args, args.school, args.round, args.expected_staff)
        print(f"{args.expected_staff:,} staff expected: {result.respondents:,} answered")
    return 0
