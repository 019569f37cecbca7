"""Managing what was imported, in the services and `pl-diag`: undo, delete a round, rename and merge schools."""

from __future__ import annotations

from pathlib import Path

import pytest

from pl_core.cli import main as cli_main
from pl_core.frameworks import read_framework_file
from pl_core.services import catalog, imports, manage, scores
from pl_core.services.access import LOCAL, AccessDenied, Viewer

MINI = read_framework_file(Path(__file__).parent / "fixtures" / "frameworks" / "mini.yaml")
ROUND = "Fall 2026"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PL_FRAMEWORKS_PATH", str(Path(__file__).parent / "fixtures" / "frameworks"))
    monkeypatch.delenv("PL_MIN_GROUP_SIZE", raising=False)


def upload(engine, school: str, levels: list[int], file_name: str = "staff.csv", prefix: str = "p", viewer=LOCAL):
    """One row per person: their level on Culture."""
    rows = "".join(f"{prefix}{i},teacher,{level}\n" for i, level in enumerate(levels))
    parsed = imports.check_upload(("respondent,role,Culture\n" + rows).encode(), file_name, MINI)
    assert parsed.report.valid, parsed.report.summary()
    return imports.save_import(engine, viewer, parsed, school=school, round=ROUND, framework=MINI)


def culture(engine, school: str):
    table = scores.school_scores(engine, LOCAL, MINI, school, rounds=[ROUND])
    row = table.set_index("item").loc["culture"]
    return row["n"], row["mean"]


def test_undo_brings_back_the_import_it_replaced(engine):
    first = upload(engine, "Oak", [2] * 8)
    second = upload(engine, "Oak", [4] * 13)  # a corrected file under the same name
    assert second.replaced_batch_id == first.batch_id
    assert culture(engine, "Oak") == (13, 4.0)
    assert manage.undo_import(engine, LOCAL, second.batch_id) == first.batch_id
    assert culture(engine, "Oak") == (8, 2.0)
    history = imports.import_history(engine, LOCAL, school="Oak").set_index("batch_id")["status"].to_dict()
    assert history == {second.batch_id: "undone", first.batch_id: "active"}
    with pytest.raises(manage.ManageError) as err:
        manage.undo_import(engine, LOCAL, second.batch_id)
    assert err.value.code == "not-active"
    with pytest.raises(manage.ManageError) as err:
        manage.undo_import(engine, LOCAL, 999)
    assert err.value.code == "unknown-batch"
    [event] = manage.audit_trail(engine, LOCAL).to_dict("records")
    assert (event["action"], event["school"], event["actor"]) == ("undo-import", "Oak", "Local user")


def test_deleting_a_round_leaves_nothing_to_show_and_keeps_the_history(engine):
    upload(engine, "Oak", [3] * 7)
    assert manage.delete_round(engine, LOCAL, school="Oak", round=ROUND, framework=MINI) == 1
    table = scores.school_scores(engine, LOCAL, MINI, "Oak")
    assert table["n"].isna().all() or table.empty
    assert catalog.rounds_with_data(engine, LOCAL, MINI.id, "Oak") == []
    assert imports.import_history(engine, LOCAL, school="Oak")["status"].tolist() == ["deleted"]
    assert manage.audit_trail(engine, LOCAL)["action"].tolist() == ["delete-round"]
    with pytest.raises(manage.ManageError):
        manage.delete_round(engine, LOCAL, school="Oak", round=ROUND, framework=MINI)


def test_renaming_a_mistyped_school_keeps_its_answers(engine):
    upload(engine, "Oak Elemantary", [3] * 6)
    upload(engine, "Elm", [2] * 6)
    manage.rename_school(engine, LOCAL, "Oak Elemantary", "Oak Elementary")
    assert catalog.list_schools(engine, LOCAL) == ["Elm", "Oak Elementary"]
    assert culture(engine, "Oak Elementary") == (6, 3.0)
    with pytest.raises(manage.ManageError) as err:
        manage.rename_school(engine, LOCAL, "Oak Elementary", "Elm")
    assert err.value.code == "name-taken"


