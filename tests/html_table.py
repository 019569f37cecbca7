"""Read an HTML table the way a screen reader walks it: header cells with their scope, then each row's cells."""

from __future__ import annotations

from html.parser import HTMLParser


class Table(HTMLParser):
    """Header cells with their scope, and each body row's cells, from rendered HTML."""

    def __init__(self):
        super().__init__()
        self.headers: list[tuple[str, str]] = []
        self.rows: list[list[tuple[str, str]]] = []
        self._cell: list | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = [tag, attrs.get("scope") or attrs.get("class", ""), ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            kind, extra, text = self._cell
            text = text.replace("\u00ad", "")
            if self._in_body:
                self.rows[-1].append((extra if kind == "td" else "row", text))
            else:
                self.headers.append((extra, text))
            self._cell = None


def read_table(html: str) -> Table:
    table = Table()
    table.feed(html)
    return table
