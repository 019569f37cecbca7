"""When the database cannot be opened or cannot save (a full disk, a read-only file): say so, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from pl_core.services.catalog import DatabaseUnavailable, StorageError

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
    """Run a page; a write the database refused (disk full, read-only) ends it with what happened and what to do."""
    try:
        yield
    except StorageError as exc:
        st.error(plain(exc), icon=":material/database:")
