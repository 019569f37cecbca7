"""The framework file schema: what a district writes in `frameworks/*.yaml`.

Validation is strict (unknown keys are errors) so that a typo such as
`descriptor:` for `descriptors:` is reported instead of silently dropped.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: Text
    file: Text | None = None
    url: Text | None = None
    edition: Text | None = None


class Definition(_Strict):
    term: Text
    text: Text


class AlignedTo(_Strict):
    """What the codes in items' `alignment` refer to, named so nobody takes them for another framework."""

    name: Text  # shown beside the codes, e.g. "DPS LEAP"
    title: Text | None = None
    notes: list[Text] = []


class Level(_Strict):
    number: int = Field(ge=0, le=20)
    label: Text
    short_label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=24)]
    description: Text | None = None
    # The label (and description) is PL Diagnostics' own, not the source's: legends mark it.
    ours: bool = False


class Scale(_Strict):
    id: Slug
    name: Text
    levels: list[Level] = Field(min_length=2)
    notes: list[Text] = []
    # The footnote under a legend that marks labels as ours, e.g. "label added by PL Diagnostics; the
    # source names only ...". Kept in the data so code never words a claim about a source.
    ours_note: Text | None = None

    @field_validator("levels")
    @classmethod
    def _levels_ascend(cls, levels: list[Level]) -> list[Level]:
        numbers = [lv.number for lv in levels]
        if numbers != sorted(set(numbers)):
            raise ValueError(f"level numbers must be unique and ascending, got {numbers}")
        return levels

    @model_validator(mode="after")
    def _ours_note_explains_ours_labels(self) -> Scale:
        ours = [lv.label for lv in self.levels if lv.ours]
        if ours and not self.ours_note:
            raise ValueError(f"levels {ours} are marked `ours: true`: add `ours_note:` saying what the source names")
        if self.ours_note and not ours:
            raise ValueError("`ours_note:` is given but no level is marked `ours: true`")
        return self


class LookFors(_Strict):
    learners: list[Text] = []
    educators: list[Text] = []


class LevelContent(_Strict):
    """What an item looks like at one level of its scale."""

    level: int
    statement: Text | None = None
    descriptors: list[Text] = []
    look_fors: LookFors | None = None
    notes: list[Text] = []


class Step(_Strict):
    text: Text
    examples: list[Text] = []


class NextSteps(_Strict):
    """Action steps for a move between levels; without levels they apply to any move."""

    from_level: int | None = None
    to_level: int | None = None
    label: Text | None = None
    steps: list[Step] = Field(min_length=1)
    notes: list[Text] = []

    @field_validator("steps", mode="before")
    @classmethod
    def _plain_strings_are_steps(cls, value):
        if isinstance(value, list):
            return [{"text": s} if isinstance(s, str) else s for s in value]
        return value

    @model_validator(mode="after")
    def _move_goes_up(self) -> NextSteps:
        if (self.from_level is None) != (self.to_level is None):
            raise ValueError("give both from_level and to_level, or neither")
        if self.from_level is not None and self.to_level <= self.from_level:
            raise ValueError(f"to_level ({self.to_level}) must be above from_level ({self.from_level})")
        return self


class Item(_Strict):
    id: Slug
    name: Text
    definition: Text | None = None
    guiding_question: Text | None = None
    scale: Slug | None = None
    weight: float = Field(default=1.0, gt=0)
    alignment: list[Text] = []
    levels: list[LevelContent]
    next_steps: list[NextSteps] = []
    notes: list[Text] = []


class Group(_Strict):
    id: Slug
    name: Text
    definition: Text | None = None
    alignment: list[Text] = []
    items: list[Item] = Field(min_length=1)
    notes: list[Text] = []


class Domain(_Strict):
    id: Slug
    name: Text
    description: Text | None = None
    scale: Slug | None = None
    weight: float = Field(default=1.0, gt=0)
    # Foundational domains are planned for first when weak (the DPS model: "If a foundational
    # practice is missing, we recommend planning for how to improve in that area").
    foundational: bool = False
    items: list[Item] = []
    groups: list[Group] = []
    notes: list[Text] = []

    @model_validator(mode="after")
    def _has_items(self) -> Domain:
        if not self.items and not self.groups:
            raise ValueError("a domain needs `items` or `groups`")
        return self


class FrameworkFile(_Strict):
    id: Slug
    name: Text
    short_name: Text | None = None
    publisher: Text
    year: int | None = Field(default=None, ge=1900, le=2100)
    source: Source
    description: Text | None = None
    aligned_to: AlignedTo | None = None
    definitions: list[Definition] = []
    uses: list[Text] = []
    scales: list[Scale] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)
    notes: list[Text] = []
