"""When the database cannot be opened or cannot save (a full disk, a read-only file), or a setting is wrong (an empty
respondent-key secret): say so and what to do, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from pl_core.services.catalog import DatabaseUnavailable, StorageError
from pl_core.settings import SettingError

from . import data
from .text import plain


def require_database() -> None:
    """Stop the run with a clear message when the database cannot be opened."""
    try:
        data.engine()
    except DatabaseUnavailable as exc:
        st.error(f"{plain(exc)}", icon=":material/database:")
        st.caption("Check PL_DATABASE_URL (or PL_DATA_DIR) and that the database server or disk is reachable.")
        st.stop()


@contextmanager
def explained() -> Iterator[None]:
    """Run a page; a write the database refused (disk full, read-only) or a wrong setting ends it with what to do."""
    try:
        yield
    except StorageError as exc:
        st.error(plain(exc), icon=":material/database:")
    except SettingError as exc:
        message = str(exc)
        st.error(plain(message[:1].upper() + message[1:]), icon=":material/settings:")
