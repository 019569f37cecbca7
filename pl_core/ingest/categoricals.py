"""Categoricals of text without the hash table pandas keeps beside them.

Validating a categorical's categories builds a hash engine on them and caches it for as long as the
categories live; for strings held by pyarrow that means a Python object per distinct value as well.
A 500,000-row export has half a million distinct timestamps and respondent keys, so that cache would
outweigh the column itself. These helpers validate as usual, then let the cache go.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def forget_engine(index: pd.Index) -> None:
    """Drop an Index's cached hash engine (rebuilt if anything needs it again)."""
    cache = getattr(index, "_cache", None)
    if isinstance(cache, dict):
        cache.clear()


def categorical(codes: np.ndarray, categories) -> pd.Categorical:
    """`pd.Categorical.from_codes` over text categories (code -1 = missing), without the cached engine."""
    if not isinstance(categories, pd.Index):
        categories = pd.Index(categories, dtype="str")
    out = pd.Categorical.from_codes(codes, categories=categories, validate=False)
    forget_engine(out.categories)
    return out


def without_unused(values: pd.Categorical | pd.Series) -> pd.Categorical | pd.Series:
    """`remove_unused_categories`, without the cached engine."""
    out = values.cat.remove_unused_categories() if isinstance(values, pd.Series) else values.remove_unused_categories()
    forget_engine(out.cat.categories if isinstance(out, pd.Series) else out.categories)
    return out
