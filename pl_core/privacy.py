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


NO_ROW, MISSING = -2, -1  # codes in a Crowd's levels: no row for the item; a missing answer ("Don't know")


@dataclass(frozen=True, eq=False)
class Crowd:
    """The people of one release as columns, so a school (or a district-wide file) of any size is decided fast.

    `levels[i, j]` is person i's level on `items[j]`, MISSING for a missing answer, NO_ROW when they have
    no row for the item.
    """

    keys: np.ndarray  # (n,) the same person in every release
    roles: np.ndarray  # (n,) object: str | None
    bands: np.ndarray  # (n,) object: str | None
    items: tuple[str, ...]
    levels: np.ndarray  # (n, len(items)) int16

    @classmethod
    def of(cls, people: Crowd | Sequence[Person], items: Sequence[str] | None = None) -> Crowd:
        """`people` as a Crowd with `items` as its columns (default: as they come, first seen first)."""
        if isinstance(people, Crowd):
            return people if items is None else people.aligned(items)
        people = list(people)
        if items is None:
            items = list(dict.fromkeys(item for p in people for item in p.answers))
        column = {item: j for j, item in enumerate(items)}
        levels = np.full((len(people), len(items)), NO_ROW, dtype=np.int16)
        for i, p in enumerate(people):
            for item, level in p.answers.items():
                if item in column:
                    levels[i, column[item]] = MISSING if level is None else int(level)
        return cls(
            keys=np.array([p.key for p in people], dtype=object),
            roles=np.array([p.role for p in people], dtype=object),
            bands=np.array([p.grade_band for p in people], dtype=object),
            items=tuple(items),
            levels=levels,
        )

    def __len__(self) -> int:
        return len(self.keys)

    def aligned(self, items: Sequence[str]) -> Crowd:
        """The same people with `items` as columns (NO_ROW for an item this crowd has not got)."""
        items = tuple(items)
        if items == self.items:
            return self
        levels = np.full((len(self), len(items)), NO_ROW, dtype=np.int16)
        for j, item in enumerate(items):
            if item in self.items:
                levels[:, j] = self.levels[:, self.items.index(item)]
        return Crowd(self.keys, self.roles, self.bands, items, levels)

    def group_values(self, breakdown: str) -> np.ndarray:
        return self.roles if breakdown == "role" else self.bands

    def column(self, item: str) -> np.ndarray | None:
        """Everyone's level on `item` (NO_ROW for all when the item is not among this crowd's)."""
        return self.levels[:, self.items.index(item)] if item in self.items else None

    def versions(self) -> np.ndarray:
        """One number per person that changes when their role, grade band or any answer does."""
        import pandas as pd

        frame = pd.DataFrame(self.levels, columns=list(self.items))
        frame["_role"] = pd.Series(self.roles, dtype=object).fillna("\x00none")
        frame["_band"] = pd.Series(self.bands, dtype=object).fillna("\x00none")
        return pd.util.hash_pandas_object(frame, index=False).to_numpy()


@dataclass(frozen=True)
class Release:
    """People as released (Persons or a Crowd) and the cells shown about them (none when the school is too small)."""

    people: tuple[Person, ...] | Crowd
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


def _groups(values: np.ndarray) -> list:
    """The distinct groups of a breakdown in a fixed order: by name, "not given" (None) last."""
    distinct = {None if v is None or v != v else v for v in set(values.tolist())}
    return sorted(distinct, key=lambda g: (g is None, str(g)))


def _is(values: np.ndarray, group) -> np.ndarray:
    if group is None:
        return np.array([v is None or v != v for v in values.tolist()], dtype=bool)
    return values == group


def cells_of(
    people: Crowd | Sequence[Person], items: Sequence[str], breakdowns: Sequence[str] = BREAKDOWNS
) -> list[Cell]:
    """Every cell the people could fill: the whole school and each group of each breakdown, per item."""
    return [cell for cell in tally(people, breakdowns, items)]


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


