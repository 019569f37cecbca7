"""Turning a cell ("3", "3 - Learner Centered", "learner driven", "N/A") into a level number."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..frameworks.loader import yaml_limit_problem
from ..frameworks.model import RatingScale
from .limits import MAX_LABELS_DEPTH, MAX_LABELS_FILE_BYTES, MAX_YAML_NODES, megabytes

# Answers that mean "no answer": counted as missing (NA), never as a level or zero. Compared normalised, so
# case, spaces, punctuation and straight or curly apostrophes do not matter ("I don’t know" = "i dont know").
MISSING_TOKENS = frozenset(
    {
        "",
        "na",
        "n/a",
        "none",
        "dontknow",
        "donotknow",
        "idontknow",
        "idonotknow",
        "notsure",
        "imnotsure",
        "unsure",
        "notobserved",
        "notapplicable",
        "prefernottosay",
        "prefernottoanswer",
        "dontknownotsure",
    }
)
_MISSING_NORMALISED = frozenset(t.replace("/", "") for t in MISSING_TOKENS)
# Checkbox grids (Google Forms, Microsoft Forms) join several ticked choices with ";".
_MULTIPLE = ";"
_NUMBER = re.compile(r"^[+-]?\d+(?:\.0*)?$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_LEADING_NUMBER = re.compile(r"^(\d+)\s*(?:[-.:)–—=]|\s)\s*\S")
_LEVEL_WORD = re.compile(r"^level\s*(\d+)$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Compare text the forgiving way: compatibility forms folded, case folded, only letters and digits kept."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def is_missing_token(text: str) -> bool:
    """True for blank, N/A, Don't know, Not sure, Unsure, Not observed, Not applicable, Prefer not to say."""
    return normalise(text) in _MISSING_NORMALISED


@dataclass(frozen=True)
class LevelResult:
    """What one distinct cell value means: a level, a missing answer, or a problem."""

    level: int | None
    problem: str | None = None  # "level-out-of-range", "unknown-label" or "multiple-levels" (a warning)
    number: int | None = None  # the out-of-range number, for the message


MISSING = LevelResult(None)


def scale_text(scale: RatingScale) -> str:
    """The scale as people read it: '1 Teacher Driven, 2 Learner Centered, ...'."""
    return ", ".join(f"{lv.number} {lv.label}" for lv in scale.levels)


class LevelParser:
    """Parse cells for one rating scale, with a user's label map; caches each distinct value."""

    def __init__(self, scale: RatingScale, label_map: dict[str, int | None] | None = None):
        self.scale = scale
        self.numbers = frozenset(scale.numbers)
        self.labels: dict[str, int] = {}
        for lv in scale.levels:
            self.labels.setdefault(normalise(lv.label), lv.number)
            self.labels.setdefault(normalise(lv.short_label), lv.number)
        self.user_map = {normalise(str(k)): v for k, v in (label_map or {}).items()}
        self._cache: dict[str, LevelResult] = {}

    def parse(self, value: str) -> LevelResult:
        """Parse one cell value."""
        cached = self._cache.get(value)
        if cached is None:
            cached = self._cache[value] = self._parse(value)
        return cached

    def _parse(self, value: str) -> LevelResult:
        text = value.strip()
        key = normalise(text)
        # The user's own mapping wins: it is how they fix labels we cannot know.
        if key in self.user_map:
            return self._number(self.user_map[key])
        if key in _MISSING_NORMALISED:
            return MISSING
        if _MULTIPLE in text:
            return self._several(text)
        if _NUMBER.match(text):
            return self._number(int(float(text)))
        if key in self.labels:
            return LevelResult(self.labels[key])
        if _DECIMAL.match(text):
            # "2.5" is not a level, and must not be read as "2" by the leading-number rule.
            return LevelResult(None, "unknown-label")
        m = _LEADING_NUMBER.match(text) or _LEVEL_WORD.match(text)
        if m:
            return self._number(int(m.group(1)))
        return LevelResult(None, "unknown-label")

    def _several(self, text: str) -> LevelResult:
        # Two ticked levels are not an answer: never read the first one as if it were.
        parts = [p for p in (p.strip() for p in text.split(_MULTIPLE)) if p]
        if len(parts) == 1:
            return self._parse(parts[0])
        if sum(1 for p in parts if self._parse(p).level is not None) >= 2:
            return LevelResult(None, "multiple-levels")
        return LevelResult(None, "unknown-label")

    def _number(self, number: int | None) -> LevelResult:
        if number is None:
            return MISSING
        if number in self.numbers:
            return LevelResult(number)
        return LevelResult(None, "level-out-of-range", number)


class LabelMapError(ValueError):
    """A labels file could not be used; the message names the file and the entry."""


def load_label_map(path: str | Path) -> dict[str, int | None]:
    """Read a YAML file of `label: level` pairs (a level of `null`/`NA` marks the label as a missing answer).

    Numeric recodes are labels too: `"5": null` reads a Qualtrics "Don't know" recoded as 5 as missing.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
        if len(raw) > MAX_LABELS_FILE_BYTES:
            raise LabelMapError(
                f"{path}: labels file is {megabytes(len(raw))}; a labels file is at most "
                f"{megabytes(MAX_LABELS_FILE_BYTES)} (one `label: level` pair per line)"
            )
        text = raw.decode("utf-8-sig")
    except OSError as exc:
        raise LabelMapError(f"{path}: cannot read labels file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise LabelMapError(f"{path}: labels file is not UTF-8 text; save it as UTF-8") from None
    return parse_label_map(text, str(path))


def parse_label_map(text: str, file: str = "<labels>") -> dict[str, int | None]:
    """Validate labels-file text; every bad entry is reported at once."""
    if len(text) > MAX_LABELS_FILE_BYTES:
        raise LabelMapError(f"{file}: labels file is larger than {megabytes(MAX_LABELS_FILE_BYTES)}")
    # Walk the YAML events before building anything: an alias bomb or deep nesting stops here, quickly.
    problem = yaml_limit_problem(text, max_depth=MAX_LABELS_DEPTH, max_nodes=MAX_YAML_NODES)
    if problem:
        line, where, message = problem
        located = f":{line}" if line else ""
        raise LabelMapError(f"{file}{located}: {where or '(top level)'}: {message}")
    try:
        # BaseLoader keeps every scalar a string, so labels such as `Yes` or `No` stay labels, not booleans.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise LabelMapError(f"{file}{where}: YAML syntax error: {getattr(exc, 'problem', None) or exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LabelMapError(f"{file}: a labels file must be `label: level` pairs, one per line (e.g. `Sometimes: 2`)")
    result: dict[str, int | None] = {}
    seen: dict[str, str] = {}
    problems: list[str] = []
    for label, level in data.items():
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{label!r}: a label must be text")
            continue
        if isinstance(level, str) and level.strip().casefold() in ("", "~", "null", "na", "n/a", "missing"):
            value: int | None = None
        elif isinstance(level, str) and re.fullmatch(r"[+-]?\d+", level.strip()):
            value = int(level)
        else:
            problems.append(f"{label!r}: level must be a whole number (or null for a missing answer), got {level!r}")
            continue
        key = normalise(label)
        if key in seen and result[seen[key]] != value:
            problems.append(f"{label!r}: same label as {seen[key]!r} but a different level")
            continue
        seen[key] = label
        result[label] = value
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems)
        raise LabelMapError(f"{file}: {len(problems)} problem(s) in labels file:\n{listed}")
    return result
