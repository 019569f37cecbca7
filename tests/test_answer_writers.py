"""Every writer of stored answers checks what it wrote (store.integrity), and no new one appears unnoticed.

`responses` has no foreign keys (migration 0007): the import, the merge of two schools and the sample district
builder each check their answers as a set before they commit. A module that starts to read or write answers must
be added below, as a reader or as a writer that makes the check; until it is, this test fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITERS = {"pl_core/store/imports.py", "pl_core/store/schools.py", "pl_core/fixtures/bigsample.py"}
READERS = {"pl_core/store/publications.py", "pl_core/store/queries.py", "pl_core/store/counts.py",
           "pl_core/store/integrity.py"}  # fmt: skip
RAW_SQL = re.compile(r"\b(?:INTO|UPDATE|FROM|COPY)\s+\"?responses\b", re.IGNORECASE)
WRITES = re.compile(r"(?:insert|update|delete)\(\s*Response\b|Response\.__table__\.(?:insert|update|delete)|"
                    r"INTO\s+\"?responses|UPDATE\s+\"?responses|COPY\s+\"?responses", re.IGNORECASE)  # fmt: skip


def imports_response_model(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("models"):
            if any(alias.name == "Response" for alias in node.names):
                return True
    return False


def touching() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "pl_core").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if imports_response_model(source) or RAW_SQL.search(source):
            found[path.relative_to(ROOT).as_posix()] = source
    return found


def test_every_module_that_touches_stored_answers_is_a_known_reader_or_writer():
    assert set(touching()) == WRITERS | READERS


def test_each_writer_checks_the_answers_it_wrote_and_no_reader_writes():
    sources = touching()
    assert [p for p in sorted(WRITERS) if "check_answers(" not in sources[p]] == []
    assert [p for p in sorted(READERS) if WRITES.search(sources[p])] == []