def tally(
    people: Crowd | Sequence[Person], breakdowns: Sequence[str] = BREAKDOWNS, items: Sequence[str] | None = None
) -> dict[Cell, Tally]:
    """Every cell the people fill, in order (per item: the whole school, then each group), with its tally."""
    crowd = Crowd.of(people, items)
    masks = {b: [(g, _is(crowd.group_values(b), g)) for g in _groups(crowd.group_values(b))] for b in breakdowns}
    found: dict[Cell, Tally] = {}
    for item in items if items is not None else crowd.items:
        column = crowd.column(item)
        if column is None or not (column != NO_ROW).any():
            continue
        for breakdown, group, mask in [(ALL, None, None), *((b, g, m) for b in breakdowns for g, m in masks[b])]:
            values = column if mask is None else column[mask]
            values = values[values != NO_ROW]
            if breakdown != ALL and not len(values):
                continue
            answered = values[values >= 0]
            numbers, counts = np.unique(answered, return_counts=True)
            found[(breakdown, group, item)] = Tally(
                int(len(values)),
                int((values == MISSING).sum()),
                {int(n): int(c) for n, c in zip(numbers, counts, strict=True)},
            )
    return found


def changed_people(before: Release | None, after: Crowd | Sequence[Person], items: Sequence[str] | None = None) -> int:
    """People who joined, left, or whose role, grade band or answers changed between a release and now."""
    new = Crowd.of(after, items)
    if before is None:
        return len(new)
    old = Crowd.of(before.people, new.items)
    old_versions = dict(zip(old.keys.tolist(), old.versions().tolist(), strict=True))
    new_versions = dict(zip(new.keys.tolist(), new.versions().tolist(), strict=True))
    return sum(1 for key in old_versions.keys() | new_versions.keys() if old_versions.get(key) != new_versions.get(key))


