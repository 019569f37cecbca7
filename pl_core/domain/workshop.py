"""Workshop rules without storage: join codes, names, levels in half-steps, vote summaries, the join limiter.

A facilitator opens a workshop for a school, round and framework; each member joins with the
six-character code and their name and rates each item in half-steps. The facilitator reveals
the votes item by item, the team discusses wide spreads and records a consensus level, which
is the leadership rating compared with the staff self-assessment. Storage is `pl_core.store.workshops`;
the checked operations are `pl_core.services.workshops`.
"""

from __future__ import annotations

import secrets
import statistics
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

# No 0/O, 1/I/L: a code read aloud or off a projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Wrong codes allowed per client and across all clients within the window before joining is refused.
JOIN_MAX_FAILURES = 5
JOIN_GLOBAL_MAX_FAILURES = 100
JOIN_WINDOW_S = 300.0
DISCUSS_SPREAD = 1.0  # votes spanning more than one level need discussion
RATING_COLUMNS = ["school", "round", "item", "level", "workshop_id"]


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    school: str
    round: str
    framework_id: str
    items: tuple[str, ...]
    facilitator: str
    status: str  # "open" | "closed"
    opened_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str


@dataclass(frozen=True)
class ItemVotes:
    item: str
    votes: tuple[float, ...]  # ascending, without names
    voters: int
    mean: float | None
    median: float | None
    low: float | None
    high: float | None
    spread: float | None
    needs_discussion: bool
    revealed: bool
    consensus: float | None
    rationale: str
    evidence: str


class WorkshopError(ValueError):
    """Something a participant or facilitator can fix; `code` is a short id such as "unknown-code"."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def normalise_code(code: str) -> str:
    """A join code as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in str(code).upper() if ch not in " -\t")


def new_code() -> str:
    """A random join code from the unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def name_key(name: str) -> str:
    """What makes two display names the same person: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(str(name).split()).casefold()


def check_level(level: float, low: int, high: int, item: str) -> float:
    try:
        value = float(level)
    except (TypeError, ValueError):
        value = float("nan")
    if isinstance(level, bool) or not low <= value <= high or not (value * 2).is_integer():
        raise WorkshopError(
            "level-out-of-range", f"{item}: {level!r} is not a level from {low} to {high} in half-steps"
        )
    return value


class JoinLimiter:
    """Counts wrong join codes per client and overall in a sliding window; process-local and thread-safe.

    A client (e.g. a Streamlit session id) with `max_failures` wrong codes in the last `window_s`
    seconds is refused, right code or not, until its oldest failure ages out; so is everyone once
    `global_max_failures` wrong codes came from all clients together (guessing from many sessions).
    Calls without a client key share no per-client bucket and meet only the global cap. Successes
    do not reset the count, so joining with a known code cannot buy more guesses. Checks and
    failures are separate steps, so concurrent attempts of one client can overshoot by a few.
    """

    def __init__(
        self,
        max_failures: int = JOIN_MAX_FAILURES,
        window_s: float = JOIN_WINDOW_S,
        global_max_failures: int = JOIN_GLOBAL_MAX_FAILURES,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures = max_failures
        self.window_s = window_s
        self.global_max_failures = global_max_failures
        self._clock = clock
        self._lock = threading.Lock()
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _expire(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for client in list(self._by_client):
            times = self._by_client[client]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._by_client[client]  # keeps memory bounded by the failures in one window

    def retry_after(self, client: str = "") -> float:
        """Seconds until `client` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            waits = []
            times = self._by_client.get(client) if client else None
            if times and len(times) >= self.max_failures:
                waits.append(times[-self.max_failures] + self.window_s - now)
            if len(self._all) >= self.global_max_failures:
                waits.append(self._all[-self.global_max_failures] + self.window_s - now)
            return max(waits, default=0.0)

    def check(self, client: str = "") -> None:
        """Raise WorkshopError("rate-limited") while `client` (or everyone) has had too many wrong codes."""
        wait = self.retry_after(client)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            raise WorkshopError("rate-limited", f"too many wrong codes: wait about {minutes} minute(s), then try again")

    def record_failure(self, client: str = "") -> None:
        """Count one wrong (or closed) code from `client`."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            self._all.append(now)
            if client:
                self._by_client.setdefault(client, deque()).append(now)

    def failures(self, client: str = "") -> int:
        """Wrong codes counted in the current window for `client` (all clients when empty)."""
        with self._lock:
            self._expire(self._clock())
            return len(self._by_client.get(client, ())) if client else len(self._all)


# One per process: every session of a Streamlit server shares it.
JOIN_LIMITER = JoinLimiter()


def summarise_votes(
    item: str,
    levels: Sequence[float],
    *,
    revealed: bool,
    consensus: float | None,
    rationale: str,
    evidence: str,
) -> ItemVotes:
    """One item's votes as the team sees them: sorted levels without names, spread, median and consensus."""
    votes = tuple(sorted(float(v) for v in levels))
    low, high = (votes[0], votes[-1]) if votes else (None, None)
    spread = high - low if votes else None
    return ItemVotes(
        item=item,
        votes=votes,
        voters=len(votes),
        mean=statistics.fmean(votes) if votes else None,
        median=float(statistics.median(votes)) if votes else None,
        low=low,
        high=high,
        spread=spread,
        needs_discussion=spread is not None and spread > DISCUSS_SPREAD,
        revealed=revealed,
        consensus=consensus,
        rationale=rationale,
        evidence=evidence,
    )


def half_steps(low: int, high: int) -> list[float]:
    """Every level from low to high in half-steps: 1.0, 1.5, ..., high."""
    return [low + i / 2 for i in range(2 * (high - low) + 1)]
