"""Workshop rules without storage: join codes, participant tokens, names, half-step levels, vote summaries,
who has not voted yet, the join link and the limits on guessing join codes.

A facilitator opens a workshop for a school, round and framework; each member joins with the
six-character code and their name, gets a secret participant token (their ballot link), and rates
each item in half-steps. The facilitator reveals the votes item by item (votes on a revealed item are
locked), the team discusses wide spreads and records a consensus level, which is the leadership rating
compared with the staff self-assessment. A closed workshop is read-only. Storage is
`pl_core.store.workshops`; the checked operations are `pl_core.services.workshops`.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit, urlunsplit

# No 0/O, 1/I/L: a code read aloud or off a projector is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DISCUSS_SPREAD = 1.0  # votes spanning more than one level need discussion
# Revealing a single vote would show the team how that one (named, see `waiting_for`) person voted.
REVEAL_MIN_VOTES = 2
RATING_COLUMNS = ["school", "round", "item", "level", "workshop_id"]
JOIN_PATH = "join"  # the participant page's address: <app>/join?code=XXXXXX
TOKEN_PARAM = "p"  # a participant's ballot link: <app>/join?p=<token>


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

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    name: str


@dataclass(frozen=True)
class Joined:
    """A participant just admitted, with the secret token that is their ballot (only its hash is stored)."""

    participant: Participant
    token: str


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


@dataclass(frozen=True)
class WaitingFor:
    """Who has not voted yet, by name only (never who voted what): per item, and over the whole ballot."""

    people: tuple[str, ...]  # everyone who joined, in joining order
    by_item: Mapping[str, tuple[str, ...]]  # item -> names without a vote on it, in joining order
    overall: tuple[tuple[str, int], ...]  # (name, items left) for everyone with at least one item left

    @property
    def everyone_done(self) -> bool:
        return bool(self.people) and not self.overall


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


def new_token() -> str:
    """A participant's secret: 32 random bytes, URL-safe (it travels in the ballot link)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a participant token: its SHA-256, so a database copy opens no ballot."""
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def display_name(name: str) -> str:
    """A typed name as shown: trimmed, inner spaces collapsed."""
    return " ".join(str(name).split())


def name_key(name: str) -> str:
    """What makes two display names the same: trimmed, inner spaces collapsed, case-folded."""
    return display_name(name).casefold()


def numbered_name(name: str, taken_keys: Iterable[str]) -> str:
    """`name`, or "name (2)", "name (3)", ... when another device already joined under it.

    Joining again under a teammate's name never reaches their ballot: it is another participant,
    shown to the facilitator as "Ana (2)". Only the token (the ballot link) returns to a ballot.
    """
    shown = display_name(name)
    taken = set(taken_keys)
    candidate, n = shown, 1
    while name_key(candidate) in taken:
        n += 1
        candidate = f"{shown} ({n})"
    return candidate


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


def check_open(status: str, action: str) -> None:
    """A closed workshop is read-only: raise WorkshopError("closed") for any change."""
    if status != "open":
        raise WorkshopError("closed", f"the workshop has closed: {action} is no longer possible")


def check_reveal(voters: int) -> None:
    """Votes are shown only when there are enough of them that none can be pinned on a person."""
    if voters < REVEAL_MIN_VOTES:
        raise WorkshopError(
            "too-few-votes",
            f"reveal needs at least {REVEAL_MIN_VOTES} votes (there {'is' if voters == 1 else 'are'} {voters}): "
            "one vote shown is one person's vote",
        )


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


def waiting_for(items: Sequence[str], ballots: Sequence[tuple[str, Iterable[str]]]) -> WaitingFor:
    """Names not yet voted, per item and overall, from (name, items voted) per participant in joining order."""
    voted = [(name, set(done)) for name, done in ballots]
    by_item = {item: tuple(name for name, done in voted if item not in done) for item in items}
    overall = tuple((name, left) for name, done in voted if (left := sum(1 for item in items if item not in done)) > 0)
    return WaitingFor(people=tuple(name for name, _ in voted), by_item=by_item, overall=overall)


