"""Names people type for schools, rounds and districts: checked once, on entry, with a message that says what to fix.

A name is shown on every page, in every export and in the report, and it is compared as typed, so it must be
one line of visible text of a sensible length. Markdown or HTML in a name is allowed (a school may be called
"A&B <Elementary>"): it is always shown as plain text, never interpreted.
"""

from __future__ import annotations

import unicodedata

# Longest accepted name per kind, in characters: long enough for any real name, short enough to stay on one line
# of a heatmap label, and never over its database column (200 for names, 100 for roles, 500 for file names).
MAX_CHARS = {"school": 120, "round": 60, "district": 120, "file": 255, "role": 100, "grade band": 100}
KINDS = tuple(MAX_CHARS)

# Invisible characters that change how the text around them is displayed (right-to-left overrides can make a
# name read differently from what it is), on top of the control characters (Unicode category Cc).
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DESCRIBED = {"\n": "a line break", "\r": "a line break", "\t": "a tab", "\x00": "a NUL character"}


class InvalidName(ValueError):
    """A name that cannot be used: `field` is its kind ("school", "round", ...), `code` the problem's short id."""

    def __init__(self, field: str, code: str, message: str):
        self.field = field
        self.code = code
        super().__init__(message)


def _bad_character(text: str) -> tuple[int, str] | None:
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Zl", "Zp") or char in _BIDI_CONTROLS:
            return position, _DESCRIBED.get(char, f"the invisible control character U+{ord(char):04X}")
    return None


def check_name(kind: str, text: object) -> str:
    """The name without surrounding spaces; InvalidName when it is empty, too long or holds control characters."""
    if kind not in MAX_CHARS:
        raise ValueError(f"unknown kind of name {kind!r}; known: {', '.join(KINDS)}")
    if text is None or not isinstance(text, str):
        raise InvalidName(kind, "not-text", f"the {kind} name must be text, got {type(text).__name__}")
    name = text.strip()
    if not name:
        raise InvalidName(kind, "empty", f"the {kind} name is empty: type a name")
    limit = MAX_CHARS[kind]
    if len(name) > limit:
        raise InvalidName(
            kind, "too-long", f"the {kind} name is {len(name):,} characters long; the most is {limit}: shorten it"
        )
    bad = _bad_character(name)
    if bad is not None:
        position, what = bad
        raise InvalidName(
            kind,
            "control-character",
            f"the {kind} name has {what} at character {position}: a name is one line of visible text",
        )
    return name
