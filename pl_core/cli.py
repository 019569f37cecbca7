"""`pl-diag`: the command line of PL Diagnostics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .frameworks import FrameworkError, framework_files, read_framework_file


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pl-diag", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate framework files (default: all)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