def test_merging_two_spellings_of_one_school_joins_their_people(engine):
    upload(engine, "Aspen", [2] * 6, prefix="a")
    upload(engine, "Aspen Elementary", [4] * 6, file_name="second.csv", prefix="a")  # a0..a5 again: the same people
    upload(engine, "Aspen Elementary", [4] * 2, file_name="third.csv", prefix="late")
    rounds = manage.merge_schools(engine, LOCAL, "Aspen", "Aspen Elementary")
    assert rounds == 1
    assert catalog.list_schools(engine, LOCAL) == ["Aspen Elementary"]
    # a0-a5 are one person each (the same respondent key in both schools), and their latest answers (4) count;
    # the two late answers are still held back: released, they would be the merged figures minus the last ones
    summary = scores.school_summary(engine, LOCAL, MINI, "Aspen Elementary", ROUND)
    assert (summary.respondents, summary.held_back) == (6, 2)
    assert culture(engine, "Aspen Elementary") == (6, 4.0)
    upload(engine, "Aspen Elementary", [3] * 3, file_name="fourth.csv", prefix="later")
    summary = scores.school_summary(engine, LOCAL, MINI, "Aspen Elementary", ROUND)
    assert (summary.respondents, summary.held_back) == (11, 0)  # five new people together: released
    assert culture(engine, "Aspen Elementary") == (11, pytest.approx((6 * 4 + 2 * 4 + 3 * 3) / 11))


def test_each_action_is_limited_to_the_viewers_schools_and_role(engine):
    result = upload(engine, "Oak", [3] * 6)
    upload(engine, "Elm", [3] * 6)
    elm_principal = Viewer("p@elm.org", "principal", frozenset({"Elm"}))
    for act in (
        lambda: manage.undo_import(engine, elm_principal, result.batch_id),
        lambda: manage.delete_round(engine, elm_principal, school="Oak", round=ROUND, framework=MINI),
        lambda: manage.rename_school(engine, elm_principal, "Oak", "Oak 2"),
        lambda: manage.merge_schools(engine, elm_principal, "Elm", "Oak"),
    ):
        with pytest.raises(AccessDenied):
            act()
    both = Viewer("p@x.org", "principal", frozenset({"Elm", "Oak"}))
    with pytest.raises(AccessDenied, match="coach"):  # merging is for coaches and district admins
        manage.merge_schools(engine, both, "Elm", "Oak")
    assert culture(engine, "Oak") == (6, 3.0)


