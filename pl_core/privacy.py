"""Disclosure control: which staff figures may be published together, so that nobody's answers can be worked out.

Staff self-assessments are personnel data. The dashboard, the report, every export and the command line
show only *releases*: sets of group figures this module cleared. A group is the whole school, a role, or a
grade band (the "not given" role or band is a group too); a figure is a group's level counts for one item
(answers per level, missing answers, respondents), from which every statistic is computed. A release is
decided for a school, round and framework as a whole, against every release made before it, because a
reader can combine everything ever shown: pages, exports, the report, and what they saw last week.

The rules, with k = PL_MIN_GROUP_SIZE (default 5):

1. **Small groups.** A figure is shown only when at least k people answered it (``n``) and at least k
   people have a row for it (``respondents``, missing answers included). A school with fewer than k
   respondents shows nothing at all.
2. **Linked tables.** No linear combination of shown figures may isolate 1 to k-1 people: per item, the
   people are grouped into *atoms* (the same membership in every shown figure, across releases), and a
   combination isolates a set of atoms when some vector in the span of the shown groups' indicator vectors
   is non-zero only on those atoms. "K-2 minus Teachers" (when every teacher teaches K-2) isolates the
   K-2 non-teachers; "whole school minus Teachers" isolates everyone else; the two margins of a
   role x grade-band table isolate whatever single cells they pin down. This is checked exactly: the
   span of the shown groups is intersected with the coordinates of the small atoms (those of fewer than
   k people), and every set of small atoms of fewer than k people in all is tested.
3. **Over time.** A person whose answers changed between releases counts as two *versions* (their old
   and their new answer, as separate people in the algebra), so "this release minus the last" isolates
   whoever joined, left or changed. Breakdown figures that would move by fewer than k people are
   hidden in the new release (smallest group first, until no combination isolates anyone); when even
   the whole school would move by fewer than k people, the new release is *held back*: the pages keep
   showing the last release, with a note saying how many people's answers wait ("1 new answer is held
   back until 5 have arrived"). Holding back is always safe: it publishes nothing new.
4. **Comments** are released only with a shown release of at least k respondents, as bare text, sorted
   (so file order cannot point at a person), and never per group.

District figures are sums of released whole-school figures, so they reveal nothing a release did not.

Sizes: atoms are few at school size (roles x grade bands x versions), and only sets of small atoms with
fewer than k people are tested, so a decision takes milliseconds. Without any small atom (or when the
span never touches the small atoms alone) there is nothing to test.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import settings

BREAKDOWNS: tuple[str, ...] = ("role", "grade_band")
ALL = "all"  # the breakdown of the whole-school figure
_TOLERANCE = 1e-9


def min_group_size() -> int:
    """The configured threshold k (PL_MIN_GROUP_SIZE, default 5)."""
    return settings.get("min_group_size")


@dataclass(frozen=True)
class Person:
    """One respondent as one release holds them: role, grade band and answers (item -> level; None = missing)."""

    key: Hashable  # the same person in every release (the stored respondent id)
    role: str | None
    grade_band: str | None
    answers: Mapping[str, int | None]  # items without a row for this person are absent

    def group(self, breakdown: str) -> str | None:
        """The person's group in a breakdown ("all" for the whole school)."""
        return ALL if breakdown == ALL else getattr(self, breakdown)

    def version(self) -> str:
        """Everything a release shows about this person, as one comparable string."""
        return json.dumps([self.role, self.grade_band, sorted(self.answers.items())], default=str)


Cell = tuple[str, str | None, str]  # (breakdown, group, item)


@dataclass(frozen=True)
class Release:
    """People as released and the cells shown about them (an empty `shown` when the school is too small)."""

    people: tuple[Person, ...]
    shown: frozenset[Cell] = field(default_factory=frozenset)

    @property
    def visible(self) -> bool:
        return bool(self.shown)


@dataclass(frozen=True)
class Decision:
    """What to do with a round's current answers: release them (with these cells shown) or hold them back."""

    release: Release | None  # None: hold back; keep showing the latest release
    held: int  # people whose new or changed answers are not released yet
    hidden: dict[Cell, str] = field(default_factory=dict)  # candidate cells kept back, with the rule why


def cells_of(people: Sequence[Person], items: Sequence[str], breakdowns: Sequence[str] = BREAKDOWNS) -> list[Cell]:
    """Every cell the people could fill: the whole school and each group of each breakdown, per item."""
    cells: list[Cell] = []
    for item in items:
        holders = [p for p in people if item in p.answers]
        if not holders:
            continue
        cells.append((ALL, None, item))
        for breakdown in breakdowns:
            groups = sorted({p.group(breakdown) for p in holders}, key=lambda g: (g is None, str(g)))
            cells += [(breakdown, g, item) for g in groups]
    return cells


def members(people: Iterable[Person], cell: Cell) -> list[Person]:
    """The people a cell's figures are about: in its group, with a row for its item."""
    breakdown, group, item = cell
    return [p for p in people if item in p.answers and (breakdown == ALL or p.group(breakdown) == group)]


