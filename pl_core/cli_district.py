"""`pl-diag sample --schools N [--staff N --rounds N]`: build a large synthetic district instead of the sample files."""

from __future__ import annotations

import argparse
import time

from sqlalchemy import Engine


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


def run_big_sample(args: argparse.Namespace, engine: Engine) -> int:
    """Build the synthetic district the parsed arguments ask for and print what was stored."""
    framework = getattr(args, "framework", None) or "dps-driver-model"

    def progress(i: int, total: int, what: str) -> None:
        print(f"  [{i}/{total}] {what}", flush=True)

    started = time.perf_counter()
    try:
        from .bigsample import build_district  # heavy: load it only when building

        built = build_district(
            engine,
            schools=args.schools,
            staff=args.staff,
            rounds=args.rounds,
            framework_id=framework,
            seed=args.seed,
            progress=progress,
        )
    except ValueError as exc:
        from .cli import UserError

        raise UserError(str(exc)) from None
    print(
        f"synthetic district {built.district!r} built in {time.perf_counter() - started:.1f} s: "
        f"{built.schools} schools, {built.respondents:,} staff, {built.answers:,} answers in "
        f"{', '.join(built.rounds)}; {built.workshops} workshops, {built.goals} goals"
    )
    return 0
