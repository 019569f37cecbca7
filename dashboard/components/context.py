"""The shared context (framework, school, round, presentation mode): it follows the person from page to page.

The pickers are drawn by `app.py` on every run, whatever the page; pages read the choice with `current()`.
The choice also sits in the address bar (`?framework=…&school=…&round=…`), so a shared link opens the
same view, and every navigation link carries it.

Streamlit drops a widget's value on some page switches (`st.switch_page` from a button, for one), which
once sent "Make this a goal" to the first school and the newest round. So the choice is also kept under
a key that is not a widget's (KEPT) and put back whenever Streamlit has dropped it.
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
KEPT = "ctx_kept"  # {widget key: value} of the last run: survives page switches
IN_URL = "ctx_in_url"  # {param: value} this app last wrote to the address bar
PENDING = "ctx_pending"
DEFAULT_FRAMEWORK = "dps-driver-model"
PARAMS = {"framework": KEY_FRAMEWORK, "school": KEY_SCHOOL, "round": KEY_ROUND}
NO_ANSWERS = " (no answers)"


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

    @property
    def params(self) -> dict[str, str]:
        """The choice as query parameters, for links that keep it."""
        found = {"framework": self.framework.id, "school": self.school, "round": self.round}
        return {name: value for name, value in found.items() if value}


def end_presentation() -> None:
    st.session_state[KEY_PRESENT] = False


def request(**choices) -> None:
    """Ask for the pickers to show these choices (school=, round=, framework=) from the next run on."""
    st.session_state[PENDING] = {name: value for name, value in choices.items() if name in PARAMS}


def _linked() -> dict[str, str]:
    """Choices the address bar names that this app did not write there itself: a link someone followed."""
    written = st.session_state.get(IN_URL, {})
    found = {name: st.query_params.get(name) for name in PARAMS}
    return {name: value for name, value in found.items() if value is not None and value != written.get(name)}


def _default_framework(ordered: list[str], in_use: list[str]) -> str | None:
    if DEFAULT_FRAMEWORK in in_use or (not in_use and DEFAULT_FRAMEWORK in ordered):
        return DEFAULT_FRAMEWORK
    return in_use[0] if in_use else (ordered[0] if ordered else None)


def resolve(previous: dict, wanted: dict, *, ordered, in_use, schools, rounds, with_data) -> dict:
    """The context to show: what is `wanted` where it is an option, else what follows from the rest.

    `previous` is the last run's context (empty on a session's first run); `wanted` holds the widget
    values, overridden by links and requests. A changed framework takes the school along only when the
    school was not changed too; a changed school keeps the round when the school has answers in it,
    otherwise it moves to the school's latest round with answers. Pure, so tests need no Streamlit.
    """
    framework = wanted.get("framework")
    if framework not in ordered:
        framework = _default_framework(ordered, in_use)
    answered = with_data(framework) if framework else {}
    school = wanted.get("school")
    school_moved = school != previous.get("school")
    if school not in schools or (
        framework != previous.get("framework") and not school_moved and school not in answered
    ):
        school = next((s for s in schools if s in answered), schools[0] if schools else None)
    round_name = wanted.get("round")
    round_moved = round_name != previous.get("round")
    own = answered.get(school, [])
    latest = own[-1] if own else (rounds[-1] if rounds else None)
    if round_name not in rounds:
        round_name = latest
    elif (school != previous.get("school") or framework != previous.get("framework")) and not round_moved:
        round_name = round_name if round_name in own else latest
    return {"framework": framework, "school": school, "round": round_name}


def sidebar() -> Context:
    """Work out the context, draw its pickers in the sidebar, put it in the address bar, and return it."""
    state = st.session_state
    kept = state.setdefault(KEPT, {})
    for key in (*PARAMS.values(), KEY_PRESENT):
        if key not in state and key in kept:  # Streamlit dropped the widget's value on a page switch
            state[key] = kept[key]
    previous = {name: kept.get(key) for name, key in PARAMS.items()}
    wanted = {name: state.get(key) for name, key in PARAMS.items()}
    wanted.update(_linked())
    wanted.update(state.pop(PENDING, {}))

    frameworks = data.frameworks()
    in_use = [f for f in data.frameworks_in_use() if f in frameworks]
    ordered = in_use + [f for f in frameworks if f not in in_use]
    schools = data.schools()
    rounds = data.rounds()
    chosen = resolve(
        previous,
        wanted,
        ordered=ordered,
        in_use=in_use,
        schools=schools,
        rounds=rounds,
        with_data=data.rounds_with_data,
    )
    for name, key in PARAMS.items():
        state[key] = chosen[name]
    answered = data.rounds_with_data(chosen["framework"]) if chosen["framework"] else {}
    own = set(answered.get(chosen["school"], []))
    with st.sidebar:
        st.selectbox("Framework", ordered, key=KEY_FRAMEWORK, format_func=lambda f: frameworks.get(f, f))
        if schools:
            st.selectbox(
                "School",
                schools,
                key=KEY_SCHOOL,
                format_func=lambda s: s if s in answered else s + NO_ANSWERS,
                help="Schools marked (no answers) have no staff answers on this framework yet.",
            )
            st.selectbox(
                "Round",
                rounds,
                key=KEY_ROUND,
                format_func=lambda r: r if r in own else r + NO_ANSWERS,
                help="Assessment rounds, oldest first. The school's latest round with answers opens first.",
            )
        else:
            st.caption("No schools yet: upload a staff self-assessment or load the sample district.")
        st.toggle("Presentation mode", key=KEY_PRESENT, help="Hide the app's chrome and enlarge text and charts.")
    for key in (*PARAMS.values(), KEY_PRESENT):
        kept[key] = state.get(key)
    _write_url({name: state.get(key) for name, key in PARAMS.items()})
    return current()


def _write_url(values: dict) -> None:
    written = {}
    for name, value in values.items():
        if value is None:
            continue
        if st.query_params.get(name) != value:
            st.query_params[name] = value
        written[name] = value
    st.session_state[IN_URL] = written


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
