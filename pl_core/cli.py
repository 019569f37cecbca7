"""`pl-diag`: the command line of PL Diagnostics."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .frameworks import FrameworkError, check_framework_files, load_framework

DEFAULT_FRAMEWORK = "dps-driver-model"


class UserError(Exception):
    """A mistake in the user's input: printed without a traceback, exit status 2."""


def framework_summary(fw) -> str:
    levels = {s.id: len(s.levels) for s in fw.scales.values()}
    descriptors = sum(len(i.descriptors(n)) for i in fw.items for n in i.described_levels)
    steps = sum(len(m.steps) for i in fw.items for m in i.moves)
    scale_text = ", ".join(f"{k}: {v} levels" for k, v in levels.items())
    return (
        f"{fw.id}: {len(fw.domains)} domains, {len(fw.items)} items, {scale_text}, "
        f"{descriptors} descriptors, {steps} next steps"
    )


def cmd_validate(args) -> int:
    # Every file is checked and reported; a broken one is a FAIL line, never a stop (or a traceback).
    checks = check_framework_files([Path(p) for p in args.paths] or None)
    if not checks:
        print("no framework files found")
        return 1
    for check in checks:
        if check.framework is None:
            print(f"FAIL {check.path}: {len(check.problems)} problem(s)")
            for problem in check.problems:
                print(f"  - {problem}")
        else:
            print(f"ok   {framework_summary(check.framework)}")
    return 1 if any(check.framework is None for check in checks) else 0


def _framework(framework_id: str):
    try:
        return load_framework(framework_id)
    except KeyError as exc:
        raise UserError(exc.args[0]) from None
    except FrameworkError as exc:
        raise UserError(str(exc)) from None


def _engine(url: str | None):
    from . import settings, store

    try:
        engine = store.make_engine(url or settings.database_url())
        store.upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - any connection failure is the user's URL or server
        raise UserError(f"cannot open the database: {exc.__class__.__name__}: {exc}".splitlines()[0]) from None
    return engine


def cmd_db(args) -> int:
    from . import store

    engine = _engine(args.db)
    print(f"database at revision {store.current_revision(engine)} (head {store.head_revision()})")
    return 0


def cmd_import(args) -> int:
    from . import settings, store
    from .ingest import LabelMapError, load_label_map, read_upload

    framework = _framework(args.framework)
    path = Path(args.file)
    if not path.is_file():
        raise UserError(f"no file at {path}")
    label_map = None
    if args.labels:
        try:
            label_map = load_label_map(args.labels)
        except LabelMapError as exc:
            raise UserError(str(exc)) from None
    parsed = read_upload(
        path.read_bytes(), path.name, framework, secret=settings.respondent_secret(), label_map=label_map
    )
    print(parsed.report.summary())
    if not parsed.report.valid:
        print("nothing was imported: fix the errors above and run the import again", file=sys.stderr)
        return 1
    engine = _engine(args.db)
    result = store.save_import(
        engine,
        parsed,
        school=args.school,
        round=args.round,
        framework=framework,
        district=args.district or store.default_district(engine),
        imported_by=args.by,
    )
    replaced = f", replacing import #{result.replaced_batch_id}" if result.replaced_batch_id else ""
    print(f"imported as #{result.batch_id} for {args.school} \u00b7 {args.round}{replaced}")
    return 0


def cmd_score(args) -> int:
    from . import scoring, store

    framework = _framework(args.framework)
    engine = _engine(args.db)
    responses = store.load_responses(engine, framework.id, schools=[args.school], rounds=[args.round])
    if responses.empty:
        raise UserError(
            f"no responses for {args.school!r} in {args.round!r} on {framework.id}; "
            f"schools: {', '.join(store.list_schools(engine)) or 'none'}"
        )
    scores = scoring.score_items(responses, framework)
    levels = scoring.level_numbers(framework)
    records = []
    for row in scores.itertuples(index=False):
        item = framework.item(row.item)
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


def cmd_template(args) -> int:
    from .ingest import write_template

    framework = _framework(args.framework)
    out = Path(args.out)
    fmt = "xlsx" if args.xlsx or out.suffix.lower() == ".xlsx" else "csv"
    out.write_bytes(write_template(framework, fmt))
    print(f"wrote the {framework.short_name} upload template ({fmt}, {len(framework.items)} items) to {out}")
    return 0


def cmd_sample(args) -> int:
    from . import sample

    engine = _engine(args.db)
    if args.if_empty and not sample.is_empty(engine):
        print("the database already has schools; sample district not loaded")
        return 0
    if args.schools:
        from .cli_district import run_big_sample

        return run_big_sample(args, engine)

    def progress(i: int, total: int, what: str) -> None:
        print(f"  [{i:>2}/{total}] {what}", flush=True)

    loaded = sample.load_sample_district(engine, progress=progress)
    print(
        f"sample district loaded: {loaded.uploads} uploads, {loaded.answers} answers, "
        f"{loaded.workshops} workshops, {loaded.goals} goals"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pl-diag", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", metavar="URL", help="database URL (default: PL_DATABASE_URL or the embedded SQLite)")
        return p

    p = sub.add_parser("validate", help="validate framework files (default: all)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=cmd_validate)

    p = with_db(sub.add_parser("db", help="database maintenance"))
    p.add_argument("action", choices=["upgrade"], help="upgrade: apply migrations up to the latest")
    p.set_defaults(func=cmd_db)

    p = with_db(sub.add_parser("import", help="import a staff self-assessment file (CSV or XLSX)"))
    p.add_argument("file")
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True, help='e.g. "Fall 2026"')
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--labels", metavar="FILE", help="YAML file of `label: level` pairs for unusual answer labels")
    p.add_argument("--district", help="default: the database's only district, else 'My District'")
    p.add_argument("--by", default="", help="who is importing (kept with the import)")
    p.set_defaults(func=cmd_import)

    p = with_db(sub.add_parser("score", help="print per-item scores for a school and round"))
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True)
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("template", help="write the upload template for a framework")
    p.add_argument("out")
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--xlsx", action="store_true", help="write an Excel file (default: CSV)")
    p.set_defaults(func=cmd_template)

    p = with_db(sub.add_parser("sample", help="load the fictional sample district"))
    p.add_argument("--if-empty", action="store_true", help="only when the database has no schools yet")
    from .cli_district import add_sample_size_args

    add_sample_size_args(p)  # --schools/--staff/--rounds: a synthetic district of that size, for measuring
    p.set_defaults(func=cmd_sample)

    # imported here, not at the top: these modules import helpers from this one
    from .cli_export import add_export_parsers
    from .cli_plan import add_plan_parsers
    from .cli_report import add_report_parser
    from .cli_users import add_users_parser

    add_plan_parsers(sub, with_db)
    add_report_parser(sub)
    add_export_parsers(sub)
    add_users_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
