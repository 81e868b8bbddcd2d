"""What the user says about documents: ``extract run --meta FILE.csv``.

The file has the columns ``doc_id``, ``place`` and ``date`` (either of the last two may be
empty); each row becomes a ``DocumentMeta``. A row is checked when it is read: its place
must be a division ``places.division_named`` knows, or 全国, and its date an ISO date
(``2026-01-27``), year-month (``2026-01``) or year (``2026``). ``check_doc_ids`` then
checks that every row names an input file. Every problem is a ``MetaError`` naming the
file and the row (the header is row 1), raised before any file is extracted.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path

from .models import DocumentMeta

#: The columns of a meta file, in any order; other columns are ignored.
META_COLUMNS = ("doc_id", "place", "date")


class MetaError(ValueError):
    """A meta file cannot be used; the message names the file, the row and the fix."""


def read_meta(path: Path) -> dict[str, DocumentMeta]:
    """Return doc_id → ``DocumentMeta`` of the rows of the CSV file at ``path``.

    Raises ``MetaError`` for a file that cannot be read, a missing column, an empty or
    repeated doc_id, an unknown place or a bad date.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MetaError(f"{path}: not UTF-8; save the file as UTF-8 CSV") from None
    except OSError as error:
        raise MetaError(f"{path}: cannot read it ({error.strerror})") from None
    rows = csv.DictReader(text.splitlines())
    missing = [column for column in META_COLUMNS if column not in (rows.fieldnames or [])]
    if missing:
        raise MetaError(
            f"{path}: no column {missing[0]!r}; the first row must name the columns "
            f"{', '.join(META_COLUMNS)}"
        )
    meta: dict[str, DocumentMeta] = {}
    for number, row in enumerate(rows, start=2):
        where = f"{path} row {number}"
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            raise MetaError(f"{where}: empty doc_id; name the input file's doc_id")
        if doc_id in meta:
            raise MetaError(f"{where}: doc_id {doc_id!r} again ({meta[doc_id].origin}); "
                            "keep one row per document")
        meta[doc_id] = meta_row(row.get("place"), row.get("date"), origin=where)
    return meta


def meta_row(place: str | None, date: str | None, *, origin: str = "meta") -> DocumentMeta:
    """Return the ``DocumentMeta`` of one row, its place named in full.

    >>> meta_row("江西", "2026-01-27")
    DocumentMeta(place='江西省', place_code='360000', date='2026-01-27', origin='meta')

    Raises ``MetaError`` (naming ``origin``) for an unknown place or a bad date.
    """
    from .places import COUNTRY, division_named

    place = (place or "").strip() or None
    code = None
    if place is not None and place != COUNTRY:
        division = division_named(place)
        if division is None:
            raise MetaError(
                f"{origin}: place {place!r} is not a known division (GB/T 2260) or 全国; "
                "write its full name, such as 江西省 or 桂林市"
            )
        place, code = division.name, division.code
    date = (date or "").strip() or None
    if date is not None and not is_iso_date(date):
        raise MetaError(
            f"{origin}: date {date!r} is not an ISO date; write 2026-01-27, 2026-01 or 2026"
        )
    return DocumentMeta(place=place, place_code=code, date=date, origin=origin)


def is_iso_date(text: str) -> bool:
    """Return whether ``text`` is an ISO 8601 date, year-month or year.

    >>> [is_iso_date(t) for t in ("2026", "2026-01", "2026-01-27", "2026-13", "26")]
    [True, True, True, False, False]
    """
    for form in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            parsed = datetime.datetime.strptime(text, form)
        except ValueError:
            continue
        return parsed.strftime(form) == text  # 2026-1-5 parses, but is not ISO
    return False


def check_doc_ids(meta: Mapping[str, DocumentMeta], doc_ids: Iterable[str]) -> None:
    """Raise ``MetaError`` for the first row of ``meta`` that names no input document."""
    known = set(doc_ids)
    for doc_id, row in meta.items():
        if doc_id not in known:
            raise MetaError(
                f"{row.origin}: doc_id {doc_id!r} names no input file; a doc_id is the "
                "file's path under INPUT_DIR without .txt (see manifest.json)"
            )


def as_meta(meta: Mapping[str, DocumentMeta | tuple[str | None, str | None]]
            ) -> dict[str, DocumentMeta]:
    """Return ``meta`` with every (place, date) pair checked and made a ``DocumentMeta``."""
    return {
        doc_id: value if isinstance(value, DocumentMeta) else meta_row(
            value[0], value[1], origin=f"meta[{doc_id!r}]")
        for doc_id, value in meta.items()
    }
