"""How a round's release is written: each member's answers as the same JSON text, however many people."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pl_core import privacy
from pl_core.services.releases import members_json


def reference_json(items: tuple[str, ...], row: np.ndarray) -> str:
    """One person's answers the plain way: what members_json must write for them."""
    return json.dumps(
        {
            item: (None if v == privacy.MISSING else int(v))
            for item, v in zip(items, row.tolist(), strict=True)
            if v != privacy.NO_ROW
        },
        sort_keys=True,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["voice", "culture", "a-b", 'q"uote', "z"]), min_size=0, max_size=5, unique=True),
    st.integers(min_value=0, max_value=12),
    st.data(),
)
def test_members_json_writes_exactly_the_reference_text_for_every_person(items, people, data):
    """A release's members are written a chunk at a time from pieces (members_json); the text is what
    json.dumps(sort_keys=True) gives for each person, missing answers null and items without a row left out."""
    items = tuple(items)
    values = st.sampled_from([privacy.NO_ROW, privacy.MISSING, 1, 2, 3, 4])
    levels = np.array([[data.draw(values) for _ in items] for _ in range(people)], dtype=np.int16).reshape(
        people, len(items)
    )
    assert members_json(items, levels) == [reference_json(items, row) for row in levels]


def test_members_json_on_a_hand_written_row():
    levels = np.array([[2, privacy.MISSING, privacy.NO_ROW], [privacy.NO_ROW] * 3], dtype=np.int16)
    assert members_json(("voice", "culture", "mindset"), levels) == ['{"culture": null, "voice": 2}', "{}"]
