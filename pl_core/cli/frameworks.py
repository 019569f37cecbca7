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
    from ..frameworks import check_framework_files

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


def cmd_template(args) -> int:
    from ..services.imports import upload_template

    fw = framework(args.framework)
    out = Path(args.out)
    fmt = "xlsx" if args.xlsx or out.suffix.lower() == ".xlsx" else "csv"
    out.write_bytes(upload_template(fw, fmt))
    print(f"wrote the {fw.short_name} upload template ({fmt}, {len(fw.items)} items) to {out}")
    return 0
