"""CSV files read as the spreadsheet of their language reads them.

German Excel opens a ``.csv`` with ";" between cells and takes the text as UTF-8 only
when the file starts with a byte order mark; English spreadsheets split on ",". The
exports promise exactly that (ktmsc/export.py), so the tests read them the same way.
"""

from __future__ import annotations

import csv
import io

from ktmsc.export import BOM, CSV_DELIMITERS, csv_header


def read_rows(text: str, lang: str) -> list[list[str]]:
    """Every row of ``text`` as ``lang``'s spreadsheet splits it (the byte order mark is required)."""
    assert text.startswith(BOM), "no UTF-8 byte order mark: Excel would show „für“ as „fÃ¼r“"
    return list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=CSV_DELIMITERS[lang]))


def read_records(text: str, lang: str, columns: list) -> list[dict[str, str]]:
    """The body rows keyed by column id, after checking that the header is ``columns`` in ``lang``."""
    header, *body = read_rows(text, lang)
    assert header == csv_header(columns, lang)
    names = [c if isinstance(c, str) else c[0] for c in columns]
    return [dict(zip(names, row, strict=True)) for row in body]
