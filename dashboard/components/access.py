"""Sign-in and who is asking. Local mode (no [auth] in secrets) is one trusted user; shared mode signs in via OIDC.

The decisions (which schools a viewer may use) live in pl_core.services.access; this module finds out who the
viewer is and where the request comes from, draws the sign-in screen and the sidebar's account line, and
keeps the local mode's trust to the machine the app runs on (`participant_gate`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pl_core import settings
from pl_core.domain.workshop import JOIN_PATH, TOKEN_PARAM
from pl_core.services import access as auth

from . import data
from .text import plain

NETWORK_FULL = "full"  # PL_LOCAL_NETWORK_ACCESS=full: the whole app to every machine that reaches it
# Headers a reverse proxy adds: a request relayed by one is not from this machine, whatever its TCP peer.
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


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


# --- Where a request comes from, and what local mode serves it ----------------------------------------------------


def is_loopback(address: str | None) -> bool:
    """Whether `address` is this machine (127.0.0.0/8, ::1, or an IPv4-mapped loopback); unknown is not."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def local_mode_serves_full_app(peer: str | None, *, forwarded: bool, network_access: str) -> bool:
    """Local mode (sign-in off): the full app only to the machine it runs on, unless opened to the network.

    `peer` is the TCP peer of the browser's connection; a request relayed by a proxy (`forwarded`) or
    from an unknown peer counts as another machine. Other machines get only "Join a workshop".
    """
    if network_access == NETWORK_FULL:
        return True
    return is_loopback(peer) and not forwarded


def client_address(peer: str | None, headers: Mapping[str, str], trusted_proxies: Iterable[str]) -> str | None:
    """The address a wrong join code is counted against: the TCP peer, or behind a trusted proxy the client
    its X-Forwarded-For names (the right-most hop that is not itself a trusted proxy; the rest can be forged)."""
    trusted = {p.strip() for p in trusted_proxies if p.strip()}
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer


def request_peer() -> str | None:
    """The TCP peer of this session's browser connection (not `st.context.ip_address`, which maps loopback to
    None and so cannot tell this machine from an unknown peer); None when unknown."""
    ctx = get_script_run_ctx()
    if ctx is None or not runtime.exists():
        return None
    client = runtime.get_instance().get_client(ctx.session_id)
    peer = getattr(getattr(client, "client_context", None), "remote_ip", None)
    if peer is not None and not isinstance(peer, str):
        return "127.0.0.1"  # streamlit.testing's stand-in runtime: the script runs in this process, no network
    return peer


def request_headers() -> dict[str, str]:
    try:
        return {str(k).lower(): str(v) for k, v in st.context.headers.items()}
    except Exception:  # noqa: BLE001 - no request headers (a test harness): nothing was forwarded
        return {}


def session_id() -> str | None:
    """This browser session, one of the two keys wrong join codes are counted against."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else None


def join_client() -> dict[str, str | None]:
    """Who is trying a join code: this session and its network address (behind trusted proxies, the client's)."""
    trusted = settings.get("trusted_proxies").split(",")
    return {"session": session_id(), "address": client_address(request_peer(), request_headers(), trusted)}


def is_participant_link() -> bool:
    """A join link (`?code=`) or a ballot link (`?p=`): whoever opens one is a participant and sees only the ballot."""
    return "code" in st.query_params or TOKEN_PARAM in st.query_params


def participant_gate(current: auth.Viewer | None, join_script) -> None:
    """Serve only "Join a workshop" to participants' links and, in local mode, to every other machine.

    Local mode trusts whoever reaches the app, so without this a phone on the school's network that can
    reach the workshop would get every school and the facilitator's controls. PL_LOCAL_NETWORK_ACCESS=full
    opens the whole app to the network again, with a warning on every page.
    """
    local = current is not None and current.role == auth.LOCAL_ROLE
    network_access = settings.get("local_network_access")
    forwarded = any(h in request_headers() for h in FORWARDING_HEADERS)
    full = local_mode_serves_full_app(request_peer(), forwarded=forwarded, network_access=network_access)
    if is_participant_link() or (local and not full):
        st.session_state[data.VIEWER_KEY] = None
        # The join page at the app's root and at /join (the address in join links and QR codes); nothing else.
        pages = [
            st.Page(join_script, title="Join a workshop", icon=":material/groups:", default=True),
            st.Page(join_script, title="Join a workshop", icon=":material/groups:", url_path=JOIN_PATH),
        ]
        st.navigation(pages, position="hidden").run()
        st.stop()
    if local and network_access == NETWORK_FULL:
        st.warning(
            "**Open to the network:** sign-in is off and PL_LOCAL_NETWORK_ACCESS=full, so anyone who can reach "
            "this computer sees every school and can run its workshops.",
            icon=":material/public:",
        )