def decide(
    history: Sequence[Release],
    people: Crowd | Sequence[Person],
    items: Sequence[str],
    k: int | None = None,
    breakdowns: Sequence[str] = BREAKDOWNS,
) -> Decision:
    """Decide the next release of a round from its current answers, given every earlier release (oldest first)."""
    k = min_group_size() if k is None else int(k)
    crowd = Crowd.of(people, items)
    history = [Release(Crowd.of(r.people, crowd.items), r.shown) for r in history]
    latest = history[-1] if history else None
    changed = changed_people(latest, crowd)
    tallies = tally(crowd, breakdowns, items)
    if len(crowd) < k:
        if latest is not None and changed == 0 and not latest.visible:
            return Decision(None, 0)
        # Too few people to show anything; releasing "nothing" is always safe and ends what showed before.
        return Decision(Release(crowd), 0, {c: "small-school" for c in tallies})
    shown: set[Cell] = set()
    hidden: dict[Cell, str] = {}
    for cell, t in tallies.items():
        if t.respondents < k or t.answered < k:
            hidden[cell] = "small-group"
        else:
            shown.add(cell)
    candidate = Release(crowd)
    for item in items:
        view = _ItemView([*history, candidate], item)
        earlier = [rel.shown for rel in history]
        # Releases decided under a lower threshold may already isolate a few people: that cannot be taken back,
        # so then only what this release would add counts.
        since = len(earlier) if earlier and view.isolated(earlier, k) else None
        while view.isolated([*earlier, frozenset(shown)], k, new_since=since):
            options = sorted(
                (c for c in shown if c[2] == item and c[0] != ALL),
                key=lambda c: (tallies[c].respondents, c[0], str(c[1])),
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
    return Decision(Release(crowd, frozenset(shown)), 0, hidden)


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
        import pandas as pd

        self.item = item
        parts = []
        for r, rel in enumerate(releases):
            crowd = Crowd.of(rel.people)
            column = crowd.column(item)
            if column is None:
                continue
            has = column != NO_ROW
            parts.append(
                pd.DataFrame(
                    {
                        "key": crowd.keys[has],
                        "role": crowd.roles[has],
                        "band": crowd.bands[has],
                        "level": column[has],
                        "r": r,
                    }
                )
            )
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["key", "role", "band"])
        self.releases = len(releases)
        if frame.empty:
            self.keys = np.array([], dtype=object)
            return
        frame[["role", "band"]] = frame[["role", "band"]].astype(object).where(frame[["role", "band"]].notna(), None)
        version = frame.groupby(["key", "role", "band", "level"], sort=False, dropna=False).ngroup().to_numpy()
        count = int(version.max()) + 1
        self.inside = np.zeros((count, len(releases)), dtype=bool)
        self.inside[version, frame["r"].to_numpy()] = True
        first = pd.Series(np.arange(len(frame))).groupby(version).first().to_numpy()
        self.keys = frame["key"].to_numpy()[first]
        self.groups = {"role": frame["role"].to_numpy()[first], "grade_band": frame["band"].to_numpy()[first]}
        self._masks: dict[tuple, np.ndarray] = {}

    def _group_mask(self, breakdown: str, group) -> np.ndarray:
        mask = self._masks.get((breakdown, group))
        if mask is None:
            mask = self._masks[(breakdown, group)] = _is(self.groups[breakdown], group)
        return mask

    def isolated(self, shown: Sequence[frozenset[Cell]], k: int, *, new_since: int | None = None) -> frozenset | None:
        """The keys of 1 to k-1 people that the cells shown in each release (`shown[r]`) isolate, or None.

        With `new_since`, only sets the releases before `new_since` did not already isolate count: what was
        shown under a lower threshold cannot be taken back, but nothing new may be added to it.
        """
        atoms = self._atoms(shown, k)
        if atoms is None:
            return None
        matrix, people = atoms
        earlier = self._atoms(shown[:new_since], k) if new_since else None
        for keys in _isolated_sets(matrix, people, k):
            if earlier is None or not _isolates_within(*earlier, keys):
                return keys
        return None

    def _atoms(self, shown: Sequence[frozenset[Cell]], k: int) -> tuple[np.ndarray, list[frozenset | int]] | None:
        """(cells x atoms membership, who is in each atom) for the versions the shown cells are about.

        An atom of fewer than k people is the set of their keys; a bigger one is just its number of people
        (nothing of fewer than k people can include it).
        """
        import pandas as pd

        if not len(self.keys):
            return None
        columns = []
        for r, cells in enumerate(shown):
            for breakdown, group, item in sorted(cells, key=str):
                if item != self.item:
                    continue
                member = self.inside[:, r]
                if breakdown != ALL:
                    member = member & self._group_mask(breakdown, group)
                columns.append(member)
        if not columns:
            return None
        membership = np.column_stack(columns)
        used = np.flatnonzero(membership.any(axis=1))
        if not len(used):
            return None
        signatures, atom = np.unique(np.packbits(membership[used], axis=1), axis=0, return_inverse=True)
        keys = pd.Series(self.keys[used])
        sizes = keys.groupby(atom.ravel()).nunique()
        people: list[frozenset | int] = [int(n) for n in sizes.reindex(range(len(signatures))).to_numpy()]
        for a in np.flatnonzero(sizes.reindex(range(len(signatures))).to_numpy() < k):
            people[a] = frozenset(keys[atom.ravel() == a].tolist())
        matrix = np.unpackbits(signatures, axis=1, count=membership.shape[1]).astype(float).T  # cells x atoms
        return matrix, people


def _isolated_sets(matrix: np.ndarray, people: list[frozenset | int], k: int):
    """Every set of 1 to k-1 people some combination of the shown figures (`matrix`: cells x atoms) lives on."""
    small = [i for i, who in enumerate(people) if isinstance(who, frozenset) and len(who) < k]
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


def _isolates_within(matrix: np.ndarray, people: list[frozenset | int], keys: frozenset) -> bool:
    """Whether some combination of the shown figures (`matrix`) is about people among `keys` only."""
    inside = [i for i, who in enumerate(people) if isinstance(who, frozenset) and who <= keys]
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
