#!/usr/bin/env python3
"""Converts the extra English NER corpora (../shared/data/ner-extra-english: wikigold, CoNLL-2003 style with IOB1
tags and PER/ORG/LOC/MISC; the Broad Twitter Corpus, token<TAB>tag in IOB2 with PER/ORG/LOC) into the UNER .iob2
layout the NER trainer reads.

Usage: ner-extra-to-iob2.py NAME OUT.iob2 IN [IN ...]

Mapping (the corpora's README): tags to IOB2 (an I-X that does not continue an X name starts one: B-X; valid IOB2
is unchanged); MISC -> O (UNER has no MISC; it tags demonyms O as well); -DOCSTART- lines dropped. Each sentence gets
a '# sent_id = NAME-N' comment and lines 'ID<TAB>FORM<TAB>TAG<TAB>-<TAB>-' as in UNER's files.
"""
import sys


def sentences(path):
    cur = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    yield cur
                cur = []
                continue
            parts = line.rsplit("\t" if "\t" in line else " ", 1)
            if len(parts) != 2 or not parts[1]:
                sys.exit(f"{path}:{number}: expected 'TOKEN TAG', got {line!r}")
            form, tag = parts
            cur.append((form, tag))
    if cur:
        yield cur


def iob2(tags):
    out = []
    prev = "O"
    for t in tags:
        if t == "O" or t.endswith("MISC"):
            out.append("O")
            prev = "O"
            continue
        kind, cls = t.split("-", 1)
        if kind == "B" or prev != cls:
            out.append("B-" + cls)
        else:
            out.append("I-" + cls)
        prev = cls
    return out


def main(name, dst, sources):
    n = 0
    with open(dst, "w", encoding="utf-8") as out:
        for s in (s for src in sources for s in sentences(src)):
            if s[0][0] == "-DOCSTART-":
                continue
            n += 1
            out.write(f"# sent_id = {name}-{n}\n")
            for i, ((form, _), tag) in enumerate(zip(s, iob2([t for _, t in s])), 1):
                out.write(f"{i}\t{form}\t{tag}\t-\t-\n")
            out.write("\n")
    print(f"{n} sentences written to {dst}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
