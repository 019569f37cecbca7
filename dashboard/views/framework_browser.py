"""Framework browser: every domain and item, level descriptors as a continuum, look-fors and next steps."""

import streamlit as st

from dashboard.components import context
from dashboard.components.continuum import levels_side_by_side, ours_footnote, steps_list
from dashboard.components.text import plain
from pl_core.frameworks import FrameworkProblem, broken_frameworks

FIRST_PROBLEMS = 3  # per broken file; `pl-diag validate` lists them all


def _where(problem: FrameworkProblem) -> str:
    line = f"line {problem.line}, " if problem.line else ""
    return f"{line}{problem.path or 'top level'}: {problem.message}"


def broken_files_warning() -> None:
    """Name each framework file that failed to load, with its first problems; the others are still shown."""
    broken = broken_frameworks()
    if not broken:
        return
    lines = []
    for path, problems in broken:
        more = f" (and {len(problems) - FIRST_PROBLEMS} more)" if len(problems) > FIRST_PROBLEMS else ""
        shown = "; ".join(_where(p) for p in problems[:FIRST_PROBLEMS])
        lines.append(f"- **{plain(path.name)}** in {plain(path.parent)}: {plain(shown)}{more}")
    st.warning(
        f"{len(broken)} framework file(s) could not be loaded and are left out; the other frameworks are shown. "
        "Fix the file, or run `pl-diag validate` to see every problem.\n\n" + "\n".join(lines),
        icon=":material/warning:",
    )


ctx = context.current()
fw = ctx.framework

st.title(plain(fw.name))
source = " \u00b7 ".join(x for x in (fw.publisher, str(fw.year) if fw.year else None, fw.source.edition) if x)
st.caption(f"{plain(source)} \u00b7 {len(fw.domains)} domains \u00b7 {len(fw.items)} rated items")
broken_files_warning()

with st.expander("About this framework", expanded=False):
    if fw.description:
        st.write(plain(fw.description))
    for definition in fw.definitions:
        st.markdown(f"**{plain(definition.term)}.** {plain(definition.text)}")
    if fw.uses:
        st.markdown("**Uses**\n" + "\n".join(f"- {plain(u)}" for u in fw.uses))
    for scale in fw.scales.values():
        legend = scale.legend(numbered=True)
        st.markdown(f"**{plain(scale.name)}:** " + " \u2192 ".join(plain(label) for label in legend.labels))
        for lv in scale.levels:
            if lv.description:
                st.markdown(f"- *{plain(lv.marked_label())}:* {plain(lv.description)}")
        ours_footnote(scale)
        for note in scale.notes:
            st.caption(plain(note))
    if fw.notes:
        st.markdown("**Notes on the source and its transcription**")
        for note in fw.notes:
            st.caption(plain(note))

items = list(fw.items)
ids = [i.id for i in items]
wanted = st.query_params.get("item")
if wanted in ids and wanted != st.session_state.get("browser_linked"):
    # a link names the item to open; apply it once, then the picker and buttons rule
    st.session_state["browser_item"] = wanted
    st.session_state["browser_linked"] = wanted
if st.session_state.get("browser_item") not in ids:
    st.session_state["browser_item"] = ids[0]


SEP = " \u203a "


def _label(item_id: str) -> str:
    item = fw.item(item_id)
    trail = [item.domain_name] + ([item.group_name] if item.group_name else [])
    return f"{item.name}  ({SEP.join(trail)})"


left, right = st.columns([3, 1])
with left:
    chosen = st.selectbox("Item", ids, key="browser_item", format_func=_label)
item = fw.item(chosen)
if st.query_params.get("item") != chosen:  # a shareable address (the context puts the framework in it)
    st.query_params["item"] = chosen
    st.session_state["browser_linked"] = chosen


def _go(item_id: str) -> None:
    st.session_state["browser_item"] = item_id


with right:
    i = ids.index(chosen)
    st.write("")
    nav = st.columns(2)
    nav[0].button(
        "\u2190 Previous",
        disabled=i == 0,
        key="browser_prev",
        width="stretch",
        on_click=_go,
        args=(ids[max(i - 1, 0)],),
    )
    nav[1].button(
        "Next \u2192",
        disabled=i == len(ids) - 1,
        key="browser_next",
        width="stretch",
        on_click=_go,
        args=(ids[min(i + 1, len(ids) - 1)],),
    )

st.subheader(plain(item.name))
domain = fw.domain(item.domain)
trail = domain.name + (f" \u203a {item.group_name}" if item.group_name else "")
st.caption(plain(trail))
if item.definition:
    st.markdown(f"**Definition.** {plain(item.definition)}")
if item.guiding_question:
    st.markdown(f"**Guiding question.** {plain(item.guiding_question)}")
if item.alignment:
    # Named by the file (DPS: "DPS LEAP"), never "LEAP", which is another framework here.
    codes = " ".join("`" + code.replace("`", "'") + "`" for code in item.alignment)  # nothing is markup in code
    st.markdown(f"**{plain(fw.alignment_name)}:** {codes}")
    if fw.aligned_to and fw.aligned_to.title:
        st.caption(plain(fw.aligned_to.title))

if item.described_levels:
    st.markdown("#### The continuum")
    levels_side_by_side(item)
else:
    st.info(
        f"The source gives no level descriptors for this item. It is rated on the {plain(item.scale.name)} scale: "
        + ", ".join(plain(label) for label in item.scale.legend(numbered=True).labels)
        + ". See *About this framework* for what each level means."
    )
    ours_footnote(item.scale)

if item.moves:
    st.markdown("#### Next steps")
    labelled = [
        (m.label or ("Strategies" if m.from_level is None else f"{m.from_level} \u2192 {m.to_level}"), m)
        for m in item.moves
    ]
    tabs = st.tabs([plain(label) for label, _ in labelled])
    for tab, (_, move) in zip(tabs, labelled, strict=True):
        with tab:
            if move.from_level is not None:
                st.caption(
                    f"Moving from {plain(item.scale.marked_label(move.from_level))} "
                    f"to {plain(item.scale.marked_label(move.to_level))}"
                )  # the continuum above carries the footnote for the marks
            st.html(steps_list(move.steps))
            for note in move.notes:
                st.caption(f"Note: {plain(note)}")

notes = list(item.notes) + [f"Level {n}: {note}" for n in item.described_levels for note in item.content(n).notes]
if notes:
    with st.expander("Notes on the source for this item"):
        for note in notes:
            st.caption(plain(note))
