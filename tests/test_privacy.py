"""Small-group and complementary suppression, comments, and the respondent-key secret."""

from __future__ import annotations

import os
import stat

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import column, inspect, select, table

from pl_core import privacy
from pl_core.frameworks import load_framework
from pl_core.scoring import count_levels, score_counts, score_items

FW = load_framework("dps-driver-model")
ITEMS = ["culture", "mindset"]
ROLES = ["teacher", "coach", "para", "specialist"]


def responses(groups: dict[str, list[int | None]], school: str = "Aspen", item: str = "culture") -> pd.DataFrame:
    """Tidy answers: role -> each person's level on `item` (None = a missing answer such as "Don't know")."""
    rows = [
        {
            "school": school,
            "round": "Fall",
            "respondent": f"{school}-{role}-{i}",
            "role": role,
            "grade_band": pd.NA,
            "item": item,
            "level": level,
        }
        for role, levels in groups.items()
        for i, level in enumerate(levels)
    ]
    return pd.DataFrame(rows).astype({"level": "Int64"})


def breakdown(frame: pd.DataFrame, min_group: int = 5, by: str = "role") -> pd.DataFrame:
    scores = score_items(frame, FW, by=("school", "round", by))
    whole = score_items(frame, FW, by=("school", "round"))
    return privacy.suppress_breakdown(scores, by, min_group, whole)


def shown(result: pd.DataFrame, item: str = "culture") -> dict[str, float]:
    part = result[(result["item"] == item) & ~result["suppressed"]]
    return dict(zip(part["role"], part["n"], strict=True))


@pytest.mark.parametrize(
    ("sizes", "visible"),
    [
        ({"teacher": 9, "coach": 3}, {}),  # the brief's example: coach small, teacher would reveal it
        ({"teacher": 9, "coach": 3, "para": 6}, {"teacher": 9}),  # the smallest other group goes
        ({"teacher": 9, "coach": 3, "para": 2}, {"teacher": 9}),  # hidden together they are 5: enough
        ({"teacher": 9, "coach": 6}, {"teacher": 9, "coach": 6}),
        ({"teacher": 12}, {"teacher": 12}),
        ({"teacher": 4}, {}),
        ({"teacher": 7, "coach": 7, "para": 1}, {"teacher": 7}),  # ties: the first in sort order is kept
    ],
)
def test_small_groups_and_their_complements_are_hidden(sizes, visible):
    frame = responses({role: [3] * n for role, n in sizes.items()})
    assert shown(breakdown(frame)) == visible


def test_a_hidden_groups_missing_answers_cannot_be_recovered_either():
    # 9 teachers answered; 3 coaches all said "Don't know": n remainder 0, respondents remainder 3.
    frame = responses({"teacher": [3] * 9, "coach": [None] * 3})
    assert shown(breakdown(frame)) == {}
    frame = responses({"teacher": [3] * 9, "coach": [None] * 5})
    assert shown(breakdown(frame)) == {"teacher": 9}


def test_suppressed_cells_are_blank_and_shown_cells_unchanged():
    frame = responses({"teacher": [1, 2, 3, 4, 4, 3, 2], "coach": [1] * 2, "para": [4] * 6})
    raw = score_items(frame, FW, by=("school", "round", "role"))
    result = breakdown(frame)
    assert list(result.columns) == list(raw.columns) and len(result) == len(raw)
    hidden = result[result["suppressed"]]
    stats = ["respondents", "n", "missing", "mean", "median", "sd", "stage", "agreement", "within_one", "count_1"]
    assert hidden[stats].isna().all().all() and set(hidden["role"]) == {"coach", "para"}
    kept = result[~result["suppressed"]].reset_index(drop=True)
    expected = raw[raw["role"] == "teacher"].reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[stats].astype(float), expected[stats].astype(float))


def test_without_whole_the_total_is_the_sum_of_the_cells():
    frame = responses({"teacher": [3] * 9, "coach": [3] * 3})
    scores = score_items(frame, FW, by=("school", "round", "role"))
    assert privacy.suppress_breakdown(scores, "role", 5)["suppressed"].all()


def test_already_suppressed_scores_need_whole():
    counts = count_levels(responses({"teacher": [3] * 9, "coach": [3] * 3}), FW, by=("school", "round", "role"))
    counts["suppressed"] = counts.filter(like="count_").sum(axis=1) < 5
    scores = score_counts(counts, FW, by=("school", "round", "role"))
    with pytest.raises(ValueError, match="pass `whole`"):
        privacy.suppress_breakdown(scores, "role", 5)
    whole = score_items(responses({"teacher": [3] * 9, "coach": [3] * 3}), FW, by=("school", "round"))
    assert privacy.suppress_breakdown(scores, "role", 5, whole)["suppressed"].all()


