"""Sign-in and who is asking. Local mode (no [auth] in secrets) is one trusted user; shared mode signs in via OIDC.

The decisions (which schools a viewer may use) live in pl_core.services.access; this module only finds out who the
viewer is and draws the sign-in screen and the sidebar's account line.
"""

from __future__ import annotations

import streamlit as st

from pl_core.services import access as auth

from . import data
from .text import plain


def shared_mode() -> bool:
    """True when `[auth]` is configured in .streamlit/secrets.toml: everyone must sign in."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False
    except Exception:  # noqa: BLE001 - a secrets file that does not parse is not a configured sign-in
        return False


def signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


@st.cache_data(ttl=60, max_entries=256, show_spinner=False)
def _viewer_for(email: str) -> auth.Viewer | None:
    return auth.viewer_for(data.engine(), email)


def viewer() -> auth.Viewer | None:
    """The current viewer: LOCAL in local mode; the stored user in shared mode; None when not allowed in."""
    if not shared_mode():
        return auth.LOCAL
    if not signed_in():
        return None
    return _viewer_for(str(st.user.get("email", "")))


def sign_in_screen() -> None:
    """What someone who is not signed in sees in shared mode: a sign-in button, and the way into a workshop."""
    st.title("PL Diagnostics")
    st.write(
        "Staff self-assessments are personnel data, so this dashboard needs you to sign in with your district account."
    )
    st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login, key="access_login")
    st.caption(
        "Taking part in a workshop? You do not need an account: choose **Join a workshop** in the menu "
        "and type the code your facilitator shows."
    )


def no_access_screen() -> None:
    email = st.user.get("email", "this account")
    st.title("No access yet")
    st.warning(
        f"You are signed in as **{plain(email)}**, but this account has not been given access to any school. "
        "Ask your district's PL Diagnostics administrator to add you."
    )
    st.button("Sign out", on_click=st.logout, key="access_logout_denied")


def sidebar_account(current: auth.Viewer) -> None:
    with st.sidebar:
        if current.role == auth.LOCAL_ROLE:
            st.caption(
                ":material/lock_open: Sign-in is off (local mode): anyone using this computer sees every "
                "school. Configure [auth] in .streamlit/secrets.toml to share the dashboard."
            )
            return
        role = current.role.replace("_", " ")
        st.caption(f":material/account_circle: {plain(current.name or current.email)} \u00b7 {role}")
        st.button("Sign out", on_click=st.logout, key="access_logout", icon=":material/logout:")


def denied(exc: Exception) -> None:
    """A clear refusal that shows nothing of the data asked for."""
    st.error(f"Not allowed: {plain(exc)}")
    st.stop()
