"""`pl-diag recommend` and `pl-diag goals`: the plan side of the command line."""

from __future__ import annotations

import datetime as dt
import json

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer


def add_parsers(sub, db) -> None:
    """Register `recommend` and `goals`."""
    p = sub.add_parser("recommend", parents=[db], help="the prioritised next steps for a school and round")
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--top", type=int, default=3, help="how many to list (default 3)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser("goals", parents=[db], help="a school's goals with their status")
    p.add_argument("--school", required=True)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--today", type=dt.date.fromisoformat, default=None, help="judge status as of this date")
    p.set_defaults(func=cmd_goals)


def cmd_recommend(args) -> int:
    """Print the short list: rank, item, stage, reason, steps and source."""
    from ..services import plan

    if args.top < 1:
        raise UserError("--top must be at least 1")
    recs = plan.recommendations(
        engine(args), viewer(), framework(args.framework), args.school, args.round, top=args.top
    )
    if not recs:
        raise UserError(f"no staff answers or leadership consensus for {args.school!r} in {args.round!r}")
    if args.format == "json":
        print(
            json.dumps(
                [
                    {
                        "rank": r.rank,
                        "item": r.item_id,
                        "item_name": r.item_name,
                        "level": round(r.level, 3),
                        "stage": r.stage,
                        "stage_label": r.stage_label,
                        "rule": r.rule,
                        "reason": r.reason,
                        "move": r.plan.move_label,
                        "steps": [s.text for s in r.plan.steps],
                        "source": r.plan.source,
                    }
                    for r in recs
                ],
                indent=2,
            )
        )
        return 0
    for r in recs:
        print(f"{r.rank}. {r.item_name} \u2014 {r.stage_label} ({r.level:.2f})")
        print(f"   {r.reason}")
        print(f"   {r.plan.move_label}:")
        for step in r.plan.steps:
            print(f"     - {step.text}")
        print(f"   Source: {r.plan.source}")
    return 0


def cmd_goals(args) -> int:
    """Print the school's goals with dates, owner and status judged against the plan."""
    from ..services import goals

    fw = framework(args.framework)
    today = args.today or dt.date.today()
    progresses = goals.goal_progress(engine(args), viewer(), fw, args.school, today)
    if not progresses:
        raise UserError(f"no goals for {args.school!r} on {fw.id}")
    rows = []
    for progress in progresses:
        goal = progress.goal
        rows.append(
            {
                "id": goal.id,
                "title": goal.title or fw.item(goal.item_id).name,
                "item": goal.item_id,
                "baseline": goal.baseline_level,
                "target": goal.target_level,
                "start": goal.start_date.isoformat(),
                "target_date": goal.target_date.isoformat(),
                "owner": goal.owner,
                "status": progress.status,
                "overdue_milestones": [m.description for m in progress.overdue],
            }
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["title"]) for r in rows)
    print(f"{'goal':<{width}}  {'from':>4} \u2192 {'to':<4}  {'target date':<11}  {'status':<16}  owner")
    for r in rows:
        overdue = f"  ({len(r['overdue_milestones'])} overdue)" if r["overdue_milestones"] else ""
        print(
            f"{r['title']:<{width}}  {r['baseline']:>4g} \u2192 {r['target']:<4g}  {r['target_date']:<11}  "
            f"{r['status']:<16}  {r['owner']}{overdue}"
        )
    return 0
