"""Workshop join codes: long enough, dead once closed, and rate-limited per client in the database.

The limiter counts wrong codes per browser session AND per network address, keeps the count in the
database (so every app process shares it), and never refuses the right code to other clients.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pl_core.domain import workshop as rules
from pl_core.domain.workshop import JoinLimits, WorkshopError
from pl_core.frameworks import load_framework
from pl_core.services import workshops as service
from pl_core.store import make_engine
from pl_core.store import workshops as ws

FW = load_framework("dps-driver-model")
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LIMITS = JoinLimits(per_session=5, per_address=20, window=timedelta(minutes=5))


@pytest.fixture
def opened(engine):
    return ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=FW, items=["culture"])


def wrong_code(right: str) -> str:
    """A well-formed code that is not `right`."""
    return "".join("B" if ch != "B" else "C" for ch in right)


def attempt(engine, code: str, *, session: str | None, address: str | None, at: datetime, name: str = "Ana"):
    """The participant, or the refusal's code."""
    try:
        return service.join(engine, code, name, session=session, address=address, limits=LIMITS, now=at).participant
    except WorkshopError as err:
        return err.code


def test_codes_are_six_symbols_from_31_so_about_9e8_possibilities():
    assert rules.CODE_LENGTH == 6 and len(set(rules.CODE_ALPHABET)) == 31
    assert len(rules.CODE_ALPHABET) ** rules.CODE_LENGTH == 887_503_681
    codes = {rules.new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 6 and set(c) <= set(rules.CODE_ALPHABET) for c in codes)


def test_the_default_limits_are_five_per_session_and_twenty_per_address_in_five_minutes():
    assert (rules.JOIN_LIMITS.per_session, rules.JOIN_LIMITS.per_address) == (5, 20)
    assert rules.JOIN_LIMITS.window == timedelta(minutes=5)


def test_a_wrong_code_is_refused_and_counted_in_both_buckets(engine, opened):
    assert attempt(engine, wrong_code(opened.code), session="s1", address="10.0.0.7", at=T0) == "unknown-code"
    keys = rules.client_keys(session="s1", address="10.0.0.7")
    found = ws.recent_join_failures(engine, keys, T0 - LIMITS.window)
    assert {scope: len(times) for scope, times in found.items()} == {"session": 1, "address": 1}
    assert found["session"][0] == T0


def test_the_database_keeps_hashes_not_addresses_or_session_ids(engine, opened):
    from sqlalchemy import select

    from pl_core.store.models import JoinFailure

    attempt(engine, wrong_code(opened.code), session="session-xyz", address="10.0.0.7", at=T0)
    with engine.connect() as conn:
        stored = conn.execute(select(JoinFailure.scope, JoinFailure.client)).all()
    assert sorted(scope for scope, _ in stored) == ["address", "session"]
    assert all(len(client) == 64 and "10.0.0.7" not in client and "xyz" not in client for _, client in stored)


def test_a_closed_workshops_code_is_refused_and_counted(engine, opened):
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=T0).name == "Ana"
    ws.close_workshop(engine, opened.id)
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=T0, name="Ben") == "closed"
    found = ws.recent_join_failures(engine, rules.client_keys(session="s1", address=None), T0 - LIMITS.window)
    assert len(found["session"]) == 1


def test_a_missing_name_is_not_a_guess(engine, opened):
    code = wrong_code(opened.code)
    assert attempt(engine, code, session="s1", address="10.0.0.7", at=T0, name="  ") == "name-required"
    assert ws.recent_join_failures(engine, rules.client_keys(session="s1", address=None), T0 - LIMITS.window) == {
        "session": []
    }


def test_after_five_wrong_codes_the_session_is_refused_until_the_window_passes(engine, opened):
    at = T0
    for _ in range(5):
        assert attempt(engine, wrong_code(opened.code), session="s1", address="10.0.0.7", at=at) == "unknown-code"
        at += timedelta(seconds=10)
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=at) == "rate-limited"
    # another session on the same address, and anyone elsewhere, still get in with the right code
    assert attempt(engine, opened.code, session="s2", address="10.0.0.7", at=at, name="Ben").name == "Ben"
    assert attempt(engine, opened.code, session="s3", address="10.0.0.8", at=at, name="Cy").name == "Cy"
    # the first failure ages out 5 minutes after it: one more try, refused again if wrong
    at = T0 + LIMITS.window + timedelta(seconds=1)
    assert attempt(engine, wrong_code(opened.code), session="s1", address="10.0.0.7", at=at) == "unknown-code"
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=at) == "rate-limited"
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=at + timedelta(seconds=10)).name


