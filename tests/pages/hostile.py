"""A district whose every typed or uploaded string is hostile Markdown or HTML, for the plain-text tests.

Each string tries a different way to make a browser fetch from, or link to, the trap address (nothing listens
on 127.0.0.1:9), or to format text: Markdown images and links, raw HTML, bare URLs, `www.` and email autolinks,
Streamlit's colour and icon directives, LaTeX and plotly's tags. Every one is a valid name (checked on entry):
the point is that it is shown as the text it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

TRAP = "127.0.0.1:9"
FRAMEWORKS = Path(__file__).resolve().parents[2] / "frameworks"
HOSTILE_FRAMEWORK = "hostile-model"

SCHOOL = "Aspen ![s](http://127.0.0.1:9/school.png) <b>B0LD</b>"  # first alphabetically: the default school
SCHOOL_2 = "Birch [l](http://127.0.0.1:9/s2) www.evil.example"
SCHOOL_3 = "Cedar <img src=http://127.0.0.1:9/c.png> :red[RED]"
ROUND_1 = "Fall 2026 <a href=http://127.0.0.1:9/r>R</a>"
ROUND_2 = "Winter ![t](http://127.0.0.1:9/x)"  # the example; newest, so every page's default round
ROLES = ("Teacher [r](http://127.0.0.1:9/role)", "Coach <b>B0LD</b> http://127.0.0.1:9/bare-role")
GRADE_BANDS = ("K-2 ![g](http://127.0.0.1:9/g.png)", "3-5 <i>it</i> ada@evil.example")
COMMENT = "![c](http://127.0.0.1:9/c.png) see www.evil.example or http://127.0.0.1:9/bare, mail ada@evil.example"
GOAL_TITLE = "Grow <a href='http://127.0.0.1:9/gt'>T</a> <b>B0LD</b> ![i](http://127.0.0.1:9/gt.png)"
GOAL_OWNER = "Ms. [O](http://127.0.0.1:9/owner) :material/home: $x^2$"
MILESTONE = "Walk ![m](http://127.0.0.1:9/m.png) <script>alert(1)</script> <b>B0LD</b>"
STATEMENT = "We <img src=http://127.0.0.1:9/st.png> will https://127.0.0.1:9/st"
PARTICIPANT = "Pat ![p](http://127.0.0.1:9/p.png) <b>B0LD</b>"
RATIONALE = "[why](http://127.0.0.1:9/why) :red[RED] <b>B0LD</b>"
EVIDENCE = "<img src=x onerror=alert(1)> www.evil.example"
FILE_NAME = "staff ![f](http://127.0.0.1:9/f.png) <b>B0LD</b>.csv"
FACILITATOR = "Fay [f](http://127.0.0.1:9/fac)"
FRAMEWORK_TEXT = "![fw](http://127.0.0.1:9/fw.png) <b>B0LD</b> www.evil.example"

SCHOOLS = (SCHOOL, SCHOOL_2, SCHOOL_3)
ROUNDS = (ROUND_1, ROUND_2)
EVERY_STRING = (
    *SCHOOLS,
    *ROUNDS,
    *ROLES,
    *GRADE_BANDS,
    COMMENT,
    GOAL_TITLE,
    GOAL_OWNER,
    MILESTONE,
    STATEMENT,
    PARTICIPANT,
    RATIONALE,
    EVIDENCE,
    FILE_NAME,
    FACILITATOR,
    FRAMEWORK_TEXT,
)


@dataclass(frozen=True)
class HostileDistrict:
    db: Path
    data_dir: Path
    frameworks_dir: Path
    open_code: str  # a workshop still open in the newest round, with a hostile participant


def hostile_framework(folder: Path) -> Path:
    """A copy of the DPS Driver Model under another id whose names, descriptors and steps carry Markdown and HTML."""
    doc = yaml.safe_load((FRAMEWORKS / "dps-driver-model.yaml").read_text(encoding="utf-8"))
    doc["id"] = HOSTILE_FRAMEWORK
    doc["name"] = f"Hostile model {FRAMEWORK_TEXT}"
    doc["short_name"] = "Hostile <b>B0LD</b>"
    doc["description"] = FRAMEWORK_TEXT
    for scale in doc["scales"]:
        scale["levels"][0]["label"] = f"Begin {FRAMEWORK_TEXT}"[:80]
        scale["levels"][0]["description"] = FRAMEWORK_TEXT
    for domain in doc["domains"]:
        domain["name"] = f"{domain['name']} <b>B0LD</b> [d](http://127.0.0.1:9/dom)"
        for group in domain.get("groups", []):
            group["name"] = f"{group['name']} <i>it</i>"
        items = domain.get("items", []) + [i for g in domain.get("groups", []) for i in g["items"]]
        for item in items:
            item["name"] = f"{item['name']} ![n](http://127.0.0.1:9/item.png) <b>B0LD</b>"
            item["definition"] = FRAMEWORK_TEXT
            for level in item.get("levels", []):
                if level.get("descriptors"):
                    level["descriptors"][0] = FRAMEWORK_TEXT
            for move in item.get("next_steps", []):
                if move.get("steps"):
                    move["steps"][0] = f"Step {FRAMEWORK_TEXT}"
                move["label"] = "Move <b>B0LD</b> [m](http://127.0.0.1:9/move)"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{HOSTILE_FRAMEWORK}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def staff_file(framework, seed: int, people: int = 12) -> bytes:
    """A template CSV: two hostile roles and grade bands of six people each, and one hostile comment."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent", "role", "grade_band", *framework.item_ids, "Comments"])
    for p in range(people):
        levels = [1 + (p + i + seed) % 4 for i in range(len(framework.item_ids))]
        writer.writerow([f"s{seed}-{p}", ROLES[p % 2], GRADE_BANDS[p // 6 % 2], *levels, COMMENT if p == 0 else ""])
    return out.getvalue().encode("utf-8")


def build_hostile_district(folder: Path) -> HostileDistrict:
    """The hostile district in `folder` (database, data folder with the secret, extra frameworks folder)."""
    import os

    from pl_core.domain.goals import Goal, Milestone
    from pl_core.frameworks import load_framework
    from pl_core.services import goals, imports
    from pl_core.services import workshops as ws
    from pl_core.services.access import LOCAL
    from pl_core.store import make_engine, upgrade

    db, data_dir, fw_dir = folder / "hostile.db", folder / "data", folder / "frameworks"
    path = hostile_framework(fw_dir)
    saved = {k: os.environ.get(k) for k in ("PL_DATA_DIR", "PL_FRAMEWORKS_PATH")}
    os.environ["PL_DATA_DIR"] = str(data_dir)
    os.environ["PL_FRAMEWORKS_PATH"] = str(fw_dir)
    engine = make_engine(f"sqlite:///{db}")
    try:
        upgrade(engine)
        frameworks = [load_framework("dps-driver-model"), load_framework(str(path))]
        for f, fw in enumerate(frameworks):
            for s, school in enumerate(SCHOOLS):
                for r, round_name in enumerate(ROUNDS):
                    parsed = imports.check_upload(staff_file(fw, seed=s + r + f), FILE_NAME, fw)
                    assert parsed.report.valid, parsed.report.summary()
                    imports.save_import(engine, LOCAL, parsed, school=school, round=round_name, framework=fw)
        for fw in frameworks:
            ws.import_workshop(
                engine,
                LOCAL,
                school=SCHOOL,
                round=ROUND_2,
                framework=fw,
                held_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                votes={PARTICIPANT: {i: 2.0 for i in fw.item_ids[:4]}},
                consensus={i: 3.0 for i in fw.item_ids[:4]},
                facilitator=FACILITATOR,
                notes={fw.item_ids[0]: (RATIONALE, EVIDENCE)},  # a closed workshop is read-only afterwards
            )
            start = dt.date(2026, 9, 1)
            goals.save_goal(
                engine,
                LOCAL,
                Goal(
                    school=SCHOOL,
                    framework_id=fw.id,
                    item_id=fw.item_ids[1],
                    baseline_level=2.0,
                    target_level=3.5,
                    start_date=start,
                    target_date=dt.date(2027, 6, 1),
                    owner=GOAL_OWNER,
                    title=GOAL_TITLE,
                    statement=STATEMENT,
                    milestones=(Milestone(dt.date(2026, 10, 1), MILESTONE), Milestone(dt.date(2027, 3, 1), MILESTONE)),
                    baseline_round=ROUND_1,
                ),
                fw,
            )
        live = ws.open_workshop(
            engine, LOCAL, school=SCHOOL, round=ROUND_2, framework=frameworks[0], facilitator=FACILITATOR
        )
        joined = ws.join(engine, live.code, PARTICIPANT, session="builder")
        other = ws.join(engine, live.code, "Second member", session="builder-2")  # a reveal needs two votes
        for item in frameworks[0].item_ids[:3]:
            ws.submit_vote(engine, joined.token, item, 2.5, EVIDENCE)
            ws.submit_vote(engine, other.token, item, 3.0, "")
            ws.reveal(engine, LOCAL, live.id, item)
        ws.record_consensus(engine, LOCAL, live.id, frameworks[0].item_ids[0], 3.0, RATIONALE, EVIDENCE)
        imports.set_expected_staff(engine, LOCAL, school=SCHOOL, round=ROUND_2, count=14)
    finally:
        engine.dispose()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return HostileDistrict(db, data_dir, fw_dir, live.code)


if __name__ == "__main__":  # build one by hand to look at: python tests/pages/hostile.py /tmp/folder
    import sys

    target = Path(sys.argv[1])
    shutil.rmtree(target, ignore_errors=True)
    built = build_hostile_district(target)
    print(built)
