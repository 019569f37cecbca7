"""Recommended next steps: what to work on first, and the framework's steps for it.

Order of the short list (each recommendation says which rule put it there):
1. Foundational practices whose current level is below the middle of the scale. The DPS
   Driver Model advises: "If a foundational practice is missing, we recommend planning for
   how to improve in that area to ensure Personalized Learning work is successful."
2. Then every other item, lowest stage first; ties broken by the larger leadership-vs-staff
   gap, then by the lower agreement among staff, then by the lower level.
The current level is the staff mean where staff answered, else the leadership consensus.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..frameworks import Framework, FrameworkItem
from ..frameworks.schema import Step
from ..scoring import stage_of

LOW_AGREEMENT = 0.5  # r_wg below this is "staff see it differently" (LeBreton & Senter 2008: < .50 lack of agreement)
NOTABLE_GAP = 0.75  # levels between leadership and staff worth a sentence


@dataclass(frozen=True)
class NextStepPlan:
    """The framework's steps for one item from one level: what to do and where it comes from."""

    item_id: str
    item_name: str
    from_level: int
    to_level: int | None
    move_label: str
    steps: tuple[Step, ...]
    sustain: bool
    source: str


@dataclass(frozen=True)
class Recommendation:
    rank: int
    item_id: str
    item_name: str
    domain_name: str
    foundational: bool
    level: float | None
    stage: int | None
    stage_label: str | None
    gap: float | None
    agreement: float | None
    rule: str
    reason: str
    plan: NextStepPlan


def _move_label(item: FrameworkItem, move, from_level: int, to_level: int) -> str:
    if move is not None and move.label:
        return move.label
    scale = item.scale
    return f"{scale.label(from_level)} \u2192 {scale.label(to_level)}"


def next_steps_for(framework: Framework, item_id: str, level: int) -> NextStepPlan:
    """The steps for moving `item_id` up from `level`; at the top of the scale, the last move's steps to sustain."""
    item = framework.item(item_id)
    scale = item.scale
    level = int(min(max(level, scale.low), scale.high))
    sustain = level >= scale.high
    from_level = level
    if sustain:
        moves = [m for m in item.moves if m.from_level is not None]
        move = moves[-1] if moves else (item.moves[0] if item.moves else None)
        from_level = move.from_level if move and move.from_level is not None else level
    else:
        move = item.move_from(level)
    to_level = None if sustain else scale.numbers[scale.numbers.index(level) + 1]
    steps = tuple(move.steps) if move else ()
    if sustain:
        label = f"Sustain {scale.label(scale.high)}"
    else:
        label = _move_label(item, move, level, to_level)
    source_move = (
        move.label or (f"levels {move.from_level}\u2192{move.to_level}" if move.from_level else "all levels")
        if move
        else "no steps in the source"
    )
    return NextStepPlan(
        item_id=item.id,
        item_name=item.name,
        from_level=from_level,
        to_level=to_level,
        move_label=label,
        steps=steps,
        sustain=sustain,
        source=f"{framework.name} \u00b7 {item.name} \u00b7 {source_move}",
    )


def _num(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _reason(item: FrameworkItem, rule: str, level: float, stage_label: str, gap, agreement, who: str) -> str:
    parts = []
    if rule == "weak-foundation":
        parts.append(
            f"{item.name} is a foundational practice and {who} place it at {stage_label} ({level:.1f} of "
            f"{item.scale.high}); the framework advises planning for a weak foundational practice first."
        )
    else:
        parts.append(f"{who.capitalize()} place {item.name} at {stage_label} ({level:.1f} of {item.scale.high}).")
    if gap is not None and abs(gap) >= NOTABLE_GAP:
        direction = "higher" if gap > 0 else "lower"
        parts.append(f"The leadership team rates it {abs(gap):.1f} levels {direction} than staff do.")
    if agreement is not None and agreement < LOW_AGREEMENT:
        parts.append(f"Staff see it differently from one another (agreement {agreement:.2f}), so talk it through.")
    return " ".join(parts)


def recommend(
    framework: Framework,
    item_scores: pd.DataFrame,
    leadership: pd.DataFrame | None = None,
    top: int = 3,
) -> list[Recommendation]:
    """The prioritised short list for one school and round.

    `item_scores` is `score_items` output for that school and round; `leadership` has
    `item` and `level` (consensus). Items with neither a staff mean nor a consensus are skipped.
    """
    staff = item_scores.set_index("item") if len(item_scores) else pd.DataFrame()
    lead = leadership.set_index("item")["level"] if leadership is not None and len(leadership) else pd.Series()
    candidates = []
    for order, item in enumerate(framework.items):
        staff_mean = _num(staff["mean"].get(item.id)) if "mean" in staff else None
        consensus = _num(lead.get(item.id)) if len(lead) else None
        level = staff_mean if staff_mean is not None else consensus
        if level is None:
            continue
        who = "staff" if staff_mean is not None else "the leadership team"
        stage = int(stage_of(level, item.scale.low, item.scale.high))
        gap = consensus - staff_mean if consensus is not None and staff_mean is not None else None
        agreement = _num(staff["agreement"].get(item.id)) if "agreement" in staff else None
        weak_foundation = item.foundational and level < item.scale.middle
        rule = "weak-foundation" if weak_foundation else "lowest-stage"
        key = (
            0 if weak_foundation else 1,
            stage,
            -(abs(gap) if gap is not None else 0.0),
            agreement if agreement is not None else 1.0,
            level,
            order,
        )
        candidates.append((key, item, level, stage, gap, agreement, rule, who))
    candidates.sort(key=lambda c: c[0])
    out = []
    for rank, (_, item, level, stage, gap, agreement, rule, who) in enumerate(candidates[:top], start=1):
        stage_label = item.scale.label(stage)
        out.append(
            Recommendation(
                rank=rank,
                item_id=item.id,
                item_name=item.name,
                domain_name=item.domain_name,
                foundational=item.foundational,
                level=level,
                stage=stage,
                stage_label=stage_label,
                gap=gap,
                agreement=agreement,
                rule=rule,
                reason=_reason(item, rule, level, stage_label, gap, agreement, who),
                plan=next_steps_for(framework, item.id, stage),
            )
        )
    return out
