"""How a round's release is written: each member's answers as the same JSON text, however many people."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pl_core import privacy
from pl_core.services.releases import _answers_json, members_json


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
    assert members_json(items, levels) == [_answers_json(items, row) for row in levels]


def test_members_json_on_a_hand_written_row():
    levels = np.array([[2, privacy.MISSING, privacy.NO_ROW], [privacy.NO_ROW] * 3], dtype=np.int16)
    assert members_json(("voice", "culture", "mindset"), levels) == ['{"culture": null, "voice": 2}', "{}"]