def test_fresh_sessions_from_one_address_meet_the_address_limit(engine, opened):
    for i in range(20):  # four guesses from each of five sessions: none reaches its own limit
        code = attempt(engine, wrong_code(opened.code), session=f"s{i % 5}", address="10.0.0.7", at=T0)
        assert code == "unknown-code"
    assert attempt(engine, opened.code, session="fresh", address="10.0.0.7", at=T0) == "rate-limited"


def test_the_right_code_is_never_refused_to_everyone(engine, opened):
    # 10 addresses x 20 wrong guesses: far beyond any old global cap
    for a in range(10):
        for i in range(20):
            attempt(engine, wrong_code(opened.code), session=f"a{a}s{i % 4}", address=f"10.0.1.{a}", at=T0)
    for a in range(10):
        assert attempt(engine, opened.code, session="x", address=f"10.0.1.{a}", at=T0) == "rate-limited"
    assert attempt(engine, opened.code, session="teacher", address="10.0.2.1", at=T0, name="Dee").name == "Dee"


def test_a_success_does_not_buy_more_guesses(engine, opened):
    for _ in range(4):
        attempt(engine, wrong_code(opened.code), session="s1", address="10.0.0.7", at=T0)
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=T0).name == "Ana"
    attempt(engine, wrong_code(opened.code), session="s1", address="10.0.0.7", at=T0)
    assert attempt(engine, opened.code, session="s1", address="10.0.0.7", at=T0) == "rate-limited"


def test_the_count_is_shared_by_every_process_on_the_database(db_url, engine, opened):
    """Two engines stand for two app processes (replicas): guesses through one count in the other."""
    other = make_engine(db_url)
    try:
        for i in range(20):
            assert attempt(engine, wrong_code(opened.code), session=f"a{i}", address="10.0.0.7", at=T0)
        assert attempt(other, opened.code, session="b1", address="10.0.0.7", at=T0) == "rate-limited"
        assert attempt(other, opened.code, session="b1", address="10.0.0.9", at=T0).name == "Ana"
    finally:
        other.dispose()


def test_old_failures_are_forgotten(engine, opened):
    from sqlalchemy import func, select

    from pl_core.store.models import JoinFailure

    for i in range(6):
        attempt(engine, wrong_code(opened.code), session=f"s{i}", address="10.0.0.7", at=T0)
    later = T0 + LIMITS.window + timedelta(seconds=1)
    attempt(engine, wrong_code(opened.code), session="late", address="10.0.0.8", at=later)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(JoinFailure)).scalar_one() == 2  # the late one's two


@pytest.mark.parametrize(
    ("session_times", "address_times", "expected"),
    [
        ([], [], 0.0),
        ([0, 10, 20, 30], [], 0.0),  # four: still allowed
        ([0, 10, 20, 30, 40], [], 300.0),  # the fifth: wait until the first is 5 minutes old
        ([0, 10, 20, 30, 40, 50], [], 310.0),  # the fifth most recent decides
        ([], list(range(0, 200, 10)), 300.0),  # twenty from the address
        ([30, 40, 50, 60, 70], list(range(0, 200, 10)), 330.0),  # the longer wait wins
    ],
)
def test_join_wait_is_until_the_counting_failure_leaves_the_window(session_times, address_times, expected):
    failures = {
        "session": [T0 + timedelta(seconds=s) for s in session_times],
        "address": [T0 + timedelta(seconds=s) for s in address_times],
    }
    assert rules.join_wait(failures, T0, LIMITS) == pytest.approx(expected)


def test_client_keys_hash_each_scope_apart():
    keys = rules.client_keys(session="same", address="same")
    assert keys["session"] != keys["address"] and all(len(k) == 64 for k in keys.values())
    assert list(rules.client_keys(session=None, address="10.0.0.1")) == ["address"]
    assert list(rules.client_keys(session=None, address=None)) == ["session"]
