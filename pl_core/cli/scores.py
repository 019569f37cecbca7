"""`pl-diag score`: a school's published item scores for one round, as a table, CSV or JSON."""

from __future__ import annotations

import json
import sys

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer


def add_parsers(sub, db) -> None:
    """Register `score`."""
    p = sub.add_parser("score", parents=[db], help="print per-item scores for a school and round")
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_score)


def cmd_score(args) -> int:
    from ..services import catalog
    from ..services import scores as score_service

    fw = framework(args.framework)
    db = engine(args)
    scores = score_service.school_scores(db, viewer(), fw, args.school, rounds=[args.round])
    if scores.empty:
        raise UserError(
            f"no responses for {args.school!r} in {args.round!r} on {fw.id}; "
            f"schools: {', '.join(catalog.list_schools(db, viewer())) or 'none'}"
        )
    levels = score_service.level_numbers(fw)
    records = []
    for row in scores.itertuples(index=False):
        item = fw.item(row.item)
        records.append(
            {
                "item": row.item,
                "item_name": row.item_name,
                "domain": row.domain_name,
                "n": int(row.n),
                "missing": int(row.missing),
                "mean": _round(row.mean),
                "median": _round(row.median),
                "sd": _round(row.sd),
                "stage": None if row.stage != row.stage else int(row.stage),
                "stage_label": None if row.stage != row.stage else item.scale.label(int(row.stage)),
                "agreement": _round(row.agreement),
                "counts": {str(k): int(getattr(row, f"count_{k}")) for k in levels},
            }
        )
    if args.format == "json":
        print(json.dumps(records, indent=2))
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            [
                "item",
                "item_name",
                "n",
                "missing",
                "mean",
                "median",
                "sd",
                "stage",
                "stage_label",
                "agreement",
                *[f"count_{k}" for k in levels],
            ]
        )
        for r in records:
            writer.writerow(
                [
                    r["item"],
                    r["item_name"],
                    r["n"],
                    r["missing"],
                    r["mean"],
                    r["median"],
                    r["sd"],
                    r["stage"],
                    r["stage_label"],
                    r["agreement"],
                    *r["counts"].values(),
                ]
            )
    else:
        width = max(len(r["item_name"]) for r in records)
        print(f"{'item':<{width}}  {'n':>4}  {'mean':>5}  {'sd':>5}  {'agree':>5}  stage")
        for r in records:
            print(
                f"{r['item_name']:<{width}}  {r['n']:>4}  {_fmt(r['mean'])}  {_fmt(r['sd'])}  "
                f"{_fmt(r['agreement'])}  {r['stage_label'] or '-'}"
            )
    return 0


def _round(value, digits: int = 3):
    return None if value is None or value != value else round(float(value), digits)


def _fmt(value) -> str:
    return "    -" if value is None else f"{value:5.2f}"
