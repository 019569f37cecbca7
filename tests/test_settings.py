"""Settings: the respondent-key secret is made once, atomically, and is never empty."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pl_core import settings

ROOT = Path(__file__).resolve().parents[1]

# Each trial forks N processes that have only imported pl_core.settings; they wait on one pipe, so they all ask
# for the secret of a fresh data folder at the same moment, and each writes back what it got.
RACE = r"""
import json, os, sys, tempfile
from pl_core import settings

def trial(folder, n):
    os.environ["PL_DATA_DIR"] = folder
    go_r, go_w = os.pipe()
    children = []
    for _ in range(n):
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(go_w)
            os.close(out_r)
            os.read(go_r, 1)  # end of file once the parent closes its end: every child starts at once
            try:
                text = settings.respondent_secret().decode()
            except Exception as exc:
                text = f"ERROR {type(exc).__name__}: {exc}"
            os.write(out_w, text.encode())
            os._exit(0)
        os.close(out_w)
        children.append((pid, out_r))
    os.close(go_r)
    os.close(go_w)
    got = []
    for pid, out_r in children:
        chunks = []
        while chunk := os.read(out_r, 4096):
            chunks.append(chunk)
        os.close(out_r)
        os.waitpid(pid, 0)
        got.append(b"".join(chunks).decode())
    return {"secrets": got, "files": sorted(os.listdir(folder))}

root, trials, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.environ.pop("PL_RESPONDENT_SECRET", None)
print(json.dumps([trial(tempfile.mkdtemp(dir=root), n) for _ in range(trials)]))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the race is staged with os.fork (POSIX)")
def test_eight_processes_starting_at_once_all_get_the_same_non_empty_secret(tmp_path):
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "PL_RESPONDENT_SECRET"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", RACE, str(tmp_path), "60", "8"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    trials = json.loads(done.stdout)
    elapsed = time.monotonic() - started

    assert len(trials) == 60 and all(len(t["secrets"]) == 8 for t in trials)
    bad = [t["secrets"] for t in trials if len(set(t["secrets"])) != 1 or not t["secrets"][0]]
    assert bad == [], f"{len(bad)} of 60 trials gave an empty or disagreeing secret, e.g. {bad[0]}"
    assert all(len(t["secrets"][0]) == 64 for t in trials)
    assert len({t["secrets"][0] for t in trials}) == 60  # a fresh random secret per install
    assert all(t["files"] == ["respondent.key"] for t in trials)  # no temporary file left behind
    assert elapsed < 30, f"the race took {elapsed:.1f} s"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PL_RESPONDENT_SECRET", raising=False)
    return tmp_path


def test_a_new_secret_is_written_whole_with_mode_0600_and_read_back(data_dir):
    secret = settings.respondent_secret()
    key = data_dir / "respondent.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().strip().encode() == secret and len(secret) == 64
    assert settings.respondent_secret() == secret
    assert sorted(p.name for p in data_dir.iterdir()) == ["respondent.key"]


@pytest.mark.parametrize("content", ["", "\n", "   \n", "0123456789abcdef"])
def test_an_empty_or_short_key_file_is_an_error_never_an_empty_secret(data_dir, content):
    key = data_dir / "respondent.key"
    key.write_text(content)
    with pytest.raises(settings.SettingError, match="respondent-key secret .* (empty|only 16 characters)"):
        settings.respondent_secret()
    assert key.read_text() == content  # left for the administrator to restore, never silently replaced


def test_an_existing_secret_is_kept(data_dir):
    (data_dir / "respondent.key").write_text("a" * 64 + "\n")
    assert settings.respondent_secret() == b"a" * 64


def test_a_configured_secret_wins_and_must_not_be_short(data_dir, monkeypatch):
    monkeypatch.setenv("PL_RESPONDENT_SECRET", "x" * 40)
    assert settings.respondent_secret() == b"x" * 40
    assert not (data_dir / "respondent.key").exists()
    monkeypatch.setenv("PL_RESPONDENT_SECRET", "short")
    with pytest.raises(settings.SettingError, match="PL_RESPONDENT_SECRET is 5 characters"):
        settings.respondent_secret()


def test_the_command_line_says_the_key_file_is_empty_in_one_line(data_dir, capsys):
    from pl_core.cli import main

    (data_dir / "respondent.key").write_text("")
    upload = ROOT / "sample_data" / "uploads" / "birch-elementary-fall-2025-template.csv"
    db = f"sqlite:///{data_dir / 'pl.db'}"
    code = main(["import", str(upload), "--school", "Birch", "--round", "Fall 2025", "--db", db])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: the respondent-key secret") and "is empty" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
