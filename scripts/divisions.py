#!/usr/bin/env python3
"""Writes src/findings/divisions.txt, the gazetteer behind the foreign_name finding, from a checkout
of modood/Administrative-divisions-of-China (WTFPL; 国家统计局 统计用区划代码, data as of
2022-10-31): its dist/provinces.csv, cities.csv, areas.csv and streets.csv.

    python3 scripts/divisions.py PATH/TO/Administrative-divisions-of-China > src/findings/divisions.txt

One line per province, prefecture and county: `code<TAB>name`, counties with a third field, their
townships (镇, 乡, 街道, 苏木, and Beijing's 地区) separated by spaces. A township's code is its
county's code and its place in that list, so only names are shipped. Pseudo-divisions
(市辖区, 县, 省直辖县级行政区划) and township-level units that are not places (农场, 监狱, 管委会)
are left out.
"""
import csv
import sys
from pathlib import Path

PSEUDO = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
COUNTY_ENDS = ("县", "区", "市", "旗")
TOWNSHIP_ENDS = ("镇", "乡", "街道", "苏木", "地区")


def rows(root, name):
    with open(Path(root) / "dist" / f"{name}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main(root):
    out = sys.stdout
    out.write("# China's administrative divisions to township level: 国家统计局 统计用区划代码 (2022-10-31),\n")
    out.write("# via github.com/modood/Administrative-divisions-of-China (WTFPL), made by scripts/divisions.py.\n")
    towns = {}
    for r in rows(root, "streets"):
        if r["name"].endswith(TOWNSHIP_ENDS):
            towns.setdefault(r["areaCode"], []).append((r["code"], r["name"]))
    lines = []
    for r in rows(root, "provinces"):
        lines.append((r["code"], r["name"], None))
    for r in rows(root, "cities"):
        if r["name"] not in PSEUDO:
            lines.append((r["code"], r["name"], None))
    for r in rows(root, "areas"):
        if r["name"] not in PSEUDO and r["name"].endswith(COUNTY_ENDS):
            names = [n for _, n in sorted(towns.get(r["code"], []))]
            lines.append((r["code"], r["name"], names))
    for code, name, names in sorted(lines):
        assert " " not in name and "\t" not in name, name
        out.write(f"{code}\t{name}" + ("" if names is None else "\t" + " ".join(names)) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
