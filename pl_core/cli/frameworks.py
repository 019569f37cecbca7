"""`pl-diag validate` and `pl-diag template`: framework files and the upload template."""

from __future__ import annotations

from pathlib import Path

from .common import DEFAULT_FRAMEWORK, framework


def add_parsers(sub, db) -> None:
    """Register `validate` and `template`."""
    p = sub.add_parser("validate", help="validate framework files (default: all)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("template", help="write the upload template for a framework")
    p.add_argument("out")
    p.add_argument("--framework", default=DEFAULT_FRAMEWORK)
    p.add_argument("--xlsx", action="store_true", help="write an Excel file (default: CSV)")
    p.set_defaults(func=cmd_template)


def framework_summary(fw) -> str:
    """One line: the framework's id and how much content it carries."""
    levels = {s.id: len(s.levels) for s in fw.scales.values()}
    descriptors = sum(len(i.descriptors(n)) for i in fw.items for n in i.described_levels)
    steps = sum(len(m.steps) for i in fw.items for m in i.moves)
    scale_text = ", ".join(f"{k}: {v} levels" for k, v in levels.items())
    return (
        f"{fw.id}: {len(fw.domains)} domains, {len(fw.items)} items, {scale_text}, "
        f"{descriptors} descriptors, {steps} next steps"
    )


def cmd_validate(args) -> int:
    from ..frameworks import FrameworkError, framework_files, read_framework_file

    paths = [Path(p) for p in args.paths] or framework_files()
    if not paths:
        print("no framework files found")
        return 1
    failed = 0
    for path in paths:
        try:
            fw = read_framework_file(path)
        except FrameworkError as exc:
            failed += 1
            print(f"FAIL {path}: {len(exc.problems)} problem(s)")
            for problem in exc.problems:
                print(f"  - {problem}")
            continue
        print(f"ok   {framework_summary(fw)}")
    return 1 if failed else 0


def cmd_template(args) -> int:
    from ..services.imports import upload_template

    fw = framework(args.framework)
    out = Path(args.out)
    fmt = "xlsx" if args.xlsx or out.suffix.lower() == ".xlsx" else "csv"
    out.write_bytes(upload_template(fw, fmt))
    print(f"wrote the {fw.short_name} upload template ({fmt}, {len(fw.items)} items) to {out}")
    return 0
