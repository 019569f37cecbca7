"""Immutable framework objects that the rest of PL Diagnostics reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .schema import Definition, LevelContent, NextSteps, Source, Step


@dataclass(frozen=True)
class ScaleLevel:
    number: int
    label: str
    short_label: str
    description: str | None = None


@dataclass(frozen=True)
class RatingScale:
    id: str
    name: str
    levels: tuple[ScaleLevel, ...]
    notes: tuple[str, ...] = ()

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

    def level(self, number: int) -> ScaleLevel:
        for lv in self.levels:
            if lv.number == number:
                return lv
        raise KeyError(f"scale {self.id!r} has no level {number}")

    def label(self, number: int, short: bool = False) -> str:
        lv = self.level(number)
        return lv.short_label if short else lv.label


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
