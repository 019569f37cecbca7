"""Workshop join codes: long enough, dead once closed, and rate-limited against guessing."""

from __future__ import annotations

import threading

import pytest

from pl_core.domain import workshop as rules
from pl_core.domain.workshop import JoinLimiter, WorkshopError
from pl_core.frameworks import load_framework
from pl_core.services import workshops as service
from pl_core.store import workshops as ws

FW = load_framework("dps-driver-model")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(clock) -> JoinLimiter:
    return JoinLimiter(max_failures=5, window_s=300, global_max_failures=20, clock=clock)


@pytest.fixture
def opened(engine):
    return ws.open_workshop(engine, school="Aspen Elementary", round="Fall 2026", framework=FW, items=["culture"])


def wrong_code(right: str) -> str:
    """A well-formed code that is not `right`."""
    return "".join("B" if ch != "B" else "C" for ch in right)


def refusal(engine, code: str, *, client: str, limiter: JoinLimiter, name: str = "Ana") -> str:
    with pytest.raises(WorkshopError) as err:
        service.join(engine, code, name, client=client, limiter=limiter)
    return err.value.code


def test_codes_are_six_symbols_from_31_so_about_9e8_possibilities():
    assert rules.CODE_LENGTH == 6 and len(set(rules.CODE_ALPHABET)) == 31
    assert len(rules.CODE_ALPHABET) ** rules.CODE_LENGTH == 887_503_681
    codes = {rules.new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(len(c) == 6 and set(c) <= set(rules.CODE_ALPHABET) for c in codes)


def test_a_wrong_code_is_refused_and_counted(engine, opened, limiter):
    assert refusal(engine, wrong_code(opened.code), client="s1", limiter=limiter) == "unknown-code"
    assert limiter.failures("s1") == 1 and limiter.failures() == 1


def test_a_closed_workshops_code_is_refused_and_counted(engine, opened, limiter):
    service.join(engine, opened.code, "Ana", client="s1", limiter=limiter)
    ws.close_workshop(engine, opened.id)
    assert refusal(engine, opened.code, client="s1", limiter=limiter, name="Ben") == "closed"
    assert limiter.failures("s1") == 1


def test_a_missing_name_is_not_a_guess(engine, opened, limiter):
    assert refusal(engine, wrong_code(opened.code), client="s1", limiter=limiter, name="  ") == "name-required"
    assert limiter.failures("s1") == 0


def test_after_five_wrong_codes_even_the_right_one_is_refused_until_the_window_passes(engine, opened, limiter, clock):
    for _ in range(5):
        assert refusal(engine, wrong_code(opened.code), client="s1", limiter=limiter) == "unknown-code"
        clock.now += 10
    assert refusal(engine, opened.code, client="s1", limiter=limiter) == "rate-limited"
    assert limiter.failures("s1") == 5  # refused attempts are not looked up, so not counted again
    assert 0 < limiter.retry_after("s1") <= 300
    # Another session is unaffected.
    assert service.join(engine, opened.code, "Ben", client="s2", limiter=limiter).name == "Ben"
    # The first failure ages out after 300 s: one more try is allowed, then refused again if wrong.
    clock.now = 1000.0 + 300
    assert service.join(engine, opened.code, "Ana", client="s1", limiter=limiter).name == "Ana"


def test_a_success_does_not_buy_more_guesses(engine, opened, limiter):
    for _ in range(4):
        refusal(engine, wrong_code(opened.code), client="s1", limiter=limiter)
    service.join(engine, opened.code, "Ana", client="s1", limiter=limiter)
    refusal(engine, wrong_code(opened.code), client="s1", limiter=limiter)
    assert refusal(engine, opened.code, client="s1", limiter=limiter) == "rate-limited"


def test_guessing_from_many_sessions_meets_the_global_cap(engine, opened, limiter):
    for i in range(20):  # 4 guesses from each of 5 sessions: none reaches its own limit
        assert refusal(engine, wrong_code(opened.code), client=f"s{i % 5}", limiter=limiter) == "unknown-code"
    assert refusal(engine, opened.code, client="fresh", limiter=limiter) == "rate-limited"
    assert refusal(engine, opened.code, client="", limiter=limiter) == "rate-limited"


def test_without_a_client_key_only_the_global_cap_applies(engine, opened, limiter):
    for _ in range(6):
        refusal(engine, wrong_code(opened.code), client="", limiter=limiter)
    assert service.join(engine, opened.code, "Ana", limiter=limiter).name == "Ana"
    assert limiter.failures() == 6


def test_the_limiter_counts_exactly_under_many_threads(clock):
    limiter = JoinLimiter(max_failures=1000, window_s=300, global_max_failures=10_000, clock=clock)
    barrier = threading.Barrier(16)

    def guess(i: int) -> None:
        barrier.wait()
        for _ in range(50):
            limiter.record_failure(f"s{i % 4}")

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert limiter.failures() == 800
    assert [limiter.failures(f"s{k}") for k in range(4)] == [200, 200, 200, 200]


def test_old_failures_expire_and_forgotten_clients_are_dropped(clock):
    limiter = JoinLimiter(max_failures=2, window_s=60, global_max_failures=100, clock=clock)
    for i in range(10):
        limiter.record_failure(f"s{i}")
    limiter.record_failure("s0")
    with pytest.raises(WorkshopError) as err:
        limiter.check("s0")
    assert err.value.code == "rate-limited"
    clock.now += 61
    limiter.check("s0")
    assert limiter.failures() == 0 and limiter._by_client == {}


def test_the_default_limiter_is_shared_by_the_process():
    assert isinstance(service.JOIN_LIMITER, JoinLimiter)
    assert (service.JOIN_LIMITER.max_failures, service.JOIN_LIMITER.window_s) == (5, 300)
