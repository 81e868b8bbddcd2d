"""Character fixes and re-flow of column-broken lines (placeholder: one line a paragraph)."""

from __future__ import annotations

from .models import CleanText


def clean_text(text: str, *, doc_id: str = "") -> CleanText:
    """Return the cleaned text of ``text`` (placeholder: drops blank lines only)."""
    out: list[str] = []
    line_starts: list[tuple[int, int]] = []
    offset = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if out:
            offset += 1
        line_starts.append((offset, number))
        out.append(line)
        offset += len(line)
    return CleanText(doc_id=doc_id, text="\n".join(out), line_starts=line_starts)
