"""Generate the fictional sample district, deterministically, as the very files a principal would upload.

Run from the repository root: `.venv/bin/python sample_data/generate.py`
It rewrites `sample_data/uploads/*`, `sample_data/manifest.yaml` and `sample_data/workshops.yaml`.

The district: 7 schools (3 elementary, 2 middle, 2 high), 3 rounds, 15-60 staff each.
Patterns built in: foundational practices ahead of drivers, growth between rounds,
Cedar Elementary's leadership team rating itself well above its staff, a few staff
resubmitting a Google Form, some "Don't know" answers, and Harbor K-8 on the Pillars framework.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import numpy as np
import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from pl_core.frameworks import load_framework  # noqa: E402

ROUNDS = [
    ("Fall 2025", dt.datetime(2025, 10, 6)),
    ("Spring 2026", dt.datetime(2026, 3, 9)),
    ("Fall 2026", dt.datetime(2026, 10, 5)),
]
ROLES = ["Classroom teacher"] * 7 + ["Specialist", "Instructional coach", "Paraprofessional", "Administrator"]

# name, level, staff, framework, upload format, school strength offset, growth per round, leadership bias
SCHOOLS = [
    ("Aspen Elementary", "elementary", 34, "dps-driver-model", "google-forms", 0.15, 0.30, 0.2),
    ("Birch Elementary", "elementary", 22, "dps-driver-model", "template", -0.10, 0.20, 0.1),
    ("Cedar Elementary", "elementary", 28, "dps-driver-model", "microsoft-forms", -0.25, 0.15, 1.2),
    ("Dogwood Middle", "middle", 41, "dps-driver-model", "google-forms", 0.05, 0.25, 0.0),
    ("Elm Middle", "middle", 17, "dps-driver-model", "template", -0.30, 0.35, 0.3),
    ("Fir High", "high", 58, "dps-driver-model", "microsoft-forms", -0.20, 0.10, 0.2),
    ("Harbor K-8", "middle", 26, "pillars-of-pl", "google-forms", 0.00, 0.25, 0.2),
]
GRADE_BANDS = {"elementary": ["K-2", "3-5"], "middle": ["6-8"], "high": ["9-12"]}
COMMENTS = [
    "We need more planning time to build learner profiles.",
    "Goal-setting conferences are working well in 4th grade.",
    "Flexible seating helped, but the schedule is still very rigid.",
    "I'd like coaching on how to hand more choice to learners.",
    "Our team norms have made a real difference this year.",
    "Technology is uneven across classrooms.",
    "Not sure how competency-based progression fits our grading policy.",
]
NOT_SURE = "Don't know"


ITEM_OFFSETS = {  # fixed per-item strengths and weaknesses, so charts show believable variety
    "relationships": 0.45,
    "culture": 0.30,
    "mindset": 0.10,
    "metacognition": -0.25,
    "learner-profile-data": 0.10,
    "goal-setting-progress-monitoring": 0.25,
    "learner-as-lead": -0.15,
    "learner-collaboration": 0.35,
    "strategic-space": 0.40,
    "strategic-tech": 0.30,
    "strategic-time": -0.40,
    "strategic-community": -0.30,
    "competency-based-progression": -0.45,
    "demonstration-of-learning": 0.0,
    "learner-supports": 0.35,
    "flexible-grouping": 0.20,
    "culture-of-continuous-improvement": 0.0,
    "goal-setting": 0.15,
    "learner-centered-instruction": -0.20,
    "district-commitments": 0.45,
    "learner-voice": -0.10,
    "evidence-of-learning": -0.30,
}


def staff_levels(rng, framework, school, round_index, staff):
    """Matrix staff x items of levels (0 = don't know)."""
    _, _, _, _, _, offset, growth, _ = school
    means = []
    for item in framework.items:
        base = (
            2.55 if item.domain == "foundational-practices" else (1.85 if framework.id == "dps-driver-model" else 2.1)
        )
        means.append(base + offset + growth * round_index + ITEM_OFFSETS.get(item.id, 0.0))
    means = np.array(means)
    person = rng.normal(0, 0.35, size=(staff, 1))
    noise = rng.normal(0, 0.55, size=(staff, len(means)))
    levels = np.clip(np.rint(means[None, :] + person + noise), 1, 4).astype(int)
    levels[rng.random(levels.shape) < 0.03] = 0
    return levels, means


def label_for(item, level: int, style: str) -> str:
    if level == 0:
        return NOT_SURE
    lv = item.scale.level(level)
    if style == "numbered":
        return f"{level} - {lv.label}"
    return lv.label


def people(rng, school, staff):
    name, level = school[0], school[1]
    bands = GRADE_BANDS[level]
    first = [
        "Alex",
        "Sam",
        "Jordan",
        "Taylor",
        "Morgan",
        "Casey",
        "Riley",
        "Jamie",
        "Avery",
        "Quinn",
        "Rowan",
        "Skyler",
        "Dakota",
        "Reese",
        "Emerson",
        "Finley",
        "Harper",
        "Hayden",
        "Kendall",
        "Logan",
    ]
    last = [
        "Garcia",
        "Nguyen",
        "Smith",
        "Patel",
        "Johnson",
        "Kim",
        "Lopez",
        "Brown",
        "Okafor",
        "Chen",
        "Martin",
        "Silva",
        "Davis",
        "Haddad",
        "Novak",
        "Reyes",
        "Walker",
        "Ito",
        "Moreno",
        "Olsen",
    ]
    domain = name.split()[0].lower() + ".example.org"
    out = []
    for i in range(staff):
        fn, ln = first[i % len(first)], last[(i * 7 + len(name)) % len(last)]
        out.append(
            {
                "name": f"{fn} {ln}",
                "email": f"{fn.lower()}.{ln.lower()}{i}@{domain}",
                "role": ROLES[int(rng.integers(len(ROLES)))],
                "grade_band": bands[int(rng.integers(len(bands)))],
            }
        )
    return out


def school_hours(rng, when: dt.datetime) -> dt.datetime:
    """A moment during the survey week's school hours (7:00-18:00)."""
    return when + dt.timedelta(days=int(rng.integers(0, 5)), minutes=7 * 60 + int(rng.integers(0, 11 * 60)))


def write_google_forms(path, framework, staff_rows, levels, when, rng):
    found = [i for i in framework.items if i.domain == "foundational-practices"]
    others = [i for i in framework.items if i.domain != "foundational-practices"]
    grids = []
    if found:
        grids.append(("Where is our school on each foundational practice?", found, "plain"))
    title = (
        "Where is our school on each driver?"
        if framework.id == "dps-driver-model"
        else "Where is our school on each pillar?"
    )
    grids.append((title, others, "numbered"))
    header = ["Timestamp", "Email Address", "Your role", "Grade band you teach"]
    for question, items, _ in grids:
        header += [f"{question} [{item.name}]" for item in items]
    header.append("Anything else you would like to share?")
    rows = []
    for s, person in enumerate(staff_rows):
        stamp = school_hours(rng, when)
        row = [stamp.strftime("%Y/%m/%d %-I:%M:%S %p GMT-6"), person["email"], person["role"], person["grade_band"]]
        for _, items, style in grids:
            for item in items:
                row.append(label_for(item, int(levels[s, framework.item_ids.index(item.id)]), style))
        row.append(COMMENTS[s % len(COMMENTS)] if rng.random() < 0.15 else "")
        rows.append((stamp, row))
    # two people resubmit a day later after changing their mind on one item; the later one must win
    for s in (1, 4):
        stamp, row = rows[s]
        again = list(row)
        again[0] = (stamp + dt.timedelta(days=1)).strftime("%Y/%m/%d %-I:%M:%S %p GMT-6")
        rows.append((stamp + dt.timedelta(days=1), again))
    rows.sort(key=lambda r: (r[0], r[1][1]))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(r for _, r in rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def write_microsoft_forms(path, framework, staff_rows, levels, when, rng):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Role", "Grade band"]
    header += [item.name for item in framework.items]
    header.append("Comments")
    ws.append(header)
    for s, person in enumerate(staff_rows):
        start = school_hours(rng, when)
        anonymous = rng.random() < 0.2
        row = [
            s + 1,
            start,
            start + dt.timedelta(minutes=int(rng.integers(4, 20))),
            "anonymous" if anonymous else person["email"],
            "" if anonymous else person["name"],
            person["role"],
            person["grade_band"],
        ]
        row += [label_for(item, int(levels[s, i]), "plain") for i, item in enumerate(framework.items)]
        row.append(COMMENTS[(s + 3) % len(COMMENTS)] if rng.random() < 0.12 else "")
        ws.append(row)
    fixed = dt.datetime(2026, 11, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(path)


def write_template(path, framework, staff_rows, levels, rng):
    header = ["respondent", "role", "grade_band", *framework.item_ids]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for s, person in enumerate(staff_rows):
        values = [str(v) if v else "N/A" for v in levels[s]]
        writer.writerow([f"staff-{s + 1:03d}", person["role"], person["grade_band"], *values])
    path.write_text(buf.getvalue(), encoding="utf-8")


def leadership_votes(rng, framework, means, bias, team):
    """Votes of a leadership team per item (half-steps allowed) and the consensus they record."""
    items = []
    for i, item in enumerate(framework.items):
        centre = float(np.clip(means[i] + bias, 1, 4))
        votes = [float(np.clip(np.round((centre + rng.normal(0, 0.45)) * 2) / 2, 1, 4)) for _ in team]
        consensus = float(np.clip(np.round(np.median(votes) * 2) / 2, 1, 4))
        items.append({"item": item.id, "votes": dict(zip(team, votes, strict=True)), "consensus": consensus})
    return items


def main() -> None:
    uploads = ROOT / "uploads"
    uploads.mkdir(exist_ok=True)
    for old in uploads.iterdir():
        old.unlink()
    manifest, workshops = [], []
    for s_index, school in enumerate(SCHOOLS):
        name, level, staff, framework_id, fmt, *_ = school
        framework = load_framework(framework_id)
        rng = np.random.default_rng(1000 + s_index)
        everyone = people(rng, school, staff + 6)
        team = ["Principal", "Coach"] + [f"Teacher {c}" for c in "ABCDE"[: 3 + s_index % 3]]
        for r_index, (round_name, when) in enumerate(ROUNDS):
            # staff turn over a little between rounds; most stay
            present = everyone[r_index * 2 : r_index * 2 + staff]
            levels, means = staff_levels(rng, framework, school, r_index, len(present))
            slug = name.lower().replace(" ", "-")
            stem = f"{slug}-{round_name.lower().replace(' ', '-')}"
            if fmt == "google-forms":
                file = uploads / f"{stem}-google-forms.csv"
                write_google_forms(file, framework, present, levels, when, rng)
            elif fmt == "microsoft-forms":
                file = uploads / f"{stem}-microsoft-forms.xlsx"
                write_microsoft_forms(file, framework, present, levels, when, rng)
            else:
                file = uploads / f"{stem}-template.csv"
                write_template(file, framework, present, levels, rng)
            manifest.append(
                {
                    "school": name,
                    "school_level": level,
                    "round": round_name,
                    "framework": framework_id,
                    "file": f"uploads/{file.name}",
                    "format": fmt,
                }
            )
            workshops.append(
                {
                    "school": name,
                    "round": round_name,
                    "framework": framework_id,
                    "held_on": (when + dt.timedelta(days=14)).date().isoformat(),
                    "participants": team,
                    "items": leadership_votes(rng, framework, means, school[7], team),
                }
            )
    header = "# Generated by sample_data/generate.py; do not edit by hand.\n"
    (ROOT / "manifest.yaml").write_text(
        header + yaml.safe_dump({"district": "Riverbend School District", "uploads": manifest}, sort_keys=False)
    )
    (ROOT / "workshops.yaml").write_text(header + yaml.safe_dump({"workshops": workshops}, sort_keys=False))
    print(f"wrote {len(manifest)} uploads and {len(workshops)} workshops")


if __name__ == "__main__":
    main()
