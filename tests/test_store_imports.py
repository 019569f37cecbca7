"""Saving parsed uploads and reading them back, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from pl_core.store import (
    import_history,
    list_frameworks_in_use,
    list_rounds,
    list_schools,
    load_comments,
    load_responses,
    make_engine,
    save_import,
    session_scope,
)
from pl_core.store.models import (
    Comment,
    District,
    Framework,
    ImportBatch,
    PublicationState,
    Respondent,
    Response,
    Round,
    School,
)

FRAMEWORK = SimpleNamespace(id="pl-test", name="PL Test Framework", content_hash="hash-v1")
OTHER_FRAMEWORK = SimpleNamespace(id="other", name="Other Framework", content_hash="hash-o")
ALL_TABLES = (District, School, Framework, Round, Respondent, ImportBatch, Response, Comment)


def parsed_upload(
    answers: dict[str, dict[str, int | None]],
    *,
    file_name: str = "staff.csv",
    file_hash: str | None = None,
    roles: dict[str, str] | None = None,
    grade_bands: dict[str, str] | None = None,
    comments: list[tuple[str, str, str]] = (),
    valid: bool = True,
) -> SimpleNamespace:
    """A stand-in for pl_core.ingest's ParsedUpload, shaped as docs/architecture.md describes."""
    roles, grade_bands = roles or {}, grade_bands or {}
    rows = [
        {
            "respondent": person,
            "role": roles.get(person, pd.NA),
            "grade_band": grade_bands.get(person, pd.NA),
            "submitted_at": pd.NaT,
            "source_row": n + 2,
            "item": item,
            "level": level,
        }
        for n, (person, levels) in enumerate(answers.items())
        for item, level in levels.items()
    ]
    columns = ["respondent", "role", "grade_band", "submitted_at", "source_row", "item", "level"]
    responses = pd.DataFrame(rows, columns=columns).astype({"level": "Int64"})
    answered = int(responses["level"].notna().sum())
    report = SimpleNamespace(
        valid=valid,
        file_name=file_name,
        file_hash=file_hash or hashlib.sha256(repr((file_name, answers)).encode()).hexdigest(),
        format="template-wide",
        rows_read=len(answers),
        respondents=len(answers),
        answers=answered,
        missing_answers=len(responses) - answered,
        superseded=0,
        errors=[],
        warnings=[],
        columns=[],
    )
    if not valid:
        responses = responses.iloc[0:0]
        comments = []
    return SimpleNamespace(
        report=report,
        responses=responses,
        comments=pd.DataFrame(list(comments), columns=["respondent", "column", "text"]),
    )


def table_counts(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in ALL_TABLES}


def rows(frame: pd.DataFrame) -> list[tuple]:
    """Frame rows as plain tuples (NA as None), sorted, for exact comparisons."""
    plain = [tuple(None if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False, name=None)]
    return sorted(plain, key=repr)


STAFF = {
    "k-ana": {"culture": 3, "mindset": 2, "voice": None},
    "k-ben": {"culture": 4, "mindset": 1, "voice": 2},
}


def test_save_then_load_returns_exactly_the_saved_answers(engine):
    parsed = parsed_upload(
        STAFF,
        roles={"k-ana": "teacher", "k-ben": "leader"},
        grade_bands={"k-ana": "K-2"},
        comments=[("k-ben", "Notes", "More time")],
    )
    result = save_import(engine, parsed, school="Oak Elementary", round="Fall 2025", framework=FRAMEWORK)

    assert result.replaced_batch_id is None
    assert (result.answers, result.respondents) == (5, 2)
    frame = load_responses(engine, "pl-test")
    assert list(frame.columns) == ["school", "round", "respondent", "role", "grade_band", "item", "level"]
    assert frame["level"].dtype == "Int64"
    assert rows(frame) == sorted(
        [
            ("Oak Elementary", "Fall 2025", "k-ana", "teacher", "K-2", "culture", 3),
            ("Oak Elementary", "Fall 2025", "k-ana", "teacher", "K-2", "mindset", 2),
            ("Oak Elementary", "Fall 2025", "k-ana", "teacher", "K-2", "voice", None),
            ("Oak Elementary", "Fall 2025", "k-ben", "leader", None, "culture", 4),
            ("Oak Elementary", "Fall 2025", "k-ben", "leader", None, "mindset", 1),
            ("Oak Elementary", "Fall 2025", "k-ben", "leader", None, "voice", 2),
        ],
        key=repr,
    )
    assert rows(load_comments(engine, "pl-test")) == [
        ("Oak Elementary", "Fall 2025", "k-ben", "leader", None, "Notes", "More time")
    ]
    assert load_responses(engine, "other").empty


