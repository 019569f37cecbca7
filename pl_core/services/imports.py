"""Staff self-assessments in: check an upload (nothing stored), store it for a school and round, and the history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from .. import settings, store
from ..domain.names import InvalidName, check_name  # noqa: F401 - re-exported
from ..frameworks import Framework
from ..ingest import LabelMapError, ParsedUpload, load_label_map, read_upload, write_template  # noqa: F401
from ..store import ImportResult  # noqa: F401 - re-exported
from ..store import schools as school_store
from ..store.integrity import MisplacedAnswers  # noqa: F401 - re-exported: the Upload page says it
from .access import Viewer, require_school
from .releases import publisher
from .rounds import NewRoundNotAllowed, require_round  # noqa: F401 - re-exported


def upload_template(framework: Framework, fmt: str) -> bytes:
    """The framework's upload template as CSV or XLSX bytes."""
    return write_template(framework, fmt)


def check_upload(
    data: bytes,
    file_name: str,
    framework: Framework,
    *,
    label_map: Mapping[str, int | None] | None = None,
    column_overrides: Mapping[str, str] | None = None,
    **choices,
) -> ParsedUpload:
    """Read and validate an upload with the install's respondent secret; nothing is stored."""
    return read_upload(
        data,
        file_name,
        framework,
        secret=settings.respondent_secret(),
        label_map=label_map,
        column_overrides=column_overrides,
        **choices,
    )


def save_import(
    engine: Engine,
    viewer: Viewer,
    parsed: ParsedUpload,
    *,
    school: str,
    round: str,
    framework: Framework,
    district: str | None = None,
    school_level: str | None = None,
    imported_by: str | None = None,
) -> ImportResult:
    """Store a checked upload for a school the viewer may use, recording who imported it (default: the viewer).

    Names are checked before the database sees them (InvalidName); a principal may only import into a round
    that exists (NewRoundNotAllowed), so a principal's typo never becomes every school's newest round.
    """
    school = check_name("school", school)
    require_school(viewer, school)
    round = require_round(engine, viewer, round)
    district = check_name("district", district) if district is not None else None
    _check_stored_text(parsed)
    return store.save_import(
        engine,
        parsed,
        school=school,
        round=round,
        framework=framework,
        district=district or store.default_district(engine),
        school_level=school_level,
        imported_by=imported_by if imported_by is not None else (viewer.email or viewer.name),
        publish=publisher(framework),
    )


COLUMN_MAX_CHARS = 500  # a comment column's header is stored with each comment


def _check_stored_text(parsed: ParsedUpload) -> None:
    """Names the upload itself brings (file, roles, grade bands, comment headers), checked as typed names are."""
    check_name("file", parsed.report.file_name)
    for column, kind in (("role", "role"), ("grade_band", "grade band")):
        for value in parsed.responses[column].dropna().unique() if column in parsed.responses else ():
            if str(value).strip():
                check_name(kind, str(value))
    for header in parsed.comments["column"].unique() if "column" in parsed.comments else ():
        if len(str(header)) > COLUMN_MAX_CHARS:
            raise InvalidName(
                "column",
                "too-long",
                f"a comment column's header is {len(str(header)):,} characters long; the most is {COLUMN_MAX_CHARS}: "
                "shorten it in the file",
            )


def import_history(engine: Engine, viewer: Viewer, *, school: str | None = None) -> pd.DataFrame:
    """Stored import batches of the viewer's schools, newest first."""
    if school is not None:
        require_school(viewer, school)
    history = store.import_history(engine, school=school)
    if viewer.sees_every_school:
        return history
    return history[history["school"].isin(viewer.schools)].reset_index(drop=True)


class InvalidCount(ValueError):
    """An expected staff count that is not a whole number from 1 to MAX_STAFF."""


MAX_STAFF = 10_000


def set_expected_staff(engine: Engine, viewer: Viewer, *, school: str, round: str, count: int) -> None:
    """Record how many staff a school expected to answer in a round: the Overview shows the response rate."""
    school = check_name("school", school)
    require_school(viewer, school)
    round = require_round(engine, viewer, round)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_STAFF:
        raise InvalidCount(f"the expected staff count must be a whole number from 1 to {MAX_STAFF:,}, got {count!r}")
    school_store.set_expected_staff(engine, school, round, count, set_by=viewer.email or viewer.name)


def expected_staff(engine: Engine, viewer: Viewer, *, school: str, round: str) -> int | None:
    """The expected staff count of a school in a round, if one was entered."""
    require_school(viewer, school)
    return school_store.expected_staff(engine, school, round)


@dataclass(frozen=True)
class SavedMapping:
    """How a school's last upload on a framework was mapped: applied to its next upload, with a note."""

    labels: dict  # scale id -> {answer label -> level (None: a missing answer)}
    columns: dict  # column header -> item id or field
    saved_by: str
    saved_at: datetime


def save_mapping(
    engine: Engine, viewer: Viewer, *, school: str, framework: Framework, labels: Mapping, columns: Mapping
) -> None:
    """Keep how this school's upload was mapped, for its next upload on the framework."""
    require_school(viewer, school)
    school_store.save_mapping(
        engine, school, framework, dict(labels), dict(columns), saved_by=viewer.email or viewer.name
    )


def saved_mapping(engine: Engine, viewer: Viewer, *, school: str, framework_id: str) -> SavedMapping | None:
    """The mapping kept for a school and framework, if any."""
    require_school(viewer, school)
    found = school_store.saved_mapping(engine, school, framework_id)
    return None if found is None else SavedMapping(*found)


def expected_staff_by_school(engine: Engine, viewer: Viewer, *, round: str, schools: list[str]) -> dict[str, int]:
    """The expected staff counts entered for `round`, of those of `schools` the viewer may see."""
    for school in schools:
        require_school(viewer, school)
    return school_store.expected_staff_in_round(engine, round, schools)