def half_steps(low: int, high: int) -> list[float]:
    """Every level from low to high in half-steps: 1.0, 1.5, ..., high."""
    return [low + i / 2 for i in range(2 * (high - low) + 1)]


def nearest_half_step(value: float | None, low: int, high: int) -> float:
    """The half-step nearest `value` (halves round up), on the scale; the scale's low end when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return float(low)
    return min(max(math.floor(float(value) * 2 + 0.5) / 2, float(low)), float(high))


# --- The join link -----------------------------------------------------------------------------------------------

_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}


def is_loopback_host(host: str | None) -> bool:
    return bool(host) and (host.lower() in _LOOPBACK_HOSTS or host.startswith("127."))


def app_base(page_url: str, page_path: str) -> str:
    """The app's address from the address of one of its pages: `http://h:8501/pl/workshop` -> `http://h:8501/pl`."""
    parts = urlsplit(page_url)
    path = parts.path.rstrip("/")
    if page_path and path.rsplit("/", 1)[-1] == page_path:
        path = path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def join_link(base_url: str, code: str, *, network_host: str | None = None) -> str:
    """The address participants open: `<app>/join?code=XXXXXX`.

    A phone cannot reach `localhost`: when the app is browsed on this machine by a loopback name
    and `network_host` (this machine's address on the network) is known, the link uses it instead.
    """
    parts = urlsplit(base_url)
    netloc = parts.netloc
    if is_loopback_host(parts.hostname) and network_host:
        host = f"[{network_host}]" if ":" in network_host else network_host
        netloc = host + (f":{parts.port}" if parts.port else "")
    path = parts.path.rstrip("/") + "/" + JOIN_PATH
    return urlunsplit((parts.scheme or "http", netloc, path, urlencode({"code": normalise_code(code)}), ""))


# --- Limits on guessing join codes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinLimits:
    """Wrong join codes allowed per client in a sliding window, before that client's tries are refused.

    A client is counted twice: by its browser session and by its network address, so opening fresh
    sessions does not buy fresh guesses, while nobody else is affected (there is no global cap: the
    right code keeps working for every other address). A team's phones sharing one address (a school's
    NAT) share its allowance, hence its larger size. With 31**6 codes, 20 guesses per 5 minutes from
    one address find a given code about once in 10**5 years.
    """

    per_session: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=5)

    def limit(self, scope: str) -> int:
        return self.per_session if scope == "session" else self.per_address


JOIN_LIMITS = JoinLimits()


def client_keys(*, session: str | None, address: str | None) -> dict[str, str]:
    """The limiter's buckets for one client, hashed (scope -> key): its session and its address, when known."""
    keys = {}
    for scope, value in (("session", session), ("address", address)):
        if value:
            keys[scope] = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()
    if not keys:  # a caller that knows nothing of its client shares one bucket with the others that do not
        keys["session"] = hashlib.sha256(b"session:unknown").hexdigest()
    return keys


def join_wait(failures: Mapping[str, Sequence[datetime]], now: datetime, limits: JoinLimits = JOIN_LIMITS) -> float:
    """Seconds until a client with these recent wrong codes (scope -> times) may try again; 0 when it may now."""
    waits = [0.0]
    for scope, times in failures.items():
        recent = sorted(t for t in times if t > now - limits.window)
        limit = limits.limit(scope)
        if len(recent) >= limit:
            waits.append((recent[-limit] + limits.window - now).total_seconds())
    return max(waits)


def rate_limited(wait_s: float) -> WorkshopError:
    minutes = max(1, math.ceil(wait_s / 60))
    return WorkshopError("rate-limited", f"too many wrong codes: wait about {minutes} minute(s), then try again")