@dataclass
class Tally:
    """What one cell's figures rest on: its people, their missing answers and their answers per level."""

    respondents: int = 0
    missing: int = 0
    levels: dict[int, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return self.respondents - self.missing


def tally(people: Iterable[Person], breakdowns: Sequence[str] = BREAKDOWNS) -> dict[Cell, Tally]:
    """Every cell the people fill (see `cells_of`) with its tally, in one pass over the people."""
    found: dict[Cell, Tally] = {}
    for p in people:
        groups = [(ALL, None), *((b, p.group(b)) for b in breakdowns)]
        for item, level in p.answers.items():
            for breakdown, group in groups:
                cell = found.get((breakdown, group, item))
                if cell is None:
                    cell = found[(breakdown, group, item)] = Tally()
                cell.respondents += 1
                if level is None:
                    cell.missing += 1
                else:
                    cell.levels[level] = cell.levels.get(level, 0) + 1
    return found


def changed_people(before: Release | None, after: Sequence[Person]) -> int:
    """People who joined, left, or whose role, grade band or answers changed between a release and now."""
    old = {p.key: p.version() for p in before.people} if before else {}
    new = {p.key: p.version() for p in after}
    return sum(1 for key in old.keys() | new.keys() if old.get(key) != new.get(key))


def decide(
    history: Sequence[Release],
    people: Sequence[Person],
    items: Sequence[str],
    k: int | None = None,
    breakdowns: Sequence[str] = BREAKDOWNS,
) -> Decision:
    """Decide the next release of a round from its current answers, given every earlier release (oldest first)."""
    k = min_group_size() if k is None else int(k)
    latest = history[-1] if history else None
    changed = changed_people(latest, people)
    if len(people) < k:
        if latest is not None and changed == 0 and not latest.visible:
            return Decision(None, 0)
        # Too few people to show anything; releasing "nothing" is always safe and ends what showed before.
        return Decision(Release(tuple(people)), 0, {c: "small-school" for c in cells_of(people, items, breakdowns)})
    shown: set[Cell] = set()
    hidden: dict[Cell, str] = {}
    tallies = tally(people, breakdowns)
    size = {cell: t.respondents for cell, t in tallies.items()}
    for cell in cells_of(people, items, breakdowns):
        if tallies[cell].respondents < k or tallies[cell].answered < k:
            hidden[cell] = "small-group"
        else:
            shown.add(cell)
    candidate = Release(tuple(people))
    for item in items:
        view = _ItemView([*history, candidate], item)
        earlier = [rel.shown for rel in history]
        # Releases decided under a lower threshold may already isolate a few people: that cannot be taken back,
        # so then only what this release would add counts.
        since = len(earlier) if earlier and view.isolated(earlier, k) else None
        while view.isolated([*earlier, frozenset(shown)], k, new_since=since):
            options = sorted(
                (c for c in shown if c[2] == item and c[0] != ALL), key=lambda c: (size[c], c[0], str(c[1]))
            )
            if not options:
                # Even the whole school's figure would move by fewer than k people: hold the release back.
                return Decision(None, changed)
            # Hide the smallest group whose hiding alone ends every isolation; else the smallest, and look again.
            drop = next(
                (c for c in options if not view.isolated([*earlier, frozenset(shown - {c})], k, new_since=since)),
                options[0],
            )
            shown.discard(drop)
            hidden[drop] = "complement" if latest is None else "difference"
    if latest is not None and changed == 0 and frozenset(shown) == latest.shown:
        return Decision(None, 0)  # nothing new: the latest release stands
    return Decision(Release(tuple(people), frozenset(shown)), 0, hidden)


def isolates(history: Sequence[Release], candidate: Release | None, item: str, k: int) -> frozenset | None:
    """A set of person keys (1 to k-1 of them) that the shown figures of `item` isolate, or None if none is.

    `history` and `candidate` together are everything a reader may have seen; the figures are each
    shown cell's level counts for `item` in each release.
    """
    releases = [*history, *([candidate] if candidate is not None else [])]
    return _ItemView(releases, item).isolated([rel.shown for rel in releases], k)


class _ItemView:
    """The people of some releases as the figures of one item see them: one *version* per (person, answer, groups).

    A person whose answer to the item (or role, or grade band) changed between releases is two versions,
    so a difference between releases that isolates them is found like any other combination.
    """

    def __init__(self, releases: Sequence[Release], item: str):
        self.item = item
        versions: dict[tuple, int] = {}
        self.keys: list = []
        groups: dict[str, list] = {b: [] for b in BREAKDOWNS}
        present: list[list[int]] = []
        for r, rel in enumerate(releases):
            for p in rel.people:
                if item not in p.answers:
                    continue
                v = (p.key, p.role, p.grade_band, p.answers[item])
                index = versions.get(v)
                if index is None:
                    index = versions[v] = len(self.keys)
                    self.keys.append(p.key)
                    groups["role"].append(p.role)
                    groups["grade_band"].append(p.grade_band)
                    present.append([])
                present[index].append(r)
        self.inside = np.zeros((len(self.keys), len(releases)), dtype=bool)
        for index, where in enumerate(present):
            self.inside[index, where] = True
        self.codes = {b: {g: i for i, g in enumerate(dict.fromkeys(values))} for b, values in groups.items()}
        self.coded = {b: np.array([self.codes[b][g] for g in v], dtype=np.int64) for b, v in groups.items()}

    def isolated(self, shown: Sequence[frozenset[Cell]], k: int, *, new_since: int | None = None) -> frozenset | None:
        """The keys of 1 to k-1 people that the cells shown in each release (`shown[r]`) isolate, or None.

        With `new_since`, only sets the releases before `new_since` did not already isolate count: what was
        shown under a lower threshold cannot be taken back, but nothing new may be added to it.
        """
        atoms = self._atoms(shown)
        if atoms is None:
            return None
        matrix, people = atoms
        earlier = self._atoms(shown[:new_since]) if new_since else None
        for keys in _isolated_sets(matrix, people, k):
            if earlier is None or not _isolates_within(*earlier, keys):
                return keys
        return None

    def _atoms(self, shown: Sequence[frozenset[Cell]]) -> tuple[np.ndarray, list[frozenset]] | None:
        """(cells x atoms membership, the keys in each atom) of the versions the shown cells are about."""
        columns = []
        for r, cells in enumerate(shown):
            for breakdown, group, item in cells:
                if item != self.item:
                    continue
                member = self.inside[:, r]
                if breakdown != ALL:
                    member = member & (self.coded[breakdown] == self.codes[breakdown].get(group, -1))
                columns.append(member)
        if not columns or not self.keys:
            return None
        membership = np.column_stack(columns)
        signatures: dict[bytes, list] = {}
        for index in np.flatnonzero(membership.any(axis=1)):
            signatures.setdefault(membership[index].tobytes(), []).append(self.keys[index])
        if not signatures:
            return None
        matrix = np.array([np.frombuffer(sig, dtype=bool) for sig in signatures], dtype=float).T  # cells x atoms
        return matrix, [frozenset(who) for who in signatures.values()]


def _isolated_sets(matrix: np.ndarray, people: list[frozenset], k: int):
    """Every set of 1 to k-1 people some combination of the shown figures (`matrix`: cells x atoms) lives on."""
    small = [i for i, who in enumerate(people) if len(who) < k]
    if not small:
        return
    big = [i for i in range(len(people)) if i not in small]
    # W: combinations of shown figures that are zero on every big atom, as vectors over the small atoms.
    basis = _span_on(matrix, small, big)
    if basis.shape[0] == 0:
        return
    support = [small[j] for j in np.flatnonzero(np.abs(basis).max(axis=0) > _TOLERANCE)]
    everyone = frozenset().union(*(people[i] for i in support))
    if len(everyone) < k:  # every such combination is about fewer than k people: no need to look closer
        yield everyone
    column = {atom: j for j, atom in enumerate(small)}
    d = basis.shape[0]
    for size in range(1, min(len(support), k - 1) + 1):
        for chosen in itertools.combinations(support, size):
            keys = frozenset().union(*(people[i] for i in chosen))
            if len(keys) >= k:
                continue
            outside = [column[a] for a in small if a not in chosen]
            if not outside or np.linalg.matrix_rank(basis[:, outside], tol=1e-8) < d:
                yield keys


def _isolates_within(matrix: np.ndarray, people: list[frozenset], keys: frozenset) -> bool:
    """Whether some combination of the shown figures (`matrix`) is about people among `keys` only."""
    inside = [i for i, who in enumerate(people) if who <= keys]
    if not inside:
        return False
    outside = [i for i in range(len(people)) if i not in inside]
    return _span_on(matrix, inside, outside).shape[0] > 0


def _null_space(a: np.ndarray) -> np.ndarray:
    """An orthonormal basis of the null space of `a` (columns)."""
    if a.size == 0:
        return np.eye(a.shape[1])
    _, s, vt = np.linalg.svd(a)
    rank = int((s > _TOLERANCE * max(a.shape) * (s[0] if len(s) else 1)).sum())
    return vt[rank:].T


def _span_on(matrix: np.ndarray, small: list[int], big: list[int]) -> np.ndarray:
    """Rows: a basis of {y @ matrix : (y @ matrix) is zero on `big`}, restricted to the `small` columns."""
    free = _null_space(matrix[:, big].T) if big else np.eye(matrix.shape[0])
    if free.shape[1] == 0:
        return np.zeros((0, len(small)))
    vectors = free.T @ matrix[:, small]
    _, s, vt = np.linalg.svd(vectors, full_matrices=False)
    rank = int((s > 1e-8).sum())
    return vt[:rank]


# --- comments -----------------------------------------------------------------------------------------------------


def comments_for_release(
    comments: Iterable[tuple[str, str]], release: Release | None, k: int | None = None
) -> list[tuple[str, str]]:
    """The comments ((question, text) pairs) a release may carry: bare text, sorted, only with k or more people."""
    k = min_group_size() if k is None else int(k)
    if release is None or not release.visible or len(release.people) < k:
        return []
    return sorted((str(column), str(text).strip()) for column, text in comments if str(text).strip())
