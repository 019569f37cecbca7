"""`pl-diag users`: list, add and change the people who may sign in, and the schools they see.

The first district admin is created here (there is nobody yet to do it in the dashboard):

    pl-diag users add ada@district.org --role district_admin --name "Ada Lopez"
"""

from __future__ import annotations

import argparse

from ..domain import roles
from .common import UserError, engine, viewer


def add_parsers(sub, db) -> None:
    """Register `users` and its actions."""
    p = sub.add_parser("users", parents=[db], help="manage who may sign in: roles and assigned schools")
    actions = p.add_subparsers(dest="action", required=True)

    actions.add_parser("list", help="list users with their role and schools")

    a = actions.add_parser("add", help="add a user")
    a.add_argument("email")
    a.add_argument("--role", required=True, choices=roles.ROLES)
    a.add_argument("--school", action="append", default=[], metavar="NAME", help="a school they see (repeatable)")
    a.add_argument("--name", default="", help="display name")

    a = actions.add_parser("set-role", help="change a user's role")
    a.add_argument("email")
    a.add_argument("role", choices=roles.ROLES)

    for action, verb in (("assign", "let a user see a school"), ("unassign", "stop a user seeing a school")):
        a = actions.add_parser(action, help=verb)
        a.add_argument("email")
        a.add_argument("--school", action="append", required=True, metavar="NAME", help="repeatable")

    a = actions.add_parser("remove", help="remove a user")
    a.add_argument("email")
    p.set_defaults(func=cmd_users)


def describe(user) -> str:
    """One line about a user: email, role, name and schools."""
    if user.role == roles.DISTRICT_ADMIN:
        sees = "every school"
    else:
        sees = ", ".join(user.schools) or "no school yet"
    name = f" ({user.name})" if user.name else ""
    return f"{user.email}{name}: {user.role}; sees {sees}"


def _warn_unscoped(user) -> None:
    if user.role != roles.DISTRICT_ADMIN and not user.schools:
        print(f"note: {user.email} sees no school until one is assigned: pl-diag users assign {user.email} --school …")


def cmd_users(args: argparse.Namespace) -> int:
    """Run one `pl-diag users` action; user errors exit with status 2 and a message."""
    from ..services import users as user_service

    db, me = engine(args), viewer()
    try:
        if args.action == "list":
            users = user_service.list_users(db, me)
            for user in users:
                print(describe(user))
            if not users:
                print("no users yet: add the first with  pl-diag users add EMAIL --role district_admin")
        elif args.action == "add":
            user = user_service.add_user(db, me, args.email, args.role, name=args.name, schools=args.school)
            print(f"added {describe(user)}")
            _warn_unscoped(user)
        elif args.action == "set-role":
            user = user_service.set_role(db, me, args.email, args.role)
            print(f"changed {describe(user)}")
            _warn_unscoped(user)
        elif args.action == "assign":
            for school in args.school:
                user = user_service.assign_school(db, me, args.email, school)
            print(f"changed {describe(user)}")
        elif args.action == "unassign":
            for school in args.school:
                user = user_service.unassign_school(db, me, args.email, school)
            print(f"changed {describe(user)}")
        elif args.action == "remove":
            user_service.remove_user(db, me, args.email)
            print(f"removed {user_service.normalise_email(args.email)}")
    except user_service.UserError as exc:
        raise UserError(str(exc)) from None
    return 0
