"""Draw an item's level descriptors side by side as a continuum, and link item names to the browser."""

from __future__ import annotations

from html import escape

import streamlit as st

from pl_core.frameworks import OURS_MARK, Framework, FrameworkItem, RatingScale

from .text import plain
from .theme import LEVEL_TEXT, level_colours

BROWSER = "views/framework_browser.py"


def item_link(framework: Framework, item: FrameworkItem, label: str | None = None, key_suffix: str = "") -> None:
    """A link to the item in the framework browser."""
    st.page_link(
        BROWSER,
        label=plain(label or item.name),
        icon=":material/menu_book:",
        query_params={"framework": framework.id, "item": item.id},
    )


def level_header(item: FrameworkItem, number: int, marker: str = "") -> str:
    """The level's coloured heading; a label that is ours carries OURS_MARK, its footnote as the tooltip."""
    colours = level_colours(item.scale.numbers)
    position = item.scale.numbers.index(number)
    text = LEVEL_TEXT.get(position + 1, "#111")
    label = escape(item.scale.label(number))
    if item.scale.level(number).ours:
        label += f'<abbr title="{escape(item.scale.footnote([number]) or "")}">{OURS_MARK}</abbr>'
    return (
        f'<div class="pl-level-head" style="background:{colours[number]};color:{text}">'
        f"{number} \u00b7 {label}{escape(marker)}</div>"
    )


def ours_footnote(scale: RatingScale, levels: list[int] | tuple[int, ...] | None = None) -> None:
    """Under anything that shows `levels` (default: all) of `scale`: the footnote when a shown label is ours."""
    footnote = scale.footnote(levels)
    if footnote:
        st.caption(plain(footnote))


def level_body(item: FrameworkItem, number: int, look_fors: bool = True) -> str:
    content = item.content(number)
    if content is None:
        return '<p class="pl-muted">The source does not describe this level.</p>'
    parts = []
    if content.statement and list(content.descriptors) != [content.statement]:
        parts.append(f"<p><strong>{escape(content.statement)}</strong></p>")
    if content.descriptors:
        parts.append("<ul>" + "".join(f"<li>{escape(d)}</li>" for d in content.descriptors) + "</ul>")
    if look_fors and content.look_fors:
        for who, items in (("Learners", content.look_fors.learners), ("Educators", content.look_fors.educators)):
            if items:
                parts.append(f'<p class="pl-muted"><strong>Look-fors: {who}</strong></p>')
                parts.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>")
    return "".join(parts)


def levels_side_by_side(
    item: FrameworkItem,
    levels: list[int] | None = None,
    highlight: dict[int, str] | None = None,
    look_fors: bool = True,
) -> None:
    """One column per level, left to right, each headed by its level in the shared colour scale."""
    levels = levels or list(item.scale.numbers)
    highlight = highlight or {}
    columns = st.columns(len(levels), gap="small")
    for col, number in zip(columns, levels, strict=True):
        with col:
            st.html(level_header(item, number, highlight.get(number, "")) + level_body(item, number, look_fors))
    ours_footnote(item.scale, levels)


def steps_list(steps) -> str:
    """Steps as a bulleted list, with their examples under them."""
    parts = []
    for step in steps:
        examples = "".join(f"<li><em>Example:</em> {escape(e)}</li>" for e in step.examples)
        parts.append(f"<li>{escape(step.text)}" + (f"<ul>{examples}</ul>" if examples else "") + "</li>")
    return "<ul>" + "".join(parts) + "</ul>"
