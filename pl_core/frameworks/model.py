"""Immutable framework objects that the rest of PL Diagnostics reads."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

from .schema import AlignedTo, Definition, LevelContent, NextSteps, Source, Step

# Appended to a level label that is PL Diagnostics' own, with the scale's footnote explaining it.
OURS_MARK = "*"


@dataclass(frozen=True)
class ScaleLevel:
    number: int
    label: str
    short_label: str
    description: str | None = None
    ours: bool = False  # the label is PL Diagnostics' own, not the source's

    def marked_label(self, short: bool = False) -> str:
        """The label as a legend shows it: "Developing*" when the label is ours, else as the source prints it."""
        text = self.short_label if short else self.label
        return text + OURS_MARK if self.ours else text


class Legend(NamedTuple):
    """A scale's labels as a legend shows them, ascending, and the footnote their marks point to."""

    labels: tuple[str, ...]
    footnote: str | None


@dataclass(frozen=True)
class RatingScale:
    id: str
    name: str
    levels: tuple[ScaleLevel, ...]
    notes: tuple[str, ...] = ()
    ours_note: str | None = None  # what the footnote under marked labels says (from the file)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(lv.number for lv in self.levels)

    @property
    def low(self) -> int:
        return self.levels[0].number

    @property
    def high(self) -> int:
        return self.levels[-1].number

    @property
    def middle(self) -> float:
        """The midpoint of the scale (2.5 on a 1-4 scale)."""
        return (self.low + self.high) / 2

    def stage(self, mean: float) -> int:
        """The level whose band [k - 0.5, k + 0.5) holds `mean`, clipped to the scale (2.50-3.49 is level 3)."""
        return int(min(max(math.floor(float(mean) + 0.5), self.low), self.high))

    def level(self, number: int) -> ScaleLevel:
        for lv in self.levels:
            if lv.number == number:
                return lv
        raise KeyError(f"scale {self.id!r} has no level {number}")

    def label(self, number: int, short: bool = False) -> str:
        lv = self.level(number)
        return lv.short_label if short else lv.label

    def marked_label(self, number: int, short: bool = False) -> str:
        """The level's label with OURS_MARK when it is ours ("Developing*"); pair it with `footnote()`."""
        return self.level(number).marked_label(short)

    @property
    def ours_levels(self) -> tuple[int, ...]:
        """Numbers of the levels whose labels are PL Diagnostics' own."""
        return tuple(lv.number for lv in self.levels if lv.ours)

    def footnote(self, numbers: tuple[int, ...] | list[int] | None = None) -> str | None:
        """OURS_MARK and the file's `ours_note` if any of `numbers` (default: all) is ours, else None."""
        shown = self.numbers if numbers is None else numbers
        if not any(n in shown for n in self.ours_levels):
            return None
        return f"{OURS_MARK} {self.ours_note}"

    def legend(self, short: bool = False, numbered: bool = False) -> Legend:
        """Every level's marked label, ascending ("2 Developing*" when numbered), with the footnote."""
        labels = tuple(
            f"{lv.number} {lv.marked_label(short)}" if numbered else lv.marked_label(short) for lv in self.levels
        )
        return Legend(labels, self.footnote())


@dataclass(frozen=True)
class FrameworkItem:
    id: str
    name: str
    domain: str
    domain_name: str
    group: str | None
    group_name: str | None
    scale: RatingScale
    definition: str | None
    guiding_question: str | None
    alignment: tuple[str, ...]
    weight: float
    level_content: Mapping[int, LevelContent]
    moves: tuple[NextSteps, ...]
    notes: tuple[str, ...] = ()
    foundational: bool = False

    def descriptors(self, level: int) -> tuple[str, ...]:
        """Every descriptor sentence the source gives for this item at `level` (empty if none)."""
        content = self.level_content.get(level)
        return tuple(content.descriptors) if content else ()

    def content(self, level: int) -> LevelContent | None:
        return self.level_content.get(level)

    @property
    def described_levels(self) -> tuple[int, ...]:
        return tuple(sorted(self.level_content))

    def next_steps(self, from_level: int) -> tuple[Step, ...]:
        """Steps for moving up from `from_level`; item-wide steps when the source has no moves."""
        move = self.move_from(from_level)
        return tuple(move.steps) if move else ()

    def move_from(self, from_level: int) -> NextSteps | None:
        for move in self.moves:
            if move.from_level == from_level:
                return move
        for move in self.moves:
            if move.from_level is None and from_level < self.scale.high:
                return move
        return None


@dataclass(frozen=True)
class FrameworkGroup:
    id: str
    name: str
    definition: str | None
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkDomain:
    id: str
    name: str
    description: str | None
    weight: float
    groups: tuple[FrameworkGroup, ...]
    item_ids: tuple[str, ...]
    foundational: bool = False


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    short_name: str
    publisher: str
    year: int | None
    source: Source
    description: str | None
    definitions: tuple[Definition, ...]
    uses: tuple[str, ...]
    scales: Mapping[str, RatingScale]
    domains: tuple[FrameworkDomain, ...]
    items: tuple[FrameworkItem, ...]
    notes: tuple[str, ...]
    content_hash: str
    path: str
    _by_id: Mapping[str, FrameworkItem] = field(repr=False, compare=False, default_factory=lambda: MappingProxyType({}))
    aligned_to: AlignedTo | None = None  # what items' `alignment` codes refer to

    @property
    def alignment_name(self) -> str:
        """How to head items' alignment codes: "DPS LEAP alignment", or "Alignment" when the file names none."""
        return f"{self.aligned_to.name} alignment" if self.aligned_to else "Alignment"

    def item(self, item_id: str) -> FrameworkItem:
        try:
            return self._by_id[item_id]
        except KeyError:
            raise KeyError(f"framework {self.id!r} has no item {item_id!r}") from None

    def domain(self, domain_id: str) -> FrameworkDomain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(f"framework {self.id!r} has no domain {domain_id!r}")

    def items_in(self, domain_id: str) -> tuple[FrameworkItem, ...]:
        return tuple(i for i in self.items if i.domain == domain_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)