def test_breakdown_column_must_be_a_key():
    scores = score_items(responses({"teacher": [3] * 9}), FW, by=("school", "round"))
    with pytest.raises(ValueError, match="not one of the breakdown's key columns"):
        privacy.suppress_breakdown(scores, "role", 5)


# Property tests: random schools, roles and answers (missing ones included), two items.

level = st.one_of(st.none(), st.integers(1, 4))
group = st.lists(st.tuples(level, level), max_size=14)  # each person's answers on the two items
school = st.dictionaries(st.sampled_from(ROLES), group, min_size=1, max_size=4)
district = st.dictionaries(st.sampled_from(["Aspen", "Birch", "Cedar"]), school, min_size=1, max_size=3)


def district_frame(data: dict[str, dict[str, list[tuple]]], with_unknown_role: bool) -> pd.DataFrame:
    rows = []
    for school_name, groups in data.items():
        for role, people in groups.items():
            for i, answers in enumerate(people):
                # Some people leave the role blank: they form their own (NA) group.
                who = pd.NA if with_unknown_role and i == 0 else role
                for item, lvl in zip(ITEMS, answers, strict=True):
                    rows.append(
                        {
                            "school": school_name,
                            "round": "Fall",
                            "respondent": f"{school_name}-{role}-{i}",
                            "role": who,
                            "grade_band": pd.NA,
                            "item": item,
                            "level": lvl,
                        }
                    )
    columns = ["school", "round", "respondent", "role", "grade_band", "item", "level"]
    return pd.DataFrame(rows, columns=columns).astype({"level": "Int64"})


# score_items takes ~0.1 s a call, so fewer examples here; the synthetic test below covers many more shapes.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=district, with_unknown_role=st.booleans(), min_group=st.integers(1, 8))
def test_no_shown_figure_rests_on_a_small_group_or_reveals_one_by_subtraction(data, with_unknown_role, min_group):
    frame = district_frame(data, with_unknown_role)
    if frame.empty:
        return
    keys = ["school", "round", "item"]
    raw = score_items(frame, FW, by=("school", "round", "role"))
    whole = score_items(frame, FW, by=("school", "round"))
    result = privacy.suppress_breakdown(raw, "role", min_group, whole)
    assert len(result) == len(raw)
    shown_mask = ~result["suppressed"].to_numpy()
    # (1) Every shown figure rests on at least min_group answers, and is the true figure.
    assert (raw.loc[shown_mask, "n"] >= min_group).all()
    np.testing.assert_array_equal(result.loc[shown_mask, "mean"], raw.loc[shown_mask, "mean"])
    assert result.loc[~shown_mask, ["n", "respondents", "mean", "missing"]].isna().all().all()
    # (2) Whole-school minus everything shown is nobody, or at least min_group people (answers and respondents).
    totals = whole.set_index(keys)[["n", "respondents"]]
    for family, part in raw.assign(shown=shown_mask).groupby(keys):
        visible = part[part["shown"]]
        if visible.empty:
            continue
        for measure in ("n", "respondents"):
            remainder = totals.loc[family, measure] - visible[measure].sum()
            assert remainder == 0 or remainder >= min_group, (family, measure, remainder)
        # ...and no more is hidden than the rule needs: at most one shown-size cell beyond the small ones.
        big_hidden = part[~part["shown"] & (part["n"] >= min_group)]
        assert len(big_hidden) <= 1
        if len(big_hidden) == 1:
            assert big_hidden["n"].iloc[0] <= visible["n"].min()


cell = st.tuples(st.integers(0, 15), st.integers(0, 3))  # (answers, respondents with a missing answer)
family = st.dictionaries(st.sampled_from(ROLES), cell, min_size=1, max_size=4)


