"""`pl-diag sample`: load the fictional sample district, or build a large synthetic one (--schools N)."""

from __future__ import annotations

import argparse
import time

from .common import UserError, engine


def add_parsers(sub, db) -> None:
    """Register `sample`."""
    p = sub.add_parser("sample", parents=[db], help="load the fictional sample district")
    p.add_argument("--if-empty", action="store_true", help="only when the database has no schools yet")
    add_sample_size_args(p)  # --schools/--staff/--rounds: a synthetic district of that size, for measuring
    p.set_defaults(func=cmd_sample)


def cmd_sample(args) -> int:
    from ..fixtures import sample

    db = engine(args)
    if args.if_empty and not sample.is_empty(db):
        print("the database already has schools; sample district not loaded")
        return 0
    if args.schools:
        return run_big_sample(args, db)

    def progress(i: int, total: int, what: str) -> None:
        print(f"  [{i:>2}/{total}] {what}", flush=True)

    loaded = sample.load_sample_district(db, progress=progress)
    print(
        f"sample district loaded: {loaded.uploads} uploads, {loaded.answers} answers, "
        f"{loaded.workshops} workshops, {loaded.goals} goals"
    )
    return 0


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_sample_size_args(parser: argparse.ArgumentParser) -> None:
    """Add --schools, --staff, --rounds (and --seed) to the `sample` subcommand's parser."""
    group = parser.add_argument_group("synthetic district (instead of the sample files)")
    group.add_argument("--schools", type=_positive, help="build a synthetic district with this many schools")
    group.add_argument("--staff", type=_positive, default=60, help="staff per school (default: 60)")
    group.add_argument("--rounds", type=_positive, default=3, help="assessment rounds from Fall 2025 (default: 3)")
    group.add_argument("--seed", type=int, default=7, help="random seed (default: 7): the same seed, the same district")


def run_big_sample(args: argparse.Namespace, db) -> int:
    """Build the synthetic district the parsed arguments ask for and print what was stored."""
    framework = getattr(args, "framework", None) or "dps-driver-model"

    def progress(i: int, total: int, what: str) -> None:
        print(f"  [{i}/{total}] {what}", flush=True)

    started = time.perf_counter()
    try:
        from ..fixtures.bigsample import build_district  # heavy: load it only when building

        built = build_district(
            db,
            schools=args.schools,
            staff=args.staff,
            rounds=args.rounds,
            framework_id=framework,
            seed=args.seed,
            progress=progress,
        )
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(
        f"synthetic district {built.district!r} built in {time.perf_counter() - started:.1f} s: "
        f"{built.schools} schools, {built.respondents:,} staff, {built.answers:,} answers in "
        f"{', '.join(built.rounds)}; {built.workshops} workshops, {built.goals} goals"
    )
    return 0
