"""Google Forms' own CSV download (Responses -> Download responses (.csv)).

Layout, from public exports: row 1 is `Timestamp`, then `Email Address` (or `Email address`) when the form
collects emails, or `Username` when it is restricted to a Google Workspace domain and records the
signed-in account (e.g. "Timestamp","Username",...,"Email address" in an Arizona State University class
survey on GitHub), or `Score` for a quiz; then one column per question, and one per row of a grid question,
headed `Question [Row]`. Timestamps are year first with the form's time zone: `2022/06/22 11:07:29 AM AST`,
`2022/10/17 6:31:58 PM EST`, `2024/09/10 8:00:05 AM GMT-6`. A checkbox grid joins ticked choices with ";".
"""

from __future__ import annotations

import re

from ..canonical import CanonicalTable, headed_columns
from ..grid import Grid
from ..levels import normalise
from .base import QUIZ, assigner, field

ID = "google-forms"
LABEL = "a Google Forms export"

# Google writes these headers in the form owner's language.
TIMESTAMP_HEADERS = frozenset(
    {
        "timestamp",
        "marcatemporal",
        "horodateur",
        "zeitstempel",
        "carimbodedatahora",
        "tijdstempel",
        "informazionicronologiche",
    }
)
KNOWN = {
    **{h: field("timestamp") for h in TIMESTAMP_HEADERS},
    "emailaddress": field("email"),
    "email": field("email"),
    "direcciondecorreoelectronico": field("email"),
    "adressee-mail": field("email"),
    "emailadresse": field("email"),
    "enderecodeemail": field("email"),
    "username": field("username"),
    "nombredeusuario": field("username"),
    "nomdutilisateur": field("username"),
    "score": QUIZ,
    "puntuacion": QUIZ,
}
KNOWN = {normalise(k): v for k, v in KNOWN.items()}
# "2024/09/10 8:00:05 AM GMT-6", "2022/06/22 11:07:29 AM AST", "2024/09/10 20:00:05 GMT+2"
FORMS_STAMP = re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2}(?: ?[AaPp]\.? ?[Mm]\.?)? ?(?:GMT|UTC|[A-Z]{2,5})")
IDENTITY_ORDER = ("username", "email", "name", "respondent")
_PROBE_ROWS = 50


def timestamp_column(grid: Grid) -> int | None:
    """Position of the Timestamp column, if the first header row has one."""
    for pos, cell in enumerate(grid.row(0)):
        if normalise(cell) in TIMESTAMP_HEADERS:
            return pos
    return None


def forms_stamps(grid: Grid, pos: int) -> bool:
    """Most timestamps in the column are in the Forms CSV's own year-first, time-zoned form."""
    texts = [str(v).strip() for v in grid.cells[pos].iloc[1 : 1 + _PROBE_ROWS]]
    texts = [t for t in texts if t]
    return bool(texts) and sum(1 for t in texts if FORMS_STAMP.match(t)) >= 0.8 * len(texts)


def detect(grid: Grid) -> int:
    pos = timestamp_column(grid)
    if pos is None or grid.kind != "csv":
        return 0
    return 85 if forms_stamps(grid, pos) else 0


def read(grid: Grid, source_id: str = ID, label: str = LABEL) -> CanonicalTable:
    columns, rows = headed_columns(grid, grid.row(0), 1, assigner(KNOWN))
    return CanonicalTable(
        source_id, label, source_id, columns, rows, identity_order=IDENTITY_ORDER, time_order=("timestamp",)
    )