@settings(max_examples=100, deadline=None)
@given(
    families=st.dictionaries(
        st.tuples(st.sampled_from(["Aspen", "Birch"]), st.sampled_from(ITEMS)), family, min_size=1
    ),
    outside=st.integers(0, 3),
    min_group=st.integers(1, 8),
)
def test_suppress_breakdown_is_safe_on_any_score_table(families, outside, min_group):
    rows = [
        {
            "school": s,
            "round": "Fall",
            "role": role,
            "item": item,
            "respondents": n + m,
            "n": n,
            "missing": m,
            "mean": 2.5,
            "suppressed": False,
        }
        for (s, item), cells in families.items()
        for role, (n, m) in cells.items()
    ]
    scores = pd.DataFrame(rows)
    whole = scores.groupby(["school", "round", "item"], as_index=False)[["n", "respondents"]].sum()
    whole[["n", "respondents"]] += outside  # people with answers in the whole figure but in no cell of this table
    result = privacy.suppress_breakdown(scores, "role", min_group, whole)
    shown_mask = ~result["suppressed"]
    assert (scores.loc[shown_mask, "n"] >= min_group).all()
    assert result.loc[~shown_mask, ["n", "respondents", "mean"]].isna().all().all()
    totals = whole.set_index(["school", "round", "item"])
    for key, part in scores.assign(shown=shown_mask).groupby(["school", "round", "item"]):
        visible = part[part["shown"]]
        if visible.empty:
            continue
        for measure in ("n", "respondents"):
            remainder = totals.loc[key, measure] - visible[measure].sum()
            assert remainder == 0 or remainder >= min_group, (key, measure, remainder)


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(0, 20), min_size=1, max_size=6),
    missing=st.lists(st.integers(0, 4), max_size=6),
    extra=st.integers(0, 6),
    min_group=st.integers(1, 10),
)
def test_hidden_cells_leaves_a_safe_remainder_for_any_counts(sizes, missing, extra, min_group):
    n = np.array(sizes, dtype=float)
    r = n + np.array((missing + [0] * len(sizes))[: len(sizes)], dtype=float)
    total_n, total_r = n.sum() + extra, r.sum() + extra  # `extra`: people in the whole figure but no cell
    hidden = privacy.hidden_cells(n, r, total_n, total_r, min_group)
    assert not (n[~hidden] < min_group).any()
    if (~hidden).any():
        for total, cells in ((total_n, n), (total_r, r)):
            remainder = total - cells[~hidden].sum()
            assert remainder == 0 or remainder >= min_group


# Comments.


def test_comments_are_only_text_sorted_and_only_for_enough_respondents():
    comments = pd.DataFrame(
        {
            "school": ["Aspen"] * 3,
            "round": ["Fall"] * 3,
            "respondent": ["k2", "k1", "k3"],
            "role": ["coach", "teacher", "teacher"],
            "grade_band": ["K-2", "3-5", "3-5"],
            "column": ["Comments"] * 3,
            "text": ["Zoned planning time", "  ", "Advisory works "],
        }
    )
    shown_comments = privacy.comments_for_display(comments, respondents=5, min_group=5)
    assert list(shown_comments.columns) == ["text"]
    assert shown_comments["text"].tolist() == ["Advisory works", "Zoned planning time"]
    assert privacy.comments_for_display(comments, respondents=4, min_group=5).empty
    assert list(privacy.comments_for_display(comments.iloc[0:0], respondents=9, min_group=5).columns) == ["text"]


def test_comments_threshold_defaults_to_the_setting(monkeypatch):
    comments = pd.DataFrame({"text": ["fine"]})
    monkeypatch.setenv("PL_MIN_GROUP_SIZE", "8")
    assert privacy.comments_for_display(comments, respondents=7).empty
    assert privacy.comments_for_display(comments, respondents=8)["text"].tolist() == ["fine"]


# The respondent-key secret.


def test_the_secret_file_is_created_0600_and_never_reaches_the_database(tmp_path, monkeypatch):
    from pl_core import settings as pl_settings
    from pl_core.ingest import read_upload
    from pl_core.store import make_engine, save_import, upgrade

    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PL_RESPONDENT_SECRET", raising=False)
    monkeypatch.delenv("PL_DATABASE_URL", raising=False)
    secret = pl_settings.respondent_secret()
    key_file = tmp_path / "respondent.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(secret) >= 32 and pl_settings.respondent_secret() == secret  # read back, not regenerated

    upload = "sample_data/uploads/aspen-elementary-fall-2025-google-forms.csv"
    data = open(os.path.join(os.path.dirname(__file__), "..", upload), "rb").read()
    parsed = read_upload(data, "aspen.csv", FW, secret=secret)
    assert parsed.report.valid
    engine = make_engine()
    try:
        upgrade(engine)
        save_import(engine, parsed, school="Aspen", round="Fall 2025", framework=FW)
        text = secret.decode()
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            for name in names:
                columns = [column(c["name"]) for c in inspect(conn).get_columns(name)]
                for row in conn.execute(select(*columns).select_from(table(name))):
                    assert not any(text in str(value) for value in row), name
        assert "respondents" in names
    finally:
        engine.dispose()
    raw = (tmp_path / "pl-diagnostics.db").read_bytes()
    for path in tmp_path.glob("pl-diagnostics.db*"):
        raw += path.read_bytes()  # the WAL file too
    assert secret not in raw and len(raw) > 0
