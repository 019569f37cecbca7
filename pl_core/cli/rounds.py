"""`pl-diag rounds`: list the assessment rounds, and create a new one (a coach's or district admin's job).

    pl-diag rounds add "Winter 2027"

Principals import into rounds that exist; a round is named once here (or by a coach importing into it), so a
typo in one school's upload never becomes the round every other school opens on.
"""

from __future__ import annotations

import argparse

from .common import engine, viewer


def add_parsers(sub, db) -> None:
    """Register `rounds` and its actions."""
    p = sub.add_parser("rounds", help="list assessment rounds, or create a new one")
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("list", parents=[db], help="list the rounds, oldest first")
    a = actions.add_parser("add", parents=[db], help='create a round, e.g. "Winter 2027"')
    a.add_argument("name")
    a.add_argument("--district", help="default: the database's only district, else 'My District'")
    p.set_defaults(func=cmd_rounds)


def cmd_rounds(args: argparse.Namespace) -> int:
    """Run one `pl-diag rounds` action; a bad name exits with status 2 and says what to fix."""
    from ..services import rounds

    db = engine(args)
    if args.action == "add":
        name = rounds.check_name("round", args.name)
        district = rounds.check_name("district", args.district) if args.district else None
        created = rounds.add_round(db, viewer(), name, district=district)
        print(f"created the round {name!r}" if created else f"the round {name!r} already exists")
        return 0
    names = rounds.list_rounds(db)
    for name in names:
        print(name)
    if not names:
        print('no rounds yet: create one with  pl-diag rounds add "Fall 2026"')
    return 0
