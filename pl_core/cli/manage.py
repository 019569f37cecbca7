"""`pl-diag imports` and `pl-diag schools`: see and undo imports, delete a round, rename or merge a school."""

from __future__ import annotations

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer


def add_parsers(sub, db) -> None:
    """Register `imports` and `schools`."""
    p = sub.add_parser("imports", help="list, undo or delete imported staff answers")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("list", parents=[db], help="imports, newest first, with who and when")
    a.add_argument("--school")
    a = actions.add_parser("undo", parents=[db], help="undo an import (the one it replaced counts again)")
    a.add_argument("batch", type=int, metavar="IMPORT_ID", help="the #number `imports list` shows")
    a = actions.add_parser("delete-round", parents=[db], help="stop counting a school's answers for a round")
    a.add_argument("--school", required=True)
    a.add_argument("--round", required=True)
    a.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.set_defaults(func=cmd_imports)

    p = sub.add_parser("schools", help="rename or merge schools")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("rename", parents=[db], help="give a school another name")
    a.add_argument("old")
    a.add_argument("new")
    a = actions.add_parser("merge", parents=[db], help="move everything of one school into another")
    a.add_argument("source")
    a.add_argument("--into", required=True, metavar="TARGET")
    p.set_defaults(func=cmd_schools)


def cmd_imports(args) -> int:
    from ..services import imports, manage

    db = engine(args)
    try:
        if args.action == "list":
            history = imports.import_history(db, viewer(), school=args.school)
            if history.empty:
                print("no imports yet")
            for row in history.itertuples(index=False):
                when = f"{row.imported_at:%Y-%m-%d %H:%M}"
                print(
                    f"#{row.batch_id:<5} {row.status:<8} {when}  {row.school} \u00b7 {row.round} \u00b7 {row.framework}"
                    f"  {row.file_name}  ({row.respondents} respondents, by {row.imported_by or 'unknown'})"
                )
        elif args.action == "undo":
            restored = manage.undo_import(db, viewer(), args.batch)
            back = f"; import #{restored} counts again" if restored else ""
            print(f"undid import #{args.batch}{back}")
        else:
            n = manage.delete_round(
                db, viewer(), school=args.school, round=args.round, framework=framework(args.framework)
            )
            print(f"deleted {args.school} \u00b7 {args.round}: {n} import(s) no longer count (kept in the history)")
    except manage.ManageError as exc:
        raise UserError(str(exc)) from None
    return 0


def cmd_schools(args) -> int:
    from ..services import manage

    db = engine(args)
    try:
        if args.action == "rename":
            manage.rename_school(db, viewer(), args.old, args.new)
            print(f"renamed {args.old!r} to {args.new!r}")
        else:
            rounds = manage.merge_schools(db, viewer(), args.source, args.into)
            print(f"merged {args.source!r} into {args.into!r}; figures decided again for {rounds} round(s)")
    except manage.ManageError as exc:
        raise UserError(str(exc)) from None
    return 0