def test_the_command_line_lists_undoes_deletes_renames_and_merges(db_url, capsys, tmp_path):
    from pl_core import store

    engine = store.make_engine(db_url)
    first = upload(engine, "Oak", [2] * 6)
    second = upload(engine, "Oak", [3] * 6)
    upload(engine, "Oka", [4] * 6, file_name="x.csv", prefix="z")
    engine.dispose()
    assert cli_main(["imports", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert f"#{second.batch_id}" in out and "replaced" in out and "Oak" in out
    assert cli_main(["imports", "undo", str(second.batch_id), "--db", db_url]) == 0
    assert f"import #{first.batch_id} counts again" in capsys.readouterr().out
    assert cli_main(["imports", "undo", str(second.batch_id), "--db", db_url]) == 2
    assert "nothing to undo" in capsys.readouterr().err
    assert cli_main(["schools", "rename", "Oka", "Oka Middle", "--db", db_url]) == 0
    assert cli_main(["schools", "merge", "Oka Middle", "--into", "Oak", "--db", db_url]) == 0
    assert "merged 'Oka Middle' into 'Oak'" in capsys.readouterr().out
    argv = ["imports", "delete-round", "--school", "Oak", "--round", ROUND, "--framework", "mini", "--db", db_url]
    assert cli_main(argv) == 0
    assert "import(s) no longer count" in capsys.readouterr().out
    assert cli_main(argv) == 2
    assert "has no imports" in capsys.readouterr().err


def test_a_schools_mapping_is_kept_for_its_next_upload_and_only_its_own(engine):
    upload(engine, "Oak", [3] * 6)
    assert imports.saved_mapping(engine, LOCAL, school="Oak", framework_id=MINI.id) is None
    imports.save_mapping(
        engine, LOCAL, school="Oak", framework=MINI, labels={"pl-4": {"Sometimes": 2, "Not observed": None}},
        columns={"Q7": "culture"},
    )  # fmt: skip
    kept = imports.saved_mapping(engine, LOCAL, school="Oak", framework_id=MINI.id)
    assert (kept.labels, kept.columns, kept.saved_by) == (
        {"pl-4": {"Not observed": None, "Sometimes": 2}},
        {"Q7": "culture"},
        "Local user",
    )
    imports.save_mapping(engine, LOCAL, school="Oak", framework=MINI, labels={"Often": 3}, columns={})
    assert imports.saved_mapping(engine, LOCAL, school="Oak", framework_id=MINI.id).labels == {"Often": 3}
    assert imports.saved_mapping(engine, LOCAL, school="Oak", framework_id="dps-driver-model") is None
    elm = Viewer("p@elm.org", "principal", frozenset({"Elm"}))
    with pytest.raises(AccessDenied):
        imports.saved_mapping(engine, elm, school="Oak", framework_id=MINI.id)


def test_a_merge_waits_for_an_import_into_the_school_it_removes_and_moves_those_answers_too(engine):
    """An import holds its school until it commits (FOR KEY SHARE); a merge locks both schools first, so it
    sees that import's new people and answers and moves them, instead of leaving them behind or failing."""
    import threading

    from pl_core.services.releases import publisher
    from pl_core.store import default_district
    from pl_core.store import save_import as store_import
    from pl_core.store.integrity import Misplaced, misplaced_answers

    upload(engine, "Aspen", [2] * 6, prefix="a")
    upload(engine, "Aspen Elementary", [4] * 6, file_name="second.csv", prefix="b")
    rows = "".join(f"c{i},teacher,3\n" for i in range(6))  # six people new to Aspen
    late = imports.check_upload(("respondent,role,Culture\n" + rows).encode(), "late.csv", MINI)
    written, go, errors, merged = threading.Event(), threading.Event(), [], []
    decide = publisher(MINI)

    def held_open(*args):  # the import's last step, inside its transaction: every row is written
        decide(*args)
        written.set()
        assert go.wait(30)

    def run(work):
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    importer = threading.Thread(target=run, args=(lambda: store_import(
        engine, late, school="Aspen", round=ROUND, framework=MINI, district=default_district(engine),
        publish=held_open),))  # fmt: skip
    importer.start()
    assert written.wait(30), errors
    merger = threading.Thread(target=run, args=(lambda: merged.append(
        manage.merge_schools(engine, LOCAL, "Aspen", "Aspen Elementary")),))  # fmt: skip
    merger.start()
    merger.join(1.0)
    assert merger.is_alive(), errors  # waiting for the import to commit
    go.set()
    importer.join(30)
    merger.join(30)
    assert errors == [] and merged == [1]
    assert catalog.list_schools(engine, LOCAL) == ["Aspen Elementary"]
    assert culture(engine, "Aspen Elementary") == (18, 3.0)  # 6 at 2, 6 at 4 and the late 6 at 3
    with engine.connect() as conn:
        assert misplaced_answers(conn) == Misplaced(0, 0, 0)


def test_a_merge_that_would_leave_answers_pointing_elsewhere_is_refused_with_nothing_changed(engine):
    """One of the source school's people answered in another school's import (written around the app): once
    merged they would belong to a third school. The merge's set-based check refuses, and nothing moves."""
    from sqlalchemy import func, select

    from pl_core.store import session_scope
    from pl_core.store.integrity import MisplacedAnswers
    from pl_core.store.models import ImportBatch, Respondent, Response, School

    upload(engine, "Aspen", [2] * 6, prefix="a")
    upload(engine, "Aspen Elementary", [4] * 6, file_name="second.csv", prefix="b")
    upload(engine, "Birch", [3] * 6, file_name="third.csv", prefix="z")
    with session_scope(engine) as session:
        birch = session.scalar(select(ImportBatch.id).join(School).where(School.name == "Birch"))
        a0 = session.scalar(select(Respondent.id).join(School).where(School.name == "Aspen").limit(1))
        session.execute(Response.__table__.insert().values(batch_id=birch, respondent_id=a0, item="culture", level=1))
    with pytest.raises(MisplacedAnswers) as refused:
        manage.merge_schools(engine, LOCAL, "Aspen", "Aspen Elementary")
    assert refused.value.found.other_school == 1
    assert "merging 'Aspen' into 'Aspen Elementary'" in str(refused.value)
    assert catalog.list_schools(engine, LOCAL) == ["Aspen", "Aspen Elementary", "Birch"]
    with session_scope(engine) as session:
        people = select(func.count()).select_from(Respondent).join(School).where(School.name == "Aspen")
        assert session.scalar(people) == 6
    assert culture(engine, "Aspen") == (6, 2.0)
