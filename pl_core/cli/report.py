"""`pl-diag report`: write a school's self-contained HTML report for one round."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import DEFAULT_FRAMEWORK, UserError, engine, framework, viewer


def add_parsers(sub, db) -> argparse.ArgumentParser:
    """Register `report`."""
    p = sub.add_parser(
        "report", parents=[db], help="write a school's report for one round as a self-contained HTML file"
    )
    p.add_argument("--school", required=True)
    p.add_argument("--round", required=True, help='e.g. "Fall 2026"')
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--out", required=True, metavar="FILE", help="where to write the report (.html)")
    p.add_argument(
        "--appendices",
        action="store_true",
        help="add every heatmap, every level's description and any overflow (the report alone prints to <= 12 pages)",
    )
    p.set_defaults(func=cmd_report)
    return p


def cmd_report(args) -> int:
    """Build the report and write it to --out; a choice with nothing to report is a UserError."""
    from ..services.reports import ReportError, build_report

    fw = framework(args.framework)
    out = Path(args.out)
    if not out.parent.is_dir():
        raise UserError(f"no folder {out.parent} to write the report into")
    try:
        html = build_report(
            engine(args), viewer(), school=args.school, round=args.round, framework=fw, appendices=args.appendices
        )
    except ReportError as exc:
        raise UserError(str(exc)) from None
    # bytes, not text: no newline translation, so the file is the dashboard's download byte for byte on any system
    out.write_bytes(html.encode("utf-8"))
    size = out.stat().st_size / 1000
    extra = ", with appendices" if args.appendices else ""
    print(f"wrote the report for {args.school} \u00b7 {args.round} ({fw.short_name}{extra}, {size:.0f} kB) to {out}")
    print("open it in any browser; print it from there to get a PDF")
    return 0
