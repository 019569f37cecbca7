"""Text people typed (names, comments, rationales, goal titles), shown as text and never as Markdown."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<:$])")


def plain(text: object) -> str:
    """Escape Markdown so typed text cannot add links, images (which would load from elsewhere) or formatting."""
    return _MARKDOWN.sub(r"\\\1", str(text))
