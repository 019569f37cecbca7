"""Text people typed or files brought (names, comments, goal titles, file names, framework text), shown as text.

The one rule: every string a user or a file supplies goes through `plain()` before it reaches anything Streamlit
draws as Markdown (st.markdown, st.caption, st.info and friends, titles, and the labels and help of widgets,
expanders, tabs and page links). It then shows exactly as typed: no formatting, no links, no images that would
load from elsewhere, no HTML. Widgets that draw their options as plain text (selectbox, multiselect, data frames)
take the string as it is. Charts escape their own labels (pl_core.present.charts.plain_label).
"""

from __future__ import annotations

import re

# CommonMark lets every ASCII punctuation character be escaped with a backslash, and an escaped character is
# always literal: no emphasis, links, images, headings, lists, tables, HTML, entities, math or directives.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown also turns bare "http://…", "www.…" and "name@host.tld" into links after escapes
# are resolved. An invisible word joiner after "http", "www" and "@" stops each pattern from matching.
_AUTOLINK_START = re.compile(r"(?i)https?|www|@")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Typed text as Markdown that shows it literally: no formatting, links, images, HTML or autolinks."""
    unlinked = _AUTOLINK_START.sub(lambda m: m.group(0) + WORD_JOINER, str(text))
    return _PUNCTUATION.sub(r"\\\1", unlinked)
