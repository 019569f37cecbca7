"""The shared context (framework, school, round, presentation mode), picked once in the sidebar.

The pickers are drawn by `app.py` on every run, whatever the page, so their values survive
page switches; pages read them with `current()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from pl_core.frameworks import Framework

from . import data

KEY_FRAMEWORK = "ctx_framework"
KEY_SCHOOL = "ctx_school"
KEY_ROUND = "ctx_round"
KEY_PRESENT = "ctx_presentation"
KEY_LINK_APPLIED = "ctx_link_applied"
DEFAULT_FRAMEWORK = "dps-driver-model"


@dataclass(frozen=True)
class Context:
    framework: Framework
    school: str | None
    round: str | None
    rounds: tuple[str, ...]
    schools: tuple[str, ...]
    presentation: bool

    @property
    def previous_round(self) -> str | None:
        if self.round not in self.rounds:
            return None
        i = self.rounds.index(self.round)
        return self.rounds[i - 1] if i > 0 else None


def _choose(options: list, key: str, default=None):
    """Keep a stored choice when it is still an option; otherwise fall back to the default or the first."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default if default in options else (options[0] if options else None)


def end_presentation() -> None:
    st.session_state[KEY_PRESENT] = False


def request(**choices) -> None:
    """Ask for the pickers to show these choices (school=, round=, framework=) from the next run on."""
    st.session_state["ctx_pending"] = choices


def sidebar() -> Context:
    """Draw the pickers in the sidebar and return the chosen context."""
    pending = st.session_state.pop("ctx_pending", {})
    for name, key in (("framework", KEY_FRAMEWORK), ("school", KEY_SCHOOL), ("round", KEY_ROUND)):
        if name in pending:
            st.session_state[key] = pending[name]
    frameworks = data.frameworks()
    in_use = [f for f in data.frameworks_in_use() if f in frameworks]
    ordered = in_use + [f for f in frameworks if f not in in_use]
    linked = st.query_params.get("framework")
    if linked in frameworks and linked != st.session_state.get(KEY_LINK_APPLIED):
        # a link from another page names the framework it shows; apply it once, then the sidebar rules
        st.session_state[KEY_FRAMEWORK] = linked
        st.session_state[KEY_LINK_APPLIED] = linked
    _choose(ordered, KEY_FRAMEWORK, DEFAULT_FRAMEWORK)
    schools = data.schools()
    rounds = data.rounds()
    _choose(schools, KEY_SCHOOL)
    _choose(rounds, KEY_ROUND, rounds[-1] if rounds else None)
    with st.sidebar:
        st.selectbox("Framework", ordered, key=KEY_FRAMEWORK, format_func=lambda f: frameworks.get(f, f))
        if schools:
            st.selectbox("School", schools, key=KEY_SCHOOL)
            st.selectbox("Round", rounds, key=KEY_ROUND, help="Assessment rounds, oldest first.")
        else:
            st.caption("No schools yet: upload a staff self-assessment or load the sample district.")
        st.toggle("Presentation mode", key=KEY_PRESENT, help="Hide the app's chrome and enlarge text and charts.")
    return current()


def current() -> Context:
    framework_id = st.session_state.get(KEY_FRAMEWORK) or DEFAULT_FRAMEWORK
    if framework_id not in data.frameworks():
        framework_id = next(iter(data.frameworks()))
    return Context(
        framework=data.framework(framework_id),
        school=st.session_state.get(KEY_SCHOOL),
        round=st.session_state.get(KEY_ROUND),
        rounds=tuple(data.rounds()),
        schools=tuple(data.schools()),
        presentation=bool(st.session_state.get(KEY_PRESENT, False)),
    )
