"""Find, read and validate framework files into immutable `Framework` objects."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

import yaml
from pydantic import ValidationError

from .model import (
    Framework,
    FrameworkDomain,
    FrameworkGroup,
    FrameworkItem,
    RatingScale,
    ScaleLevel,
)
from .schema import FrameworkFile, Item

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "frameworks"
PATH_ENV = "PL_FRAMEWORKS_PATH"
# The largest built-in framework is about 110 kB, 10 levels deep and 2,000 YAML nodes.
MAX_FRAMEWORK_BYTES = 5_000_000
MAX_FRAMEWORK_DEPTH = 32
MAX_FRAMEWORK_NODES = 200_000


@dataclass(frozen=True)
class FrameworkProblem:
    file: str
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top level)'}: {self.message}"


class FrameworkError(ValueError):
    """A framework file was rejected; `problems` lists every mistake found."""

    def __init__(self, problems: list[FrameworkProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in framework file:\n{lines}")


def format_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _line_index(node, loc=(), index=None, seen=None) -> dict[tuple, int]:
    """Map each YAML path to the 1-based line where its node starts."""
    index = {} if index is None else index
    seen = set() if seen is None else seen
    index[loc] = node.start_mark.line + 1
    if id(node) in seen:  # an alias back to an enclosing node (`a: &x [*x]`) would recurse for ever
        return index
    seen = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = (*loc, key.value)
            index[k] = key.start_mark.line + 1
            _line_index(value, k, index, seen)
            index[k] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            _line_index(value, (*loc, i), index, seen)
    return index


def _unbuildable(node, loc: tuple = (), seen: frozenset = frozenset()) -> tuple[tuple, int] | None:
    """Path and line of the first scalar YAML recognises by its form but cannot build (the date 2026-13-45)."""
    if node is None or id(node) in seen:
        return None
    if isinstance(node, yaml.ScalarNode):
        try:
            yaml.SafeLoader("").construct_object(node)
        except (ValueError, yaml.YAMLError):
            return loc, node.start_mark.line + 1
        return None
    seen = seen | {id(node)}
    if isinstance(node, yaml.MappingNode):
        children = [
            pair for (key, value) in node.value for pair in ((key, (*loc, key.value)), (value, (*loc, key.value)))
        ]
    else:
        children = [(value, (*loc, i)) for i, value in enumerate(node.value)]
    for child, child_loc in children:
        found = _unbuildable(child, child_loc, seen)
        if found:
            return found
    return None


def _nearest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())


def _seq(value) -> list:
    return value if isinstance(value, list) else []


def _field(value, key):
    return value.get(key) if isinstance(value, dict) else None


def _cross_checks(data: dict) -> list[tuple[tuple, str]]:
    """Rules that span the file (scale references, level numbers, unique ids), on the raw YAML.

    They read the raw data defensively so they can run alongside the schema's own checks, and a
    file with both kinds of mistake is reported whole in one pass.
    """
    problems: list[tuple[tuple, str]] = []
    scales: dict[str, list] = {}
    for si, scale in enumerate(_seq(_field(data, "scales"))):
        sid = _field(scale, "id")
        if sid in scales:
            problems.append((("scales", si, "id"), f"duplicate scale id {sid!r}"))
        if isinstance(sid, str):
            scales[sid] = [
                n for n in (_field(lv, "number") for lv in _seq(_field(scale, "levels"))) if isinstance(n, int)
            ]
    only_scale = next(iter(scales)) if len(scales) == 1 else None
    seen_items: dict[str, str] = {}
    seen_domains: set = set()
    for di, domain in enumerate(_seq(_field(data, "domains"))):
        did = _field(domain, "id")
        if did is not None and did in seen_domains:
            problems.append((("domains", di, "id"), f"duplicate domain id {did!r}"))
        seen_domains.add(did)
        domain_scale = _field(domain, "scale")
        if domain_scale is not None and domain_scale not in scales:
            problems.append((("domains", di, "scale"), _unknown_scale(domain_scale, scales)))
        located = [(("domains", di, "items", ii), it) for ii, it in enumerate(_seq(_field(domain, "items")))]
        for gi, group in enumerate(_seq(_field(domain, "groups"))):
            located += [
                (("domains", di, "groups", gi, "items", ii), it) for ii, it in enumerate(_seq(_field(group, "items")))
            ]
        for loc, item in located:
            item_id = _field(item, "id")
            if isinstance(item_id, str):
                if item_id in seen_items:
                    problems.append(
                        ((*loc, "id"), f"duplicate item id {item_id!r} (first used at {seen_items[item_id]})")
                    )
                else:
                    seen_items[item_id] = format_path(loc)
            scale_id = _field(item, "scale") or domain_scale or only_scale
            if scale_id is None:
                if scales:
                    problems.append(
                        (loc, "no scale: set `scale:` on the item or its domain (the file has several scales)")
                    )
                continue
            if scale_id not in scales:
                if _field(item, "scale") is not None:
                    problems.append(((*loc, "scale"), _unknown_scale(scale_id, scales)))
                continue
            numbers = scales[scale_id]
            seen_levels: set[int] = set()
            for li, content in enumerate(_seq(_field(item, "levels"))):
                level = _field(content, "level")
                if not isinstance(level, int):
                    continue  # the schema reports a missing or non-numeric level
                if level not in numbers:
                    problems.append(
                        ((*loc, "levels", li, "level"), f"level {level} is not on scale {scale_id!r} {numbers}")
                    )
                if level in seen_levels:
                    problems.append(((*loc, "levels", li, "level"), f"level {level} is described twice"))
                seen_levels.add(level)
            for ni, move in enumerate(_seq(_field(item, "next_steps"))):
                for key in ("from_level", "to_level"):
                    value = _field(move, key)
                    if isinstance(value, int) and value not in numbers:
                        problems.append(
                            ((*loc, "next_steps", ni, key), f"level {value} is not on scale {scale_id!r} {numbers}")
                        )
    return problems


def _unknown_scale(scale_id: str, scales: dict) -> str:
    return f"unknown scale {scale_id!r}; the file defines {sorted(scales)}"


def _pydantic_message(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key (check its spelling against frameworks/README.md)"
    if err["type"] == "missing":
        return "required key is missing"
    return err["msg"]


def yaml_limit_problem(text: str, *, max_depth: int, max_nodes: int) -> tuple[int | None, str, str] | None:
    """Walk YAML events (building nothing) and stop at nesting or alias expansion beyond the limits.

    Returns `(line, path, message)` for the first node past a limit, or None. Anchors and aliases are
    allowed, but each alias counts as the whole subtree it repeats, so a "billion laughs" file stops at
    the alias that crosses `max_nodes` instead of after it has been expanded. Syntax errors are left to
    the loader that follows, which reports them with their line.
    """
    frames: list[list] = []  # [kind, anchor, size, index, key, expecting_key]
    anchors: dict[str, int] = {}
    total = 0

    def path() -> str:
        parts: list = []
        for kind, _anchor, _size, index, key, _expect in frames:
            if kind == "seq":
                parts.append(max(index, 0))
            elif key is not None:
                parts.append(key)
        return format_path(tuple(parts))

    def child(event) -> bool:
        """Position a new node in its parent; True when it is a mapping key."""
        if not frames:
            return False
        top = frames[-1]
        if top[0] == "seq":
            top[3] += 1
            return False
        is_key = top[5]
        top[5] = not top[5]
        if is_key:
            top[4] = event.value if isinstance(event, yaml.ScalarEvent) else "?"
        return is_key

    def add(size: int) -> None:
        nonlocal total
        total += size
        if frames:
            frames[-1][2] += size

    try:
        # The pure-Python parser on purpose: libyaml's recurses on deeply nested flow collections.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                child(event)
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    anchors[event.anchor] = 1
                add(1)
            elif isinstance(event, yaml.AliasEvent):
                add(anchors.get(event.anchor, 1))
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                frames.append([kind, event.anchor, 0, -1, None, True])
                if len(frames) > max_depth:
                    return line, path(), f"nested more than {max_depth} levels deep"
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                kind, anchor, size, *_ = frames.pop()
                if anchor:
                    anchors[anchor] = size + 1
                add(size + 1)
            if total > max_nodes:
                return (
                    line,
                    path(),
                    f"expands to more than {max_nodes:,} values (anchors and aliases repeating each other); "
                    "write the values out instead",
                )
    except yaml.YAMLError:
        return None
    return None


def parse_framework(text: str, file: str = "<string>") -> FrameworkFile:
    """Validate framework YAML text, raising `FrameworkError` with every problem found."""
    node = None
    if len(text) > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(
            [FrameworkProblem(file, "", None, f"file is larger than {MAX_FRAMEWORK_BYTES:,} bytes; is it a framework?")]
        )
    limit = yaml_limit_problem(text, max_depth=MAX_FRAMEWORK_DEPTH, max_nodes=MAX_FRAMEWORK_NODES)
    if limit:
        line, where, message = limit
        raise FrameworkError([FrameworkProblem(file, where, line, message)])
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkError([FrameworkProblem(file, "", line, f"YAML syntax error: {problem}")]) from None
    except ValueError as exc:  # PyYAML raises a bare ValueError for a value it cannot build
        loc, line = _unbuildable(node) or ((), None)
        message = f"YAML value error: {exc} (put the value in quotes if it is meant as text)"
        raise FrameworkError([FrameworkProblem(file, format_path(loc), line, message)]) from None
    except RecursionError:
        raise FrameworkError([FrameworkProblem(file, "", None, "YAML is nested too deeply to read")]) from None
    if not isinstance(data, dict):
        raise FrameworkError([FrameworkProblem(file, "", 1, "a framework file must be a YAML mapping (key: value)")])
    lines = _line_index(node) if node is not None else {}
    located: list[tuple[tuple, str]] = []
    doc = None
    try:
        doc = FrameworkFile.model_validate(data)
    except ValidationError as exc:
        located += [(tuple(e["loc"]), _pydantic_message(e)) for e in exc.errors()]
    located += _cross_checks(data)
    if located:
        raise FrameworkError(
            [FrameworkProblem(file, format_path(loc), _nearest_line(lines, loc), msg) for loc, msg in located]
        )
    return doc


def _build(doc: FrameworkFile, content_hash: str, path: str) -> Framework:
    scales = {
        s.id: RatingScale(
            s.id,
            s.name,
            tuple(ScaleLevel(lv.number, lv.label, lv.short_label, lv.description, lv.ours) for lv in s.levels),
            tuple(s.notes),
            s.ours_note,
        )
        for s in doc.scales
    }
    default_scale = doc.scales[0].id
    items: list[FrameworkItem] = []
    domains: list[FrameworkDomain] = []

    def make(item: Item, domain, group) -> FrameworkItem:
        scale = scales[item.scale or domain.scale or default_scale]
        return FrameworkItem(
            id=item.id,
            name=item.name,
            domain=domain.id,
            domain_name=domain.name,
            group=group.id if group else None,
            group_name=group.name if group else None,
            scale=scale,
            definition=item.definition,
            guiding_question=item.guiding_question,
            alignment=tuple(item.alignment),
            weight=item.weight,
            level_content=MappingProxyType({c.level: c for c in item.levels}),
            moves=tuple(sorted(item.next_steps, key=lambda m: (m.from_level is None, m.from_level or 0))),
            notes=tuple(item.notes),
            foundational=domain.foundational,
        )

    for domain in doc.domains:
        direct = [make(it, domain, None) for it in domain.items]
        groups = []
        grouped: list[FrameworkItem] = []
        for group in domain.groups:
            made = [make(it, domain, group) for it in group.items]
            grouped += made
            groups.append(FrameworkGroup(group.id, group.name, group.definition, tuple(i.id for i in made)))
        domain_items = direct + grouped
        items += domain_items
        domains.append(
            FrameworkDomain(
                domain.id,
                domain.name,
                domain.description,
                domain.weight,
                tuple(groups),
                tuple(i.id for i in domain_items),
                domain.foundational,
            )
        )
    return Framework(
        id=doc.id,
        name=doc.name,
        short_name=doc.short_name or doc.name,
        publisher=doc.publisher,
        year=doc.year,
        source=doc.source,
        description=doc.description,
        definitions=tuple(doc.definitions),
        uses=tuple(doc.uses),
        scales=MappingProxyType(scales),
        domains=tuple(domains),
        items=tuple(items),
        notes=tuple(doc.notes),
        content_hash=content_hash,
        path=path,
        _by_id=MappingProxyType({i.id: i for i in items}),
        aligned_to=doc.aligned_to,
    )


def read_framework_file(path: str | os.PathLike) -> Framework:
    """Read and validate one framework file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError([FrameworkProblem(str(path), "", None, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FrameworkError(
            [FrameworkProblem(str(path), "", None, "file is not UTF-8 text; save it as UTF-8")]
        ) from None
    doc = parse_framework(text, str(path))
    return _build(doc, hashlib.sha256(raw).hexdigest(), str(path))


def framework_dirs() -> list[Path]:
    dirs = [BUILTIN_DIR]
    extra = os.environ.get(PATH_ENV, "")
    dirs += [Path(p) for p in extra.split(os.pathsep) if p.strip()]
    return dirs


def framework_files() -> list[Path]:
    """Every framework YAML in `frameworks/` and the directories named by PL_FRAMEWORKS_PATH, each once."""
    files: list[Path] = []
    seen: set[Path] = set()
    for d in framework_dirs():
        if d.is_dir():
            for p in sorted(p for p in d.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()):
                if p.resolve() not in seen:  # a folder named twice must not make its files duplicates
                    seen.add(p.resolve())
                    files.append(p)
    return files


def _peek_id(path: Path) -> str | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data.get("id") if isinstance(data, dict) else None


class FrameworkCheck(NamedTuple):
    """One file's outcome: its framework, or None and the problems that kept it out."""

    path: Path
    framework: Framework | None
    problems: tuple[FrameworkProblem, ...] = ()


class BrokenFramework(NamedTuple):
    """A framework file that failed to load, with every problem found (unpacks as `path, problems`)."""

    path: Path
    problems: tuple[FrameworkProblem, ...]


def check_framework_files(paths: Iterable[str | os.PathLike] | None = None) -> list[FrameworkCheck]:
    """Load each file (default: every framework file found) without raising; a repeated framework id fails too."""
    checks: list[FrameworkCheck] = []
    first_with_id: dict[str, Path] = {}
    for path in framework_files() if paths is None else [Path(p) for p in paths]:
        try:
            framework = _load_cached(str(path.resolve()), _mtime(path))
        except FrameworkError as exc:
            checks.append(FrameworkCheck(path, None, tuple(replace(p, file=str(path)) for p in exc.problems)))
            continue
        except Exception as exc:  # noqa: BLE001 - a failure nobody foresaw must still cost one file, not every page
            problem = FrameworkProblem(str(path), "", None, f"could not be loaded: {exc.__class__.__name__}: {exc}")
            checks.append(FrameworkCheck(path, None, (problem,)))
            continue
        if framework.id in first_with_id:
            message = (
                f"framework id {framework.id!r} is already used by {first_with_id[framework.id]}; this file is skipped"
            )
            checks.append(FrameworkCheck(path, None, (FrameworkProblem(str(path), "id", None, message),)))
            continue
        first_with_id[framework.id] = path
        checks.append(FrameworkCheck(path, framework))
    return checks


def list_frameworks() -> list[Framework]:
    """Every framework that loads; a broken file is skipped (see `broken_frameworks()`)."""
    return [check.framework for check in check_framework_files() if check.framework is not None]


def broken_frameworks() -> list[BrokenFramework]:
    """Every framework file that failed to load, in search order, with its problems."""
    return [BrokenFramework(c.path, c.problems) for c in check_framework_files() if c.framework is None]


def load_framework(id_or_path: str) -> Framework:
    """Load a framework by id or file stem (the first good file in the framework folders) or by file path."""
    candidate = Path(id_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return _load_cached(str(candidate.resolve()), _mtime(candidate))
    checks = check_framework_files()
    # The same choice list_frameworks() makes: a broken file never hides a good one with the same id.
    good = [c.framework for c in checks if c.framework is not None]
    found = next((fw for fw in good if fw.id == id_or_path), None) or next(
        (c.framework for c in checks if c.framework is not None and c.path.stem == id_or_path), None
    )
    if found is not None:
        return found
    for check in checks:
        if check.framework is None and (check.path.stem == id_or_path or _peek_id(check.path) == id_or_path):
            raise FrameworkError(list(check.problems))
    known = sorted(fw.id for fw in good)
    raise KeyError(f"no framework with id {id_or_path!r}; known: {', '.join(known) or 'none'}")


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _load_cached(path: str, mtime: float) -> Framework:
    outcome = _read_cached(path, mtime)
    if isinstance(outcome, FrameworkError):
        raise FrameworkError(outcome.problems)
    return outcome


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime: float) -> Framework | FrameworkError:
    # A broken file is cached too: every page lists the frameworks, and must not re-parse it each run.
    try:
        return read_framework_file(path)
    except FrameworkError as exc:
        return exc
