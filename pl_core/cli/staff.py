"""`pl-diag staff`: how many staff a school expected to answer in a round (the response rate's denominator)."""

from __future__ import annotations

from .common import UserError, engine, viewer


def add_parsers(sub, db) -> None:
    """Register `staff`."""
    p = sub.add_parser(
        "staff",
        parents=[db],
        help="show or set how many staff a school expected to answer in a round (for the response rate)",
    )
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True, help='e.g. "Fall 2026"')
    p.add_argument("--expected", type=int, metavar="N", help="set the count; without it, show the stored one")
    p.set_defaults(func=cmd_staff)


def save_expected(args, school: str, round_name: str, count: int) -> None:
    """Store the count through the checked service; a count out of range is a user error."""
    from ..services import imports

    try:
        imports.set_expected_staff(engine(args), viewer(), school=school, round=round_name, count=count)
    except imports.InvalidCount as exc:
        raise UserError(str(exc)) from None


def cmd_staff(args) -> int:
    from ..services import imports

    if args.expected is not None:
        save_expected(args, args.school, args.round, args.expected)
        print(f"{args.school} \u00b7 {args.round}: {args.expected:,} staff expected")
        return 0
    count = imports.expected_staff(engine(args), viewer(), school=args.school, round=args.round)
    print(f"{args.school} \u00b7 {args.round}: " + (f"{count:,} staff expected" if count else "no expected count yet"))
    return 0