def test_load_of_an_unknown_framework_is_empty_with_the_usual_columns(engine):
    frame = load_responses(engine, "nothing-here")
    assert frame.empty
    assert list(frame.columns) == ["school", "round", "respondent", "role", "grade_band", "item", "level"]
    assert frame["level"].dtype == "Int64"


def test_invalid_upload_is_refused_and_nothing_is_written(engine):
    before = table_counts(engine)
    with pytest.raises(ValueError, match="did not pass validation"):
        save_import(engine, parsed_upload(STAFF, valid=False), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert table_counts(engine) == before


def test_reimporting_the_same_file_replaces_the_earlier_batch(engine):
    parsed = parsed_upload(STAFF)
    first = save_import(engine, parsed, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    again = save_import(engine, parsed, school="Oak", round="Fall 2025", framework=FRAMEWORK, imported_by="sam")

    assert again.replaced_batch_id == first.batch_id
    assert again.batch_id != first.batch_id
    assert len(load_responses(engine, "pl-test")) == 6  # not doubled
    history = import_history(engine)  # newest first; the replaced batch is kept so that undo can bring it back
    assert history["batch_id"].tolist() == [again.batch_id, first.batch_id]
    assert history["status"].tolist() == ["active", "replaced"]
    assert history["replaced_batch_id"].tolist()[0] == first.batch_id
    assert history["imported_by"].tolist()[0] == "sam"


def test_same_contents_under_another_name_replace_the_earlier_batch(engine):
    first = save_import(engine, parsed_upload(STAFF, file_hash="abc"), school="Oak", round="Fall", framework=FRAMEWORK)
    renamed = parsed_upload(STAFF, file_name="staff (1).csv", file_hash="abc")
    again = save_import(engine, renamed, school="Oak", round="Fall", framework=FRAMEWORK)
    assert again.replaced_batch_id == first.batch_id
    assert len(load_responses(engine, "pl-test")) == 6


def test_a_corrected_file_with_the_same_name_replaces_the_earlier_batch(engine):
    first = save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    corrected = parsed_upload({"k-ana": {"culture": 4}})
    again = save_import(engine, corrected, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert again.replaced_batch_id == first.batch_id
    assert rows(load_responses(engine, "pl-test")) == [("Oak", "Fall 2025", "k-ana", None, None, "culture", 4)]


def test_a_different_file_for_the_same_school_and_round_adds(engine):
    save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    more = parsed_upload({"k-cy": {"culture": 1}}, file_name="late-staff.csv")
    result = save_import(engine, more, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert result.replaced_batch_id is None
    assert len(load_responses(engine, "pl-test")) == 7
    assert len(import_history(engine)) == 2


def test_the_same_file_in_another_round_school_or_framework_does_not_replace(engine):
    parsed = parsed_upload(STAFF)
    save_import(engine, parsed, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    for school, round_name, framework in [
        ("Oak", "Spring 2026", FRAMEWORK),
        ("Elm", "Fall 2025", FRAMEWORK),
        ("Oak", "Fall 2025", OTHER_FRAMEWORK),
    ]:
        assert (
            save_import(engine, parsed, school=school, round=round_name, framework=framework).replaced_batch_id is None
        )
    assert len(load_responses(engine, "pl-test")) == 18
    assert len(load_responses(engine, "other")) == 6


def test_a_failure_midway_through_the_responses_writes_nothing(engine):
    before = table_counts(engine)
    broken = parsed_upload(STAFF)
    broken.responses.loc[3, "item"] = None  # NOT NULL violation after district, school, batch... were written
    with pytest.raises(IntegrityError):
        save_import(engine, broken, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert table_counts(engine) == before


def test_a_failed_reimport_keeps_the_earlier_batch(engine):
    first = save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    before = table_counts(engine)
    broken = parsed_upload(STAFF, comments=[("k-ana", "Notes", None)])  # fails after responses are inserted
    with pytest.raises(IntegrityError):
        save_import(engine, broken, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert table_counts(engine) == before
    assert import_history(engine)["batch_id"].tolist() == [first.batch_id]


def test_a_failure_in_python_midway_writes_nothing(engine, monkeypatch):
    from pl_core.store import imports

    before = table_counts(engine)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(imports, "_upsert_respondents", explode)
    with pytest.raises(RuntimeError, match="disk on fire"):
        save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert table_counts(engine) == before


def test_respondents_are_reused_across_rounds_of_one_school(engine):
    fall = parsed_upload(STAFF, file_name="fall.csv", roles={"k-ana": "teacher"})
    spring = parsed_upload(STAFF, file_name="spring.csv", roles={"k-ana": "coach"}, grade_bands={"k-ben": "6-8"})
    save_import(engine, fall, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    save_import(engine, spring, school="Oak", round="Spring 2026", framework=FRAMEWORK)
    save_import(engine, spring, school="Elm", round="Spring 2026", framework=FRAMEWORK)

    with session_scope(engine) as session:
        people = session.execute(
            select(School.name, Respondent.key, Respondent.role, Respondent.grade_band)
            .join(School, School.id == Respondent.school_id)
            .order_by(School.name, Respondent.key)
        ).all()
    assert [tuple(p) for p in people] == [
        ("Elm", "k-ana", "coach", None),
        ("Elm", "k-ben", None, "6-8"),
        ("Oak", "k-ana", "coach", None),  # role refreshed by the later import
        ("Oak", "k-ben", None, "6-8"),
    ]
    frame = load_responses(engine, "pl-test", schools=["Oak"])
    assert frame.groupby("round")["respondent"].nunique().to_dict() == {"Fall 2025": 2, "Spring 2026": 2}


def test_load_filters_by_school_and_round(engine):
    for school in ("Oak", "Elm"):
        for round_name in ("Fall 2025", "Spring 2026"):
            save_import(engine, parsed_upload(STAFF), school=school, round=round_name, framework=FRAMEWORK)
    frame = load_responses(engine, "pl-test", schools=["Elm"], rounds=["Spring 2026"])
    assert set(zip(frame["school"], frame["round"], strict=True)) == {("Elm", "Spring 2026")}
    assert len(frame) == 6
    assert len(load_responses(engine, "pl-test", rounds=["Fall 2025"])) == 12
    assert load_responses(engine, "pl-test", schools=[]).empty


def test_rounds_are_listed_chronologically_whatever_the_import_order(engine):
    for round_name in ("Spring 2026", "Fall 2025", "Pilot", "Fall 2026", "Winter 2026"):
        save_import(engine, parsed_upload(STAFF), school="Oak", round=round_name, framework=FRAMEWORK)
    assert list_rounds(engine) == ["Fall 2025", "Winter 2026", "Spring 2026", "Pilot", "Fall 2026"]
    with session_scope(engine) as session:
        ordinals = session.scalars(select(Round.ordinal).order_by(Round.ordinal)).all()
    assert ordinals == [1, 2, 3, 4, 5]


def test_pick_lists_and_history(engine):
    save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK, school_level="high")
    save_import(engine, parsed_upload(STAFF), school="Elm", round="Fall 2025", framework=FRAMEWORK, district="North")
    assert list_schools(engine) == ["Elm", "Oak"]
    assert list_schools(engine, district="North") == ["Elm"]
    assert list_rounds(engine, district="North") == ["Fall 2025"]
    assert list_frameworks_in_use(engine) == ["pl-test"]
    history = import_history(engine, school="Oak")
    assert history[
        ["district", "school", "round", "framework", "file_name", "respondents", "answers"]
    ].values.tolist() == [["Sample District", "Oak", "Fall 2025", "pl-test", "staff.csv", 2, 5]]
    with session_scope(engine) as session:
        assert session.scalar(select(School.level).where(School.name == "Oak")) == "high"


def test_framework_row_follows_the_latest_content_hash(engine):
    save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    with session_scope(engine) as session:
        first_seen = session.scalar(select(Framework.first_seen))
    newer = SimpleNamespace(id="pl-test", name="PL Test Framework (2026)", content_hash="hash-v2")
    save_import(engine, parsed_upload(STAFF), school="Oak", round="Spring 2026", framework=newer)
    with session_scope(engine) as session:
        fw = session.scalars(select(Framework)).one()
        assert (fw.name, fw.content_hash, fw.first_seen) == ("PL Test Framework (2026)", "hash-v2", first_seen)
        assert fw.last_seen >= fw.first_seen


def test_a_batch_deleted_around_the_app_leaves_answers_that_db_check_finds(db_url, capsys):
    """`responses` has no foreign keys (migration 0007); the app never deletes a batch (undo and delete mark it).
    One deleted by hand takes its comments with it (their key cascades) and leaves its answers pointing at no
    import, which `pl-diag db check` reports and exits 1 on."""
    from pl_core.cli import main as cli_main
    from pl_core.store.integrity import Misplaced, misplaced_answers

    engine = make_engine(db_url)
    parsed = parsed_upload(STAFF, comments=[("k-ana", "Notes", "ok")])
    result = save_import(engine, parsed, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    assert cli_main(["db", "check", "--db", db_url]) == 0
    assert "every stored answer points at its import" in capsys.readouterr().out
    with session_scope(engine) as session:
        session.execute(delete(PublicationState))
        session.execute(delete(ImportBatch).where(ImportBatch.id == result.batch_id))
    counts = table_counts(engine)
    assert (counts["responses"], counts["comments"]) == (6, 0)
    with engine.connect() as conn:
        assert misplaced_answers(conn) == Misplaced(no_batch=6, no_respondent=0, other_school=0)
    engine.dispose()
    assert cli_main(["db", "check", "--db", db_url]) == 1
    assert "6 stored answer(s) point nowhere: 6 at no import, 0 at no person" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("where", "released"),
    [("nobody", False), ("a person of another school", False), ("a person of another school", True)],
)
def test_answers_pointing_at_no_person_of_their_school_are_refused_with_nothing_written(
    engine, monkeypatch, where, released
):
    """What the foreign keys on `responses` guarded, checked once per import as a set (stricter: the school too),
    with the release decided alongside (PostgreSQL: beside the COPY) or not. The import's own rows are bent to
    point elsewhere, as a fault in assembling them would. (Released, "nobody" is also refused by the release's
    members, whose key to respondents stays: this checks the answers' own guard.)"""
    from pl_core.services.releases import publisher
    from pl_core.store import imports
    from pl_core.store.integrity import Misplaced, MisplacedAnswers

    save_import(engine, parsed_upload({"k-cy": {"culture": 2}}), school="Elm", round="Fall 2025", framework=FRAMEWORK)
    with session_scope(engine) as session:
        elsewhere = session.scalar(select(Respondent.id)) if where != "nobody" else 10**9
    before = table_counts(engine)
    assembled = imports._response_arrays

    def bent(*args):
        rows = assembled(*args)
        rows.person_ids[0] = elsewhere  # k-ana's three answers
        return rows

    monkeypatch.setattr(imports, "_response_arrays", bent)
    with pytest.raises(MisplacedAnswers) as refused:
        save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=RELEASED,
                    publish=publisher(RELEASED) if released else None)  # fmt: skip
    expected = Misplaced(0, 3, 0) if where == "nobody" else Misplaced(0, 0, 3)
    assert refused.value.found == expected
    assert "importing 'staff.csv': 3 stored answer(s) point nowhere" in str(refused.value)
    assert table_counts(engine) == before


def big_upload(people: int, items: int = 14, *, file_name: str = "big.csv") -> SimpleNamespace:
    levels = [None, 1, 2, 3, 4]
    answers = {f"key-{p:05d}": {f"item-{i:02d}": levels[(p + i) % 5] for i in range(items)} for p in range(people)}
    return parsed_upload(answers, file_name=file_name, roles={k: "teacher" for k in answers})


def test_five_thousand_respondents_save_whole(engine):
    # speed is measured by benchmarks/bench_import.py, not here
    parsed = big_upload(5000)
    result = save_import(engine, parsed, school="Big High", round="Fall 2025", framework=FRAMEWORK)
    assert result.respondents == 5000
    assert result.answers == 56_000
    assert len(load_responses(engine, "pl-test")) == 70_000


def test_concurrent_imports_for_different_schools_lose_nothing(engine):
    threads, per_school = 8, 200
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def import_school(n: int) -> None:
        try:
            start.wait()
            # Both rounds are new to the district: every thread races to create them, in either order.
            for round_name in ("Fall 2025", "Spring 2026") if n % 2 else ("Spring 2026", "Fall 2025"):
                parsed = big_upload(per_school, items=5, file_name=f"school-{n}-{round_name}.csv")
                save_import(engine, parsed, school=f"School {n}", round=round_name, framework=FRAMEWORK)
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised below
            errors.append(exc)

    workers = [threading.Thread(target=import_school, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    counts = table_counts(engine)
    assert counts["districts"] == 1
    assert counts["schools"] == threads
    assert counts["rounds"] == 2
    assert counts["import_batches"] == threads * 2
    assert counts["respondents"] == threads * per_school
    assert counts["responses"] == threads * 2 * per_school * 5
    assert list_rounds(engine) == ["Fall 2025", "Spring 2026"]


def test_bulk_insert_keeps_every_value_whole_whatever_it_holds(engine):
    """COPY's text format on PostgreSQL (escaped by us), executemany on SQLite: the same values come back."""
    from sqlalchemy import Boolean, Column, Integer, MetaData, Table, Text

    from pl_core.store.imports import _bulk_insert

    table = Table(
        "bulk_check",
        MetaData(),
        Column("n", Integer),
        Column("t", Text),
        Column("b", Boolean),
    )
    table.create(engine)
    rows = [
        (1, "tab\there, line\nfeed, return\r, back\\slash \\N and \\t typed", True),
        (2, None, False),
        (None, "", None),
        (4, "Mr\u00e9 \u201cquoted\u201d; 'single'", True),
    ]
    rows += [(i, f"row {i}", i % 2 == 0) for i in range(5, 60_005)]  # more than one chunk
    with engine.begin() as conn:
        _bulk_insert(conn, table, ("n", "t", "b"), iter(rows))
    with engine.connect() as conn:
        back = conn.execute(select(table.c.n, table.c.t, table.c.b).order_by(table.c.n.nulls_first())).all()
    assert [tuple(r) for r in back] == sorted(rows, key=lambda r: -1 if r[0] is None else r[0])


def test_the_release_sees_the_rows_an_import_hands_over_exactly_as_stored(engine):
    """An import gives the release its rows from memory (BatchRows); read back from the table they are the same:
    every person's answer to every item, a later import winning, a missing answer kept as missing."""
    import numpy as np

    from pl_core.store import publications

    items = ("culture", "mindset", "voice", "unused")
    seen = []

    def publish(conn, school_id, round_id, framework_id, written=None, store_written=None):
        handed = publications.current_answers(conn, school_id, round_id, framework_id, items, written)
        if store_written is not None:  # PostgreSQL: the COPY is handed over to run while the release is decided
            store_written()
        stored = publications.current_answers(conn, school_id, round_id, framework_id, items)
        seen.append((handed, stored, written))

    save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK, publish=publish)
    later = {"k-ben": {"culture": 1, "voice": None}, "k-cy": {"mindset": 3}}
    save_import(
        engine, parsed_upload(later, file_name="late.csv"), school="Oak", round="Fall 2025", framework=FRAMEWORK,
        publish=publish,
    )  # fmt: skip
    for handed, stored, written in seen:
        assert written is not None and len(written) > 0
        assert handed.respondent_ids.tolist() == stored.respondent_ids.tolist()
        assert np.array_equal(handed.levels, stored.levels)
    handed, _, _ = seen[-1]
    ana, ben, cy = handed.levels.tolist()  # by respondent id: ana, ben, cy (ids in import order)
    # culture, mindset, voice, unused; -1 missing, -2 no row. Ben's later culture and missing voice win.
    assert ana == [3, 2, -1, -2]
    assert ben == [1, 1, -1, -2]
    assert cy == [-2, 3, -2, -2]


def test_a_round_finds_the_role_of_a_respondent_recorded_under_another_school(engine):
    """Roles and grade bands are looked up by respondent id: one kept under another school (as a merge could
    leave it) keeps its role, never dropped to "not given"."""
    from sqlalchemy import update

    from pl_core.store import publications

    parsed = parsed_upload(STAFF, roles={"k-ana": "teacher", "k-ben": "leader"}, grade_bands={"k-ben": "6-8"})
    save_import(engine, parsed, school="Oak", round="Fall 2025", framework=FRAMEWORK)
    save_import(engine, parsed_upload({"k-cy": {"culture": 2}}), school="Elm", round="Fall 2025", framework=FRAMEWORK)
    with session_scope(engine) as session:
        conn = session.connection()
        oak, elm = (conn.scalar(select(School.id).where(School.name == n)) for n in ("Oak", "Elm"))
        ben = conn.scalar(select(Respondent.id).where(Respondent.key == "k-ben"))
        conn.execute(update(Respondent).where(Respondent.id == ben).values(school_id=elm))
        round_id = conn.scalar(select(Round.id))
        answers = publications.current_answers(conn, oak, round_id, FRAMEWORK.id, ("culture", "mindset"))
    assert answers.roles.tolist() == ["teacher", "leader"]
    assert answers.bands.tolist() == [None, "6-8"]
    assert answers.levels.tolist() == [[3, 2], [4, 1]]


RELEASED = SimpleNamespace(**vars(FRAMEWORK), item_ids=("culture", "mindset", "voice"))


def test_a_failed_copy_while_the_release_is_decided_writes_nothing(engine):
    """On PostgreSQL the answers' COPY runs beside the release's decision (publications.alongside): its failure
    still ends the import with nothing written."""
    from pl_core.services.releases import publisher

    before = table_counts(engine)
    broken = parsed_upload(STAFF)
    broken.responses.loc[3, "item"] = None  # NOT NULL violation in the answers' COPY
    with pytest.raises(IntegrityError):
        save_import(engine, broken, school="Oak", round="Fall 2025", framework=RELEASED, publish=publisher(RELEASED))
    assert table_counts(engine) == before


def test_a_failed_decision_while_the_answers_are_copied_writes_nothing(engine, monkeypatch):
    from pl_core.services import releases

    before = table_counts(engine)

    def explode(*args):
        raise RuntimeError("decision failed")

    monkeypatch.setattr(releases, "plan_release", explode)
    with pytest.raises(RuntimeError, match="decision failed"):
        save_import(
            engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=RELEASED,
            publish=releases.publisher(RELEASED),
        )  # fmt: skip
    assert table_counts(engine) == before


def test_an_import_with_its_release_stores_every_answer_and_a_release_of_them(engine):
    from pl_core.services.releases import publisher
    from pl_core.store.models import Publication, PublicationMember

    save_import(
        engine, parsed_upload(STAFF, roles={"k-ana": "teacher"}), school="Oak", round="Fall 2025",
        framework=RELEASED, publish=publisher(RELEASED),
    )  # fmt: skip
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 6
        assert session.scalar(select(func.count()).select_from(Publication)) == 1
        members = dict(session.execute(select(PublicationMember.role, PublicationMember.answers)).all())
    assert members == {
        "teacher": '{"culture": 3, "mindset": 2, "voice": null}',
        None: '{"culture": 4, "mindset": 1, "voice": 2}',
    }


def test_alongside_returns_the_main_result_and_raises_the_work_error_first():
    from pl_core.store.publications import alongside

    order = []
    assert alongside(lambda: order.append("work"), lambda: "decided") == "decided" and order == ["work"]

    def fail_work():
        raise ValueError("copy failed")

    def fail_main():
        raise RuntimeError("decision failed")

    with pytest.raises(ValueError, match="copy failed"):
        alongside(fail_work, fail_main)
    with pytest.raises(RuntimeError, match="decision failed"):
        alongside(lambda: None, fail_main)


def test_misplaced_answers_are_counted_per_batch_per_school_and_overall(engine):
    """Two answers planted around the app: one in Oak's import by nobody, one by an Oak person in Elm's import.
    Oak's scope sees both (its batch's, its person's), Elm's the one in its import, the whole database both."""
    from pl_core.store.integrity import Misplaced, misplaced_answers

    oak = save_import(engine, parsed_upload(STAFF), school="Oak", round="Fall 2025", framework=FRAMEWORK)
    elm = save_import(engine, parsed_upload({"k-cy": {"culture": 2}}), school="Elm", round="Fall 2025",
                      framework=FRAMEWORK)  # fmt: skip
    with session_scope(engine) as session:
        conn = session.connection()
        oak_id, elm_id = (conn.scalar(select(School.id).where(School.name == n)) for n in ("Oak", "Elm"))
        ana = conn.scalar(select(Respondent.id).where(Respondent.school_id == oak_id).order_by(Respondent.id))
        rows = [(oak.batch_id, 10**9), (elm.batch_id, ana)]
        conn.execute(Response.__table__.insert(), [
            {"batch_id": b, "respondent_id": r, "item": "culture", "level": 1} for b, r in rows
        ])  # fmt: skip
        assert misplaced_answers(conn, school_id=oak_id) == Misplaced(0, 1, 1)
        assert misplaced_answers(conn, school_id=elm_id) == Misplaced(0, 0, 1)
        assert misplaced_answers(conn, batch_id=oak.batch_id) == Misplaced(0, 1, 0)
        assert misplaced_answers(conn) == Misplaced(0, 1, 1)
        with pytest.raises(ValueError):
            misplaced_answers(conn, batch_id=oak.batch_id, school_id=oak_id)
